// The `function` tool kind (DESIGN §7): `args: { module, export, input }` calls an exported
// (async) function of a JavaScript module, ESM or CommonJS, with the path relative to the plan
// file. Each module is loaded once per runner (one runner per run) and shared by its calls.
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JsonValue, Plan, ToolAnnotations, ToolSpec } from '../plan/types';
import { applySerialWrites } from '../plan/safety';
import type { RunnerContext, ToolRunner } from '../engine/types';
import { closest } from '../plan/suggest';
import { optionalString, requireString } from './common';
import { createHandlerRunner, type ToolHandler } from './handler';

export interface FunctionRunnerOptions {
  /** The plan file's folder: module paths are relative to it. Default process.cwd(). */
  readonly baseDir?: string;
  /**
   * Load modules afresh for this runner (a query on the module URL), so a long-lived host (the
   * extension) sees edits between runs. The CLI runs once per process and does not need it.
   */
  readonly fresh?: boolean;
}

// A real dynamic import() even in the CommonJS bundles: esbuild would turn `import()` into
// `require()`, which cannot load ES modules.
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<Record<string, unknown>>;

let freshCounter = 0;

export interface FunctionRunner extends ToolRunner {
  /** The resolved path a tool's module would load from (run confirmations show it). */
  resolveModule(module: string): string;
  /** Annotations a loaded function states on itself (`fn.annotations = { readOnlyHint: true }`). */
  annotationsOf(module: string, exportName: string | undefined): Promise<ToolAnnotations | undefined>;
}

export function createFunctionRunner(options: FunctionRunnerOptions = {}): FunctionRunner {
  const base = options.baseDir ?? process.cwd();
  const stamp = options.fresh ? `?run=${++freshCounter}-${Date.now()}` : '';
  const modules = new Map<string, Promise<Record<string, unknown>>>();
  const resolveModule = (m: string): string => (isAbsolute(m) ? m : resolvePath(base, m));

  const load = (module: string): Promise<Record<string, unknown>> => {
    const path = resolveModule(module);
    let p = modules.get(path);
    if (!p) {
      p = (async () => {
        const st = await stat(path).catch(() => null);
        if (!st?.isFile()) throw new Error(`function tool: module '${module}' does not exist (resolved to ${path}; paths are relative to the plan file).`);
        try {
          return await importModule(pathToFileURL(path).href + stamp);
        } catch (e) {
          throw new Error(`function tool: module '${module}' could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
        }
      })();
      modules.set(path, p);
    }
    return p;
  };

  const find = async (module: string, exportName: string | undefined): Promise<ToolHandler> => {
    const mod = await load(module);
    const named = exportName ?? 'default';
    // ESM: the export itself. CommonJS through import(): module.exports is `default`, and its
    // properties are usually mirrored as named exports (but not always), so look in both.
    const cjs = mod.default !== null && typeof mod.default === 'object' ? (mod.default as Record<string, unknown>) : undefined;
    let fn = mod[named] ?? (exportName !== undefined ? cjs?.[named] : undefined);
    if (exportName === undefined && typeof fn !== 'function' && cjs && typeof cjs.default === 'function') fn = cjs.default;
    if (typeof fn !== 'function') {
      const names = [...new Set([...Object.keys(mod), ...Object.keys(cjs ?? {})])].filter((k) => typeof (mod[k] ?? cjs?.[k]) === 'function' && k !== '__esModule');
      const near = closest(named, names);
      const what = exportName === undefined ? 'has no default export that is a function' : `has no exported function '${named}'`;
      throw new Error(`function tool: module '${module}' ${what}${near ? ` — did you mean '${near}'?` : '.'} ${names.length ? `Its functions: ${names.join(', ')}.` : 'It exports no functions.'}`);
    }
    return fn as ToolHandler;
  };

  const runner = createHandlerRunner(async (ctx: RunnerContext) => {
    const module = requireString('function', ctx.args, 'module', '{ module: "./tools.mjs", export: "search", input: { q: "x" } }');
    const exportName = optionalString('function', ctx.args, 'export');
    const handler = await find(module, exportName);
    const input: JsonValue = ctx.args.input === undefined ? null : ctx.args.input;
    return { handler, input };
  });

  return {
    run: (ctx) => runner.run(ctx),
    resolveModule,
    async annotationsOf(module, exportName) {
      const fn = (await find(module, exportName)) as ToolHandler & { annotations?: unknown };
      const a = fn.annotations;
      if (a === null || typeof a !== 'object') return undefined;
      const out: { -readonly [K in keyof ToolAnnotations]: boolean } = {};
      for (const k of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
        const v = (a as Record<string, unknown>)[k];
        if (typeof v === 'boolean') out[k] = v;
      }
      return out;
    },
  };
}

/**
 * The plan with what functions state about themselves (`fn.annotations`) added to their tools'
 * annotations (the plan's own statements win), then serialWrites applied again. Loads the modules:
 * for `run` only, never for analysis.
 */
export async function withFunctionAnnotations(plan: Plan, runner: FunctionRunner): Promise<Plan> {
  if (!plan.tools.some((t) => t.kind === 'function')) return plan;
  const tools = await Promise.all(plan.tools.map(async (t): Promise<ToolSpec> => {
    if (t.kind !== 'function' || typeof t.args.module !== 'string') return t;
    const stated = await runner.annotationsOf(t.args.module, typeof t.args.export === 'string' ? t.args.export : undefined).catch(() => undefined);
    if (!stated || Object.keys(stated).length === 0) return t;
    return { ...t, annotations: { ...stated, ...t.annotations } };
  }));
  return applySerialWrites({ ...plan, tools });
}

// `--mcp-config FILE` for analyze, simulate and run (DESIGN §7): servers from a VS Code mcp.json
// (`servers`) or an `mcpServers` file, merged with the plan's own `mcpServers` (the file wins on a
// shared name: it is what the user passed). With a config the servers' tools are listed before
// anything runs, so imported calls bind by name and bad calls are diagnostics at their position.
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import type { Diagnostic, JsonValue, McpServerConfig, ParseResult, Plan } from '../core/plan/types';
import { expandServerConfig, readConfigFile, type ExpandContext } from '../core/tools/mcp/config';
import { bindAndCheck } from '../core/tools/mcp/check';
import { McpSession } from '../core/tools/mcp/session';
export { withEarlyConnections } from '../core/tools/mcp/session';
import type { AnalyzeOptions } from '../core/analysis/analyze';
import { makeDiagnostic } from '../core/plan/diagnostics';
import { START_RANGE } from '../core/plan/positions';
import { diagnosticJson } from '../core/render/report';
import type { CliIO } from './io';
import { loadPlan, type LoadedPlan, type PreparePlan } from './input';
import { planDirectory } from './commands/shared';

export const MCP_CONFIG_FLAG = 'mcp-config';

export interface McpConfigRead {
  readonly file: string;
  readonly servers: Readonly<Record<string, McpServerConfig>>;
  /** `${workspaceFolder}` for the file: the folder above `.vscode/`, else the file's own folder. */
  readonly workspaceFolder: string;
}

/** Reads and checks the file; every problem is one message (the command exits 2 with it). */
export async function readMcpConfig(file: string, io: CliIO): Promise<{ ok: true; config: McpConfigRead } | { ok: false; error: string }> {
  const path = resolve(io.cwd, file);
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, error: code === 'ENOENT' ? `the MCP config '${file}' does not exist. Give the path of an mcp.json (VS Code) or an mcpServers file.` : `could not read the MCP config '${file}' (${(e as Error).message}).` };
  }
  const errors: ParseError[] = [];
  const root = parseJsonc(text, errors, { allowTrailingComma: true }) as JsonValue;
  if (errors.length > 0) {
    const at = lineCol(text, errors[0].offset);
    return { ok: false, error: `${file}:${at.line}:${at.column}: the MCP config is not valid JSON (JSON with comments is fine). Fix the syntax at that position.` };
  }
  const read = readConfigFile(root, file);
  if (read.errors.length > 0) return { ok: false, error: read.errors.join('\n') };
  const dir = dirname(path);
  const workspaceFolder = basename(dir) === '.vscode' ? dirname(dir) : dir;
  // Variables are expanded now, so an unset ${env:…} or an ${input:…} prompt stops the command
  // before any server starts (the session expands them again, identically, when it connects).
  const expand = expandContext(workspaceFolder);
  for (const [name, config] of Object.entries(read.servers)) {
    const x = expandServerConfig(name, config, expand);
    if (!x.ok) return { ok: false, error: `${file}: ${x.error}` };
  }
  return { ok: true, config: { file, servers: read.servers, workspaceFolder } };
}

/**
 * A config that cannot be used, for `--json` callers: one well-formed object (as for an invalid
 * plan) whose `parse-error` names the config file.
 */
export function configErrorJson(configFile: string, error: string): string {
  const d = diagnosticJson(makeDiagnostic({ code: 'parse-error', range: START_RANGE, message: error.charAt(0).toUpperCase() + error.slice(1) }));
  return JSON.stringify({ file: configFile, valid: false, diagnostics: [d] }, null, 2) + '\n';
}

export function expandContext(workspaceFolder: string): ExpandContext {
  return { env: process.env, workspaceFolder, userHome: homedir() };
}

/** The plan's servers plus the config's (the config wins on a shared name). */
export function mergedServers(plan: Plan | undefined, config: McpConfigRead | undefined): Record<string, McpServerConfig> {
  const out: Record<string, McpServerConfig> = Object.create(null) as Record<string, McpServerConfig>;
  for (const [k, v] of Object.entries(plan?.mcpServers ?? {})) out[k] = v;
  for (const [k, v] of Object.entries(config?.servers ?? {})) out[k] = v;
  return out;
}

export function needsSession(plan: Plan | undefined, config: McpConfigRead | undefined): boolean {
  return config !== undefined || (plan?.tools.some((t) => t.kind === 'mcp') ?? false);
}

/** One session per command: analysis listing and the run share its clients. */
export function createSession(plan: Plan | undefined, config: McpConfigRead | undefined, planDir: string): McpSession {
  return new McpSession(mergedServers(plan, config), { expand: expandContext(config?.workspaceFolder ?? planDir), cwd: planDir });
}

/**
 * loadPlan's prepare step with a config: lists the servers the plan can use (all of the config's,
 * for binding by name, and those the plan's mcp tools name), then binds and checks.
 */
export function bindWithServers(session: McpSession, config: McpConfigRead): (parse: ParseResult) => Promise<{ plan: Plan; diagnostics: readonly Diagnostic[] } | undefined> {
  return async (parse) => {
    const plan = parse.plan;
    if (!plan) return undefined;
    const servers = session.serverNames();
    const wanted = new Set(Object.keys(config.servers));
    for (const t of plan.tools) if (t.kind === 'mcp' && typeof t.args.server === 'string' && session.has(t.args.server)) wanted.add(t.args.server);
    const listings = await session.listTools([...wanted]);
    const r = bindAndCheck(plan, servers, listings);
    return { plan: r.plan, diagnostics: [...parse.diagnostics, ...r.diagnostics] };
  };
}

/** The plan's mcp calls with their servers' annotations (and serialWrites redone); nothing else changes. */
export async function withServerAnnotations(plan: Plan, session: McpSession): Promise<Plan> {
  const used = [...new Set(plan.tools.filter((t) => t.kind === 'mcp' && typeof t.args.server === 'string' && session.has(t.args.server)).map((t) => t.args.server as string))];
  const listings = await session.listTools(used);
  return bindAndCheck(plan, session.serverNames(), listings).plan;
}

function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) { line++; last = i; }
  return { line, column: offset - last };
}

/**
 * loadPlan with `--mcp-config` honoured: the config is read first (a bad one is an error before
 * anything starts), then the servers are listed between parsing and analysis. `session` is the
 * one that listed them; the caller closes it (run hands it to the runners, which close it).
 */
export async function loadPlanWithMcp(file: string, io: CliIO, flags: Readonly<Record<string, unknown>>, analyzeOptions: AnalyzeOptions = {}):
  Promise<{ ok: true; loaded: LoadedPlan; session?: McpSession; config?: McpConfigRead } | { ok: false; error: string }> {
  const configFile = flags[MCP_CONFIG_FLAG];
  let config: McpConfigRead | undefined;
  if (typeof configFile === 'string') {
    const r = await readMcpConfig(configFile, io);
    if (!r.ok) return { ok: false, error: r.error };
    config = r.config;
  }
  let session: McpSession | undefined;
  const cfg = config;
  const prepare: PreparePlan = cfg
    ? async (parse) => {
        if (!parse.plan) return undefined;
        session = createSession(parse.plan, cfg, planDirectory(io, file));
        return bindWithServers(session, cfg)(parse);
      }
    : async (parse) => {
        // No servers listed: only whether each mcp call names a configured server can be checked.
        const plan = parse.plan;
        if (!plan || !plan.tools.some((t) => t.kind === 'mcp')) return undefined;
        const r = bindAndCheck(plan, Object.keys(plan.mcpServers ?? {}), new Map());
        return { plan: r.plan, diagnostics: [...parse.diagnostics, ...r.diagnostics] };
      };
  const loaded = await loadPlan(file, io, analyzeOptions, prepare);
  return { ok: true, loaded, ...(session ? { session } : {}), ...(config ? { config } : {}) };
}

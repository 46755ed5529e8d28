import { hasErrors, sortDiagnostics } from '../plan/diagnostics';
import type { Diagnostic, Plan } from '../plan/types';
import { toolDurations, type DurationOptions } from './durations';
import { bottomLevels, buildGraph, computeLevels, criticalPath, toCriticalPath, topologicalOrder } from './graph';
import { analysisCores } from './cores';
import { ALL_RULES } from './rules';
import type { Analysis, Estimate, Graph } from './types';

export interface AnalyzeOptions extends DurationOptions {
  /**
   * Predicts the makespan under the plan's caps (the engine's simulation), with `cpu` tools sharing
   * `cores` cores (analysisCores(options.cores)). Without it the prediction is the lower bound
   * max(critical path, work / slots).
   */
  readonly predictMakespan?: (plan: Plan, graph: Graph, durations: readonly number[], cores: number) => number;
  /** Cores available to CPU-bound tools (cpu-oversubscribed). Default: os.availableParallelism(). */
  readonly cores?: number;
  /**
   * The original text the plan was parsed from (ParseResult.text). When given, and the plan is
   * native JSON/YAML, diagnostics carry quick fixes as edits on this text.
   */
  readonly text?: string;
}

/** Extra diagnostics from the pitfall rules, given the graph facts. Registered by rules/index.ts. */
export interface RuleContext {
  readonly plan: Plan;
  readonly graph: Graph;
  readonly order: readonly number[];
  readonly levels: readonly (readonly number[])[];
  readonly durations: readonly number[];
  readonly bottomLevels: Float64Array;
  readonly criticalPath: { readonly indices: readonly number[]; readonly ms: number };
  readonly options: AnalyzeOptions;
  /** The source text when quick fixes can be computed (native JSON/YAML and options.text given). */
  readonly text?: string;
}
export type Rule = (ctx: RuleContext) => readonly Diagnostic[];

export function analyze(plan: Plan, parseDiagnostics: readonly Diagnostic[] = [], options: AnalyzeOptions = {}, rules: readonly Rule[] = ALL_RULES): Analysis {
  const durations = toolDurations(plan.tools, options);
  const sequentialMs = sum(durations);
  const { graph, diagnostics: graphDiagnostics } = buildGraph(plan);
  const base = [...parseDiagnostics, ...graphDiagnostics];
  const order = graph ? topologicalOrder(graph) : null;
  if (!graph || !order) {
    return {
      plan, levels: [], criticalPath: { tools: [], ms: 0 }, durations,
      estimate: { sequentialMs, parallelMs: sequentialMs, speedup: 1, maxWidth: 0, lowerBoundMs: 0 },
      diagnostics: sortDiagnostics(base), valid: false,
    };
  }
  const levelIdx = computeLevels(graph, order);
  const cp = criticalPath(graph, order, durations);
  const slots = Math.min(plan.maxConcurrency ?? Infinity, plan.tools.length || 1);
  const lowerBoundMs = Math.max(cp.ms, sequentialMs / slots, resourceBoundMs(plan, durations));
  const valid = !hasErrors(base);
  const parallelMs = valid && options.predictMakespan ? options.predictMakespan(plan, graph, durations, analysisCores(options.cores)) : lowerBoundMs;
  const estimate: Estimate = {
    sequentialMs,
    parallelMs,
    speedup: parallelMs > 0 ? round2(sequentialMs / parallelMs) : 1,
    maxWidth: levelIdx.reduce((m, l) => Math.max(m, l.length), 0),
    lowerBoundMs,
  };
  const ctx: RuleContext = {
    plan, graph, order, levels: levelIdx, durations, bottomLevels: bottomLevels(graph, order, durations), criticalPath: cp, options,
    ...(options.text !== undefined && plan.syntax !== 'text' ? { text: options.text } : {}),
  };
  const pitfalls = rules.flatMap((rule) => rule(ctx));
  return {
    plan, graph, durations, estimate, valid,
    levels: levelIdx.map((l) => l.map((i) => graph.ids[i])),
    criticalPath: toCriticalPath(graph, cp),
    diagnostics: sortDiagnostics([...base, ...pitfalls]),
  };
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * A limited resource is a bottleneck of its own: 8 calls of 100 ms on a resource limited to 2 take
 * at least 400 ms, however many global slots there are.
 */
export function resourceBoundMs(plan: Plan, durations: readonly number[]): number {
  const sums = new Map<string, number>();
  for (const t of plan.tools) {
    if (t.resource === undefined || !Object.prototype.hasOwnProperty.call(plan.limits, t.resource)) continue;
    sums.set(t.resource, (sums.get(t.resource) ?? 0) + durations[t.index]);
  }
  let bound = 0;
  for (const [resource, total] of sums) {
    const limit = plan.limits[resource];
    if (Number.isFinite(limit) && limit >= 1) bound = Math.max(bound, total / Math.floor(limit));
  }
  return bound;
}

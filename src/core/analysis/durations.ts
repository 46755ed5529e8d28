import type { ToolSpec } from '../plan/types';
import { DEFAULT_ESTIMATE_MS } from '../plan/types';
import { MAX_DURATION_MS } from '../plan/schema';

/** Learned durations from earlier runs, keyed by `estimateKey(tool)`. */
export type EstimateTable = ReadonlyMap<string, number>;

/** Tools of the same kind and label are taken to cost about the same (e.g. every `search` call). */
export function estimateKey(tool: Pick<ToolSpec, 'kind' | 'label'>): string {
  return `${tool.kind}:${tool.label}`;
}

export interface DurationOptions {
  readonly estimates?: EstimateTable;
  readonly defaultEstimateMs?: number;
}

/**
 * The duration the scheduler and the analysis assume for a tool: its own `durationMs` when it has
 * one (simulate, cpu), then an explicit estimate, then what earlier runs measured, then the default.
 */
export function toolDuration(tool: ToolSpec, options: DurationOptions = {}): number {
  // A duration past the schema's bound (a schema error already) is not assumed either: the
  // analysis of the rejected plan would sum 1e308s into Infinity (README "Input limits").
  const d = tool.args.durationMs;
  if ((tool.kind === 'simulate' || tool.kind === 'cpu') && typeof d === 'number' && d >= 0 && d <= MAX_DURATION_MS) return d;
  if (tool.estimateMs !== undefined && tool.estimateMs <= MAX_DURATION_MS) return tool.estimateMs;
  const learned = options.estimates?.get(estimateKey(tool));
  if (learned !== undefined && Number.isFinite(learned) && learned >= 0) return learned;
  return options.defaultEstimateMs ?? DEFAULT_ESTIMATE_MS;
}

export function toolDurations(tools: readonly ToolSpec[], options: DurationOptions = {}): number[] {
  return tools.map((t) => toolDuration(t, options));
}

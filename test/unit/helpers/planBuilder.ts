import type { JsonObject, Plan, ToolKind, ToolSpec } from '../../../src/core/plan/types';
import { START_RANGE } from '../../../src/core/plan/positions';

export interface ToolInit {
  readonly id: string;
  readonly kind?: ToolKind;
  readonly durationMs?: number;
  readonly args?: JsonObject;
  readonly dependsOn?: readonly string[];
  readonly resource?: string;
  readonly timeoutMs?: number;
  readonly retries?: number;
  readonly retryDelayMs?: number;
  readonly writes?: readonly string[];
  readonly estimateMs?: number;
  /** Defaults to the id, as a native plan without `label` has. */
  readonly label?: string;
}

/** Builds a Plan in code, for tests that exercise analysis or the engine without parsing text. */
export function makePlan(tools: readonly ToolInit[], extra: Partial<Omit<Plan, 'tools'>> = {}): Plan {
  const specs: ToolSpec[] = tools.map((t, index) => ({
    id: t.id,
    kind: t.kind ?? 'simulate',
    label: t.label ?? t.id,
    args: t.args ?? (t.durationMs !== undefined ? { durationMs: t.durationMs } : {}),
    dependsOn: t.dependsOn ?? [],
    writes: t.writes ?? [],
    index,
    ranges: { tool: START_RANGE },
    ...(t.resource !== undefined ? { resource: t.resource } : {}),
    ...(t.timeoutMs !== undefined ? { timeoutMs: t.timeoutMs } : {}),
    ...(t.retries !== undefined ? { retries: t.retries } : {}),
    ...(t.retryDelayMs !== undefined ? { retryDelayMs: t.retryDelayMs } : {}),
    ...(t.estimateMs !== undefined ? { estimateMs: t.estimateMs } : {}),
  }));
  return {
    name: 'test plan', format: 'native', syntax: 'json', limits: Object.create(null) as Record<string, number>,
    failurePolicy: 'skip-dependents', defaults: {}, dedupe: false, ranges: {}, ...extra, tools: specs,
  };
}

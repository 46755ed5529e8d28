// Learning duration estimates from earlier runs (DESIGN §4: tools without durationMs are
// scheduled by what the same tool took before).
import type { Plan } from '../plan/types';
import { estimateKey, type EstimateTable } from '../analysis/durations';
import type { RunRecord } from './types';

export interface EstimateSample {
  /** estimateKey(tool): kind and label, so every call of the same function shares one estimate. */
  readonly key: string;
  readonly ms: number;
}

/**
 * One sample per tool that succeeded on its own: the duration of its successful attempt (failed
 * attempts and backoff waits say nothing about how long the work takes; timeouts are cut short).
 * Deduplicated calls (no attempt of their own) and tools of other plans are ignored.
 */
export function samplesFromRun(plan: Plan, record: RunRecord): EstimateSample[] {
  const byId = new Map(plan.tools.map((t) => [t.id, t]));
  const out: EstimateSample[] = [];
  for (const r of record.tools) {
    const tool = byId.get(r.id);
    if (!tool || r.status !== 'succeeded' || r.attempts.length === 0) continue;
    const last = r.attempts[r.attempts.length - 1];
    const ms = last.endedAt - last.startedAt;
    if (Number.isFinite(ms) && ms >= 0) out.push({ key: estimateKey(tool), ms });
  }
  return out;
}

/** Weight of the newest run against the history. */
export const EWMA_ALPHA = 0.3;

/**
 * New estimates = previous ones updated with this batch of samples. Per key, the batch is first
 * reduced to its median, then blended in with an exponentially weighted moving average:
 * - the median, because one run often calls the same tool many times and a few of those calls hit
 *   a cold cache or a slow replica: a mean would be dragged by them, the median is not;
 * - the EWMA (alpha 0.3), because one unusually slow or fast run should nudge the estimate, not
 *   replace it, while a lasting change (a slower API) still takes over within a few runs.
 * Keys without new samples keep their previous value. Invalid samples (negative, NaN) are ignored.
 */
export function learnEstimates(samples: readonly EstimateSample[], previous?: EstimateTable): EstimateTable {
  const groups = new Map<string, number[]>();
  for (const s of samples) {
    if (!Number.isFinite(s.ms) || s.ms < 0) continue;
    const g = groups.get(s.key);
    if (g) g.push(s.ms);
    else groups.set(s.key, [s.ms]);
  }
  const out = new Map<string, number>(previous ?? []);
  for (const [key, values] of groups) {
    const m = median(values);
    const old = previous?.get(key);
    out.set(key, old === undefined || !Number.isFinite(old) ? m : old + EWMA_ALPHA * (m - old));
  }
  return out;
}

export function median(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

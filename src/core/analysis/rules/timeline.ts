import type { Graph } from '../types';

/**
 * Zero-length tools still occupy a slot for an instant; giving them a tiny width keeps a chain of
 * them sequential and a fan-out of them simultaneous, as the scheduler would run them.
 */
const INSTANT_MS = 1e-3;

export interface Peak {
  /** How many of the selected tools can run at once, after per-resource caps. */
  readonly count: number;
  /** The tools (indices) running together at that moment, in plan order. */
  readonly tools: readonly number[];
}

/**
 * How many of the selected tools may run at the same time with unlimited slots. Two views, and the
 * larger wins: the as-soon-as-possible schedule under the duration estimates (what the engine would
 * do), and the widest topological level (tools that are mutually independent, so would overlap if
 * the estimates are off). Per-resource `limits` cap each resource's share. O(n log n).
 */
export function peakConcurrency(
  graph: Graph, order: readonly number[], levels: readonly (readonly number[])[], durations: readonly number[],
  select: (i: number) => boolean, resourceOf: (i: number) => string | undefined, limits: Readonly<Record<string, number>>,
): Peak {
  const asap = asapPeak(graph, order, durations, select, resourceOf, limits);
  let best: Peak = asap;
  for (const level of levels) {
    const members = level.filter(select);
    if (members.length <= best.count) continue;
    const count = cappedCount(members, resourceOf, limits);
    if (count > best.count) best = { count, tools: [...members].sort((a, b) => a - b) };
  }
  return best;
}

function asapPeak(
  graph: Graph, order: readonly number[], durations: readonly number[],
  select: (i: number) => boolean, resourceOf: (i: number) => string | undefined, limits: Readonly<Record<string, number>>,
): Peak {
  const n = graph.ids.length;
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  for (const v of order) {
    let s = 0;
    for (const p of graph.preds[v]) if (end[p] > s) s = end[p];
    start[v] = s;
    end[v] = s + Math.max(durations[v], INSTANT_MS);
  }
  // Events: ends sort before starts at the same time (a slot is freed before it is reused).
  const events: [number, number, number][] = [];
  for (let i = 0; i < n; i++) {
    if (!select(i)) continue;
    events.push([start[i], 1, i], [end[i], 0, i]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const perResource = new Map<string, number>();
  let total = 0;
  let best = 0;
  let bestAt = 0;
  for (const [t, kind, i] of events) {
    const r = resourceOf(i);
    const cap = r !== undefined ? limits[r] : undefined;
    if (kind === 1) {
      if (cap === undefined) total++;
      else {
        const c = perResource.get(r as string) ?? 0;
        if (c < cap) total++;
        perResource.set(r as string, c + 1);
      }
      if (total > best) { best = total; bestAt = t; }
    } else if (cap === undefined) total--;
    else {
      const c = (perResource.get(r as string) ?? 1) - 1;
      if (c < cap) total--;
      perResource.set(r as string, c);
    }
  }
  const tools: number[] = [];
  if (best > 0) for (let i = 0; i < n; i++) if (select(i) && start[i] <= bestAt && bestAt < end[i]) tools.push(i);
  return { count: best, tools };
}

function cappedCount(members: readonly number[], resourceOf: (i: number) => string | undefined, limits: Readonly<Record<string, number>>): number {
  let uncapped = 0;
  const perResource = new Map<string, number>();
  for (const i of members) {
    const r = resourceOf(i);
    if (r === undefined || limits[r] === undefined) uncapped++;
    else perResource.set(r, (perResource.get(r) ?? 0) + 1);
  }
  let total = uncapped;
  for (const [r, c] of perResource) total += Math.min(c, limits[r]);
  return total;
}

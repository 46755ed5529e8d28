// Dispatch priority: which ready tool gets a free slot first. Every variant is a static list
// (a rank per tool) built around the bottom level (longest remaining path, DESIGN §4). When slots
// are scarce, several variants are tried on the synchronous simulator and the one with the
// shortest makespan wins; the executor then dispatches with that list, so a real run follows the
// schedule the prediction promised. Everything here is deterministic (a fixed-seed generator for
// the perturbed variants), so the same plan always gets the same order.
import type { SchedulerSpec } from './scheduler';
import { simulateSchedule } from './scheduler';
import { seededRandom } from '../random';
import { bottomLevels, topLevels, topoOrder, type DagView } from '../graph';

export type { DagView } from '../graph';

export interface PriorityChoice {
  /** Rank per tool: lower is dispatched first. */
  readonly rank: Int32Array;
  /** The winning variant's name (for reports and benchmarks). */
  readonly variant: string;
  /** Its predicted makespan under the caps (NaN when no variant was simulated). */
  readonly makespan: number;
}

export interface PriorityOptions {
  /**
   * Upper bound on the simulation work spent choosing, in tool-dispatches (simulations × tools).
   * Default 300 000 up to 3 000 tools (every variant and 8 forward-backward passes up to that
   * size), then 9e8 / n: about 9 simulations at 10k tools, a single bottom-level one from 100k.
   */
  readonly budget?: number;
  /** Evaluate only these variants (by name), e.g. for benchmarks. */
  readonly only?: readonly string[];
  /** A topological order, when the caller has one (saves recomputing it). */
  readonly order?: Int32Array;
}

/** Rank from lexicographic keys: every key array is compared descending, then the index ascending. */
function rankBy(n: number, keys: readonly ArrayLike<number>[]): Int32Array {
  // A key equal for every tool never decides a comparison: dropping it changes no rank, and when
  // none is left the rank is the index (plans of identical tools need no sort at all).
  const live = keys.filter((k) => !constant(k, n));
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  if (live.length === 1) {
    const k0 = live[0];
    idx.sort((a, b) => {
      const d0 = k0[b] - k0[a];
      return d0 !== 0 ? d0 : a - b;
    });
  } else if (live.length === 2) {
    const [k0, k1] = live;
    idx.sort((a, b) => {
      const d0 = k0[b] - k0[a];
      if (d0 !== 0) return d0;
      const d1 = k1[b] - k1[a];
      return d1 !== 0 ? d1 : a - b;
    });
  } else if (live.length > 2) {
    idx.sort((a, b) => {
      for (let j = 0; j < live.length; j++) {
        const k = live[j];
        const diff = k[b] - k[a];
        if (diff !== 0) return diff;
      }
      return a - b;
    });
  }
  const rank = new Int32Array(n);
  for (let r = 0; r < n; r++) rank[idx[r]] = r;
  return rank;
}

function constant(k: ArrayLike<number>, n: number): boolean {
  if (n === 0) return true;
  const x = k[0];
  if (x !== x) return false; // NaN compares as "equal" to everything in sort: keep the old path
  for (let i = 1; i < n; i++) if (k[i] !== x) return false;
  return true;
}


interface Facts {
  readonly n: number;
  readonly d: ArrayLike<number>;
  readonly bl: Float64Array;
  readonly tl: Float64Array;
  readonly outdeg: Float64Array;
  readonly dur: Float64Array;
  /** Work that waits on a tool, spread over the tools each successor waits on. */
  readonly spread: Float64Array;
}

function facts(dag: DagView, order: Int32Array, d: ArrayLike<number>): Facts {
  const n = order.length;
  const bl = bottomLevels(dag, order, d);
  const outdeg = new Float64Array(n);
  const dur = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    outdeg[i] = dag.succs[i].length;
    dur[i] = d[i];
  }
  // Top levels and spread work only feed some variants: computed on first use, since large plans
  // (and plans at their lower bound) often stop after the first variant.
  let tl: Float64Array | undefined;
  let spread: Float64Array | undefined;
  return {
    n, d, bl, outdeg, dur,
    get tl(): Float64Array {
      return (tl ??= topLevels(dag, order, d));
    },
    get spread(): Float64Array {
      return (spread ??= spreadWork(dag, order, d));
    },
  };
}

function spreadWork(dag: DagView, order: Int32Array, d: ArrayLike<number>): Float64Array {
  const spread = new Float64Array(order.length);
  for (let k = order.length - 1; k >= 0; k--) {
    const v = order[k];
    let w = d[v];
    for (const s of dag.succs[v]) w += spread[s] / dag.preds[s].length;
    spread[v] = w;
  }
  return spread;
}

interface Variant {
  readonly name: string;
  readonly rank: (f: Facts) => Int32Array;
}

function neg(a: Float64Array): Float64Array {
  return a.map((x) => -x);
}

function perturbed(name: string, seed: number, amount: number): Variant {
  return {
    name,
    rank: (f) => {
      const rnd = seededRandom(seed);
      const key = new Float64Array(f.n);
      for (let i = 0; i < f.n; i++) key[i] = f.bl[i] * (1 + amount * (rnd() - 0.5));
      return rankBy(f.n, [key, f.outdeg]);
    },
  };
}

/** The deterministic variants, best-known first (the first one is classic HLFET/CP-MISF). */
const BASE_VARIANTS: readonly Variant[] = [
  { name: 'bottom-level', rank: (f) => rankBy(f.n, [f.bl, f.outdeg]) },
  { name: 'bottom-level/longest', rank: (f) => rankBy(f.n, [f.bl, f.dur, f.outdeg]) },
  { name: 'bottom-level/shortest', rank: (f) => rankBy(f.n, [f.bl, neg(f.dur), f.outdeg]) },
  { name: 'bottom-level/work', rank: (f) => rankBy(f.n, [f.bl, f.spread]) },
  { name: 'bottom-level/earliest', rank: (f) => rankBy(f.n, [f.bl, neg(f.tl), f.outdeg]) },
  { name: 'critical-path-first', rank: (f) => rankBy(f.n, [f.tl.map((t, i) => t + f.bl[i]), f.bl, f.outdeg]) },
  {
    name: 'bottom-level+successors',
    rank: (f) => {
      // Successor count weighted in as a fraction of an average task: favors tools that unlock
      // many others when their remaining paths are close.
      let avg = 0;
      for (let i = 0; i < f.n; i++) avg += f.d[i];
      avg = f.n > 0 ? avg / f.n : 0;
      return rankBy(f.n, [f.bl.map((b, i) => b + 0.5 * avg * Math.log2(1 + f.outdeg[i])), f.bl]);
    },
  },
  {
    name: 'bottom-level+work',
    rank: (f) => {
      let total = 0;
      for (let i = 0; i < f.n; i++) total += f.d[i];
      const scale = total > 0 ? 1 / total : 0;
      return rankBy(f.n, [f.bl.map((b, i) => b * (1 + 0.25 * f.spread[i] * scale)), f.bl]);
    },
  },
];

const PERTURBED_VARIANTS: readonly Variant[] = Array.from({ length: 24 }, (_, k) =>
  perturbed(`perturbed-${k + 1}`, 0x9e3779b9 ^ (k * 7919), k < 12 ? 0.05 : 0.15),
);

export const VARIANT_NAMES: readonly string[] = [...BASE_VARIANTS, ...PERTURBED_VARIANTS].map((v) => v.name);

/**
 * Chooses the dispatch priority for a plan under its caps. When the caps cannot bind (unbounded
 * slots, no limited resource) any order gives the same makespan, so only bottom level is built.
 */
export function choosePriority(
  spec: Omit<SchedulerSpec, 'rank'>,
  durations: ArrayLike<number>,
  options: PriorityOptions = {},
): PriorityChoice {
  const n = spec.preds.length;
  const order = options.order ?? topoOrder(spec);
  if (!order) throw new Error('priority: the plan has a dependency cycle');
  const capsBind = spec.maxConcurrency < n || spec.groupCaps.length > 0;
  if (!capsBind) {
    // Every ready tool starts at once, so the order cannot change the makespan: skip the work.
    const bl = bottomLevels(spec, order, durations);
    const outdeg = new Float64Array(n);
    for (let i = 0; i < n; i++) outdeg[i] = spec.succs[i].length;
    return { rank: rankBy(n, [bl, outdeg]), variant: BASE_VARIANTS[0].name, makespan: NaN };
  }
  const f = facts(spec, order, durations);
  let variants = [...BASE_VARIANTS, ...PERTURBED_VARIANTS];
  if (options.only) variants = variants.filter((v) => options.only?.includes(v.name));
  if (variants.length === 0) variants = [BASE_VARIANTS[0]];
  if (identicalIndependent(spec, durations)) {
    // Independent tools of one duration under one cap (a runToolCalls batch at maxConcurrency):
    // every order gives the same schedule, so the search would keep its first variant; it cost
    // ~0.2 ms before the first call of a ten-call batch could start (bench: library).
    return { rank: variants[0].rank(f), variant: variants[0].name, makespan: NaN };
  }
  const budget = options.budget ?? defaultBudget(n);
  const sims = Math.max(1, Math.floor(budget / Math.max(1, n)));
  const count = Math.max(1, Math.min(variants.length, Math.ceil(sims * 0.6)));
  // Only strictly shorter schedules replace the best one, so once a schedule reaches a lower bound
  // on every schedule's makespan the rest of the search cannot change the result: stop there.
  const floor = makespanFloor(f, spec);
  if (floor === 0) {
    // No tool takes any time: every order finishes at 0, so the first variant wins unsimulated.
    return { rank: variants[0].rank(f), variant: variants[0].name, makespan: 0 };
  }
  let best: PriorityChoice | undefined;
  for (let k = 0; k < count; k++) {
    const rank = variants[k].rank(f);
    const makespan = simulateSchedule({ ...spec, rank }, durations).makespan;
    if (!best || makespan < best.makespan) best = { rank, variant: variants[k].name, makespan };
    if (best.makespan <= floor) return best;
  }
  const iterations = options.only ? 0 : Math.min(MAX_FORWARD_BACKWARD, Math.floor((sims - count - 1) / 2));
  return forwardBackward(spec, durations, best as PriorityChoice, iterations, floor);
}

/**
 * The default simulation budget: 300 000 tool-dispatches up to 3 000 tools (the whole search up
 * to ~6k tools, as before), then shrinking as 9e8 / n so that large plans cost a few simulations
 * (about 9 at 10k tools, one from 100k). The search gains a fraction of a percent on small plans;
 * on large ones its time is what users notice.
 */
function defaultBudget(n: number): number {
  return n <= 3000 ? 300_000 : Math.floor(9e8 / n);
}

/** No dependencies, no resource caps and every duration the same: any order schedules alike. */
function identicalIndependent(spec: Omit<SchedulerSpec, 'rank'>, durations: ArrayLike<number>): boolean {
  if (spec.groupCaps.length > 0) return false;
  const n = spec.preds.length;
  for (let i = 0; i < n; i++) if (spec.succs[i].length > 0 || durations[i] !== durations[0]) return false;
  return true;
}

/**
 * A lower bound on the makespan of every schedule (critical path; total work over the global
 * cap), or -1 when it cannot be trusted to be exact. With integer durations every sum involved
 * is exact, and a makespan (an integer) at or below the rounded work bound cannot be beaten.
 */
function makespanFloor(f: Facts, spec: Omit<SchedulerSpec, 'rank'>): number {
  let cp = 0;
  let work = 0;
  for (let i = 0; i < f.n; i++) {
    const x = f.dur[i];
    if (!Number.isInteger(x) || x < 0) return -1;
    work += x;
    if (f.bl[i] > cp) cp = f.bl[i];
  }
  if (work > Number.MAX_SAFE_INTEGER) return -1;
  return Math.max(cp, work / spec.maxConcurrency);
}

/** Passes of forward-backward improvement tried after the variants (each costs two simulations). */
export const MAX_FORWARD_BACKWARD = 8;

/**
 * Forward-backward improvement (a.k.a. justification, from project scheduling): schedule the
 * reversed graph with "finished last goes first", then schedule forward again with "started
 * earliest in the mirrored backward schedule goes first". Each pass packs tools against the
 * other end of the schedule and tends to close gaps a single greedy pass leaves. The best forward
 * schedule seen is kept, so it never makes the result worse.
 */
function forwardBackward(
  spec: Omit<SchedulerSpec, 'rank'>, durations: ArrayLike<number>, start: PriorityChoice, iterations: number, floor: number,
): PriorityChoice {
  if (iterations <= 0) return start;
  const reversed = { ...spec, preds: spec.succs, succs: spec.preds };
  let best = start;
  let fwd = simulateSchedule({ ...spec, rank: start.rank }, durations, true);
  for (let it = 0; it < iterations; it++) {
    const back = simulateSchedule({ ...reversed, rank: rankAscending(fwd.end, fwd.start, -1) }, durations, true);
    const rank = rankAscending(back.end, back.start, -1);
    fwd = simulateSchedule({ ...spec, rank }, durations, true);
    if (fwd.makespan < best.makespan) best = { rank, variant: `${start.variant}+forward-backward`, makespan: fwd.makespan };
    if (best.makespan <= floor) break;
  }
  return best;
}

/** Rank by `key` times `sign` ascending, then `tie` descending, then index. */
function rankAscending(key: Float64Array, tie: Float64Array, sign: 1 | -1): Int32Array {
  const n = key.length;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => sign * (key[a] - key[b]) || tie[b] - tie[a] || a - b);
  const rank = new Int32Array(n);
  for (let r = 0; r < n; r++) rank[idx[r]] = r;
  return rank;
}

// What the same work would have taken scheduled by Fanout: the same tool calls (their measured
// durations) and model turns (their measured latency, plus the time the agent took before each
// turn), with only the dependencies the trace supports, run through the engine's scheduler
// (engine/scheduler.ts, the one `simulate` and `run` use) on its idealised virtual timeline.
//
// Three schedules of one node set, so the saving splits by cause:
//   replay      — the trace as it ran: each call released when its turn ends and starting as late
//                 as it did (that is what serial execution looked like);
//   parallel    — the same batches, their calls started together (serialized-batch);
//   rebatched   — every call emitted at its earliest turn (dataflow.ts), turns left with nothing to
//                 ask for dropped (missed-parallelism).
// actual − counterfactual = (replay − parallel) + (parallel − rebatched); time the model does not
// explain (after the last span it knows, e.g. a root span ending later) is kept as it was.
import { choosePriority } from '../engine/priority';
import { simulateSchedule, type SchedulerSpec } from '../engine/scheduler';
import type { FlowFacts } from './dataflow';
import type { Rebuilt } from './turns';
import { maxOf } from './values';

export interface PlacedSpan {
  readonly startedAt: number;
  readonly endedAt: number;
}

export interface Counterfactual {
  readonly actualMs: number;
  readonly counterfactualMs: number;
  /** Makespan of the replayed trace (≈ actualMs; the difference is time the trace does not explain). */
  readonly replayMs: number;
  readonly savings: {
    readonly serializedBatchMs: number;
    readonly missedParallelismMs: number;
    /** Model turns the rebatched schedule no longer needs, and their latency. */
    readonly turnsRemoved: number;
    readonly turnsRemovedMs: number;
  };
  /** Per turn (trace order): where it runs in the counterfactual, or null when it was dropped. */
  readonly turns: readonly (PlacedSpan | null)[];
  /** Per tool: where it runs in the counterfactual, and the turn (index) that emits it there. */
  readonly tools: readonly (PlacedSpan & { readonly turn: number })[];
  /** Per turn: the counterfactual batch saving if only that turn's calls had run together. */
  readonly serializedCost: Float64Array;
}

export interface CounterfactualOptions {
  /** Cap on tool calls running at once (turns never take a slot). Default unbounded. */
  readonly maxConcurrency?: number;
}

type Mode = 'replay' | 'parallel' | 'rebatched';

export function counterfactual(r: Rebuilt, flow: FlowFacts, options: CounterfactualOptions = {}): Counterfactual {
  const nT = r.turns.length;
  const nC = r.tools.length;
  const lanes = new Map<string, number[]>();
  for (const t of r.turns) {
    const l = lanes.get(t.lane);
    if (l) l.push(t.index);
    else lanes.set(t.lane, [t.index]);
  }
  // Measured pieces. Turn node = the agent's wait before the turn + the model's latency.
  const latency = new Float64Array(nT);
  const gapBefore = new Float64Array(nT);
  // When every turn started after its inputs were ready and every call after its turn ended, the
  // replay reproduces each span's own end: its makespan is the last end, no schedule needed.
  let exact = true;
  for (const lane of lanes.values()) {
    let ready = 0;
    for (const k of lane) {
      const t = r.turns[k];
      latency[k] = Math.max(0, t.endedAt - t.startedAt);
      if (t.startedAt < ready) exact = false;
      gapBefore[k] = Math.max(0, t.startedAt - ready);
      ready = t.endedAt;
      for (const c of t.calls) ready = Math.max(ready, r.tools[c].endedAt);
    }
  }
  const work = new Float64Array(nC);
  const batchDelay = new Float64Array(nT).fill(Infinity);
  for (const t of r.tools) work[t.index] = Math.max(0, t.endedAt - t.startedAt);
  for (const turn of r.turns) {
    for (const i of turn.calls) {
      const c = r.tools[i];
      batchDelay[turn.index] = Math.min(batchDelay[turn.index], Math.max(0, c.startedAt - Math.max(turn.endedAt, c.readyAt ?? -Infinity)));
    }
  }
  for (let k = 0; k < nT; k++) if (!Number.isFinite(batchDelay[k])) batchDelay[k] = 0;

  // Rebatching: the step each call is emitted at, and which turns are left without a purpose.
  const laneStepTurn = new Map<string, number[]>();
  for (const [lane, ks] of lanes) laneStepTurn.set(lane, ks);
  const cfTurnOf = new Int32Array(nC).fill(-1);
  const emitsAfter = new Int32Array(nT);
  for (const t of r.tools) {
    if (t.turn < 0) continue;
    const lane = laneStepTurn.get(r.turns[t.turn].lane) as number[];
    const step = Math.max(0, Math.min(flow.earliestStep[t.index], r.turns[t.turn].step));
    cfTurnOf[t.index] = lane[step];
    emitsAfter[lane[step]]++;
  }
  const dropped = new Uint8Array(nT);
  let turnsRemoved = 0;
  let turnsRemovedMs = 0;
  for (const lane of lanes.values()) {
    for (let s = 0; s < lane.length - 1; s++) {
      const k = lane[s];
      if (r.turns[k].calls.length > 0 && emitsAfter[k] === 0) {
        dropped[k] = 1;
        turnsRemoved++;
        turnsRemovedMs += latency[k] + gapBefore[k];
      }
    }
  }

  const cap = options.maxConcurrency !== undefined && options.maxConcurrency >= 1 ? Math.floor(options.maxConcurrency) : Infinity;
  const run = (mode: Mode): { makespan: number; start: Float64Array; end: Float64Array } => {
    // Nodes: turns 0..nT-1, then tools nT..nT+nC-1.
    const n = nT + nC;
    const preds: number[][] = Array.from({ length: n }, () => []);
    const dur = new Float64Array(n);
    const turnOf = (c: number): number => (mode === 'rebatched' ? cfTurnOf[c] : r.tools[c].turn);
    const batchOf: number[][] = Array.from({ length: nT }, () => []);
    for (let c = 0; c < nC; c++) {
      const k = turnOf(c);
      if (k >= 0) batchOf[k].push(c);
    }
    for (const lane of lanes.values()) {
      let prev = -1;
      for (const k of lane) {
        if (mode === 'rebatched' && dropped[k]) continue;
        dur[k] = latency[k] + (prev < 0 ? r.turns[k].startedAt : gapBefore[k]);
        if (prev >= 0) {
          preds[k].push(prev);
          for (const c of batchOf[prev]) preds[k].push(nT + c);
        }
        prev = k;
      }
    }
    for (let c = 0; c < nC; c++) {
      const t = r.tools[c];
      const k = turnOf(c);
      const node = nT + c;
      if (k < 0) {
        dur[node] = t.endedAt; // not part of any turn: kept where it was
        continue;
      }
      preds[node].push(k);
      // Replay: released when its turn ends, it starts exactly as late as it did.
      const asRan = Math.max(0, t.startedAt - r.turns[k].endedAt) + work[c];
      if (mode === 'replay' || (r.synthetic && !r.contentCaptured && t.readyAt === undefined)) {
        dur[node] = asRan;
        continue;
      }
      dur[node] = work[c] + batchDelay[r.tools[c].turn] + (t.readyAt !== undefined ? Math.max(0, t.readyAt - r.turns[k].endedAt) : 0);
      // Calls that needed each other keep that order; retries still follow their failure.
      for (const p of flow.preds[c]) if (turnOf(p) === k) preds[node].push(nT + p);
    }
    // Without a cap every node starts as soon as its predecessors end: the schedule is the
    // earliest-start one, computed directly (the scheduler's event loop gave the same times at
    // several times the cost on a 100k-span trace; docs/audit.md, "Cost").
    if (cap === Infinity || mode === 'replay') return earliestStarts(preds, dur);
    const succs: number[][] = Array.from({ length: n }, () => []);
    for (let v = 0; v < n; v++) for (const p of preds[v]) succs[p].push(v);
    const group = new Int32Array(n).fill(-1);
    for (let c = 0; c < nC; c++) group[nT + c] = 0;
    const base: Omit<SchedulerSpec, 'rank'> = { preds, succs, maxConcurrency: Infinity, group, groupCaps: [cap] };
    return simulateSchedule({ ...base, rank: choosePriority(base, dur).rank }, dur, true);
  };

  for (const t of r.tools) if (t.turn >= 0 && t.startedAt < r.turns[t.turn].endedAt) exact = false;
  let lastEnd = 0;
  for (const t of r.turns) lastEnd = Math.max(lastEnd, t.endedAt);
  for (const t of r.tools) lastEnd = Math.max(lastEnd, t.endedAt);
  const replay = exact ? { makespan: lastEnd } : run('replay');
  const parallel = run('parallel');
  const rebatched = r.contentCaptured ? run('rebatched') : parallel;
  const unexplained = Math.max(0, r.actualMs - replay.makespan);
  const serializedBatchMs = Math.max(0, replay.makespan - parallel.makespan);
  const missedParallelismMs = Math.max(0, parallel.makespan - rebatched.makespan);
  const counterfactualMs = Math.min(r.actualMs, rebatched.makespan + unexplained);

  // Per-turn serialization cost: the batch as it ran (turn end → last call end) against the same
  // calls started together (under the cap), each batch on its own.
  const serializedCost = new Float64Array(nT);
  for (const turn of r.turns) {
    if (turn.calls.length < 2) continue;
    const asRan = maxOf(turn.calls.map((c) => r.tools[c].endedAt)) - Math.max(turn.endedAt, -maxOf(turn.calls.map((c) => -(r.tools[c].readyAt ?? -Infinity))));
    const together = batchDelay[turn.index] + batchMakespan(turn.calls.map((c) => work[c]), cap);
    serializedCost[turn.index] = Math.max(0, asRan - together);
  }
  const keepTurn = (k: number): PlacedSpan | null => (rebatched === parallel || !dropped[k] ? { startedAt: rebatched.start[k] + Math.max(0, rebatched.end[k] - rebatched.start[k] - latency[k]), endedAt: rebatched.end[k] } : null);
  return {
    actualMs: r.actualMs,
    counterfactualMs,
    replayMs: replay.makespan,
    savings: { serializedBatchMs, missedParallelismMs, turnsRemoved: rebatched === parallel ? 0 : turnsRemoved, turnsRemovedMs: rebatched === parallel ? 0 : turnsRemovedMs },
    turns: r.turns.map((t) => keepTurn(t.index)),
    tools: r.tools.map((t) => {
      const node = nT + t.index;
      const k = rebatched === parallel ? t.turn : cfTurnOf[t.index];
      const end = rebatched.end[node];
      return { startedAt: end - work[t.index], endedAt: end, turn: k };
    }),
    serializedCost,
  };
}

/**
 * simulateSchedule's times without any cap, directly: a node starts when the last of its
 * predecessors ends (at 0 without any) and takes its duration (0 when not positive), and the
 * makespan is the last end. Predecessors are visited depth first with an explicit stack (chains
 * of turns are 10,000 long); a cycle is the scheduler's error.
 */
export function earliestStarts(preds: readonly (readonly number[])[], durations: ArrayLike<number>): { makespan: number; start: Float64Array; end: Float64Array } {
  const n = preds.length;
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const state = new Uint8Array(n); // 0 not seen, 1 on the stack, 2 done
  const stack = new Int32Array(n);
  const next = new Int32Array(n); // per node on the stack: which predecessor to look at next
  let makespan = 0;
  for (let root = 0; root < n; root++) {
    if (state[root] === 2) continue;
    let top = 0;
    stack[0] = root;
    state[root] = 1;
    next[root] = 0;
    while (top >= 0) {
      const v = stack[top];
      const ps = preds[v];
      if (next[v] < ps.length) {
        const p = ps[next[v]++];
        if (state[p] === 2) continue;
        if (state[p] === 1) throw new Error('scheduler: the plan has a dependency cycle');
        state[p] = 1;
        next[p] = 0;
        stack[++top] = p;
        continue;
      }
      let at = 0;
      for (const p of ps) if (end[p] > at) at = end[p];
      const d = durations[v];
      start[v] = at;
      end[v] = at + (d > 0 ? d : 0);
      if (end[v] > makespan) makespan = end[v];
      state[v] = 2;
      top--;
    }
  }
  return { makespan, start, end };
}

/** Makespan of independent calls under a cap, by the same scheduler (longest first). */
export function batchMakespan(durations: readonly number[], cap: number): number {
  if (durations.length === 0) return 0;
  if (cap === Infinity || cap >= durations.length) return maxOf(durations);
  const n = durations.length;
  const empty: number[][] = Array.from({ length: n }, () => []);
  const base: Omit<SchedulerSpec, 'rank'> = { preds: empty, succs: empty, maxConcurrency: cap, group: new Int32Array(n).fill(-1), groupCaps: [] };
  const d = Float64Array.from(durations);
  return simulateSchedule({ ...base, rank: choosePriority(base, d).rank }, d).makespan;
}

// The schedulers Fanout is measured against, written here independently of the engine so that a
// bug in the engine cannot also flatter its baseline. All three are list schedulers on an
// idealized time line (every tool takes exactly its duration, `slots` run at once), and all three
// are greedy: a free slot is never left idle while a tool they are willing to start is ready.
//
// - FIFO: ready tools start in the order they became ready. What you get from a semaphore or
//   p-limit around `Promise.all`, with each call awaiting its inputs.
// - Superstep: LangGraph / Pregel's model. Tools run in waves by topological level (longest
//   distance from an entry); a wave's tools all start under the cap, and the next wave starts only
//   when the whole wave has ended.
// - HLFET: classic bottom-level list scheduling (highest level first, Adam/Chandy/Dickson 1974):
//   ready tools start in order of their longest remaining path, ties to the lower index.

/** A DAG over indices 0..n-1. */
export interface BenchDag {
  readonly preds: readonly (readonly number[])[];
  readonly succs: readonly (readonly number[])[];
}

export interface BaselineSchedule {
  readonly makespan: number;
  readonly start: Float64Array;
  readonly end: Float64Array;
}

export function succsOf(preds: readonly (readonly number[])[]): number[][] {
  const succs: number[][] = preds.map(() => []);
  preds.forEach((ps, i) => {
    for (const p of ps) succs[p].push(i);
  });
  return succs;
}

export function dagFromPreds(preds: readonly (readonly number[])[]): BenchDag {
  return { preds, succs: succsOf(preds) };
}

/** Topological order (Kahn, lowest index first among ready); throws on a cycle. */
export function topologicalOrder(dag: BenchDag): number[] {
  const n = dag.preds.length;
  const indeg = dag.preds.map((p) => p.length);
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) order.push(i);
  for (let h = 0; h < order.length; h++) for (const s of dag.succs[order[h]]) if (--indeg[s] === 0) order.push(s);
  if (order.length !== n) throw new Error('baselines: the graph has a cycle');
  return order;
}

/** Longest path (sum of durations) from each tool, inclusive, to an exit. */
export function bottomLevels(dag: BenchDag, durations: ArrayLike<number>): Float64Array {
  const order = topologicalOrder(dag);
  const bl = new Float64Array(order.length);
  for (let k = order.length - 1; k >= 0; k--) {
    const v = order[k];
    let m = 0;
    for (const s of dag.succs[v]) if (bl[s] > m) m = bl[s];
    bl[v] = durations[v] + m;
  }
  return bl;
}

/** Topological level: 0 for entries, else 1 + the highest level among the dependencies. */
export function depthLevels(dag: BenchDag): Int32Array {
  const level = new Int32Array(dag.preds.length);
  for (const v of topologicalOrder(dag)) {
    let m = -1;
    for (const p of dag.preds[v]) if (level[p] > m) m = level[p];
    level[v] = m + 1;
  }
  return level;
}

/** Binary min-heap over numbers with a comparator; small and local so the baselines share nothing with the engine. */
class MinHeap {
  private readonly a: number[] = [];
  constructor(private readonly less: (x: number, y: number) => boolean) {}
  get size(): number {
    return this.a.length;
  }
  peek(): number {
    return this.a[0];
  }
  push(x: number): void {
    const a = this.a;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  pop(): number {
    const a = this.a;
    const top = a[0];
    const last = a.pop() as number;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l], a[m])) m = l;
        if (r < a.length && this.less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

/**
 * Shared event loop of the list schedulers. `ready` decides the dispatch order among ready tools;
 * `eligible` can hold back ready tools (supersteps) and is re-asked after every instant. All
 * completions at one instant are processed (in index order) before dispatching, like the engine.
 */
function listSchedule(
  dag: BenchDag,
  durations: ArrayLike<number>,
  slots: number,
  queue: { push(i: number): void; pop(): number; readonly size: number },
): BaselineSchedule {
  const n = dag.preds.length;
  if (!(slots >= 1)) throw new Error('baselines: slots must be at least 1');
  const start = new Float64Array(n).fill(NaN);
  const end = new Float64Array(n).fill(NaN);
  const waiting = dag.preds.map((p) => p.length);
  const running = new MinHeap((x, y) => end[x] < end[y] || (end[x] === end[y] && x < y));
  for (let i = 0; i < n; i++) if (waiting[i] === 0) queue.push(i);
  let now = 0;
  let done = 0;
  const dispatch = (): void => {
    while (running.size < slots && queue.size > 0) {
      const t = queue.pop();
      if (t < 0) break;
      start[t] = now;
      end[t] = now + Math.max(0, durations[t]);
      running.push(t);
    }
  };
  dispatch();
  while (running.size > 0) {
    now = end[running.peek()];
    while (running.size > 0 && end[running.peek()] === now) {
      const t = running.pop();
      done++;
      for (const s of dag.succs[t]) if (--waiting[s] === 0) queue.push(s);
    }
    dispatch();
  }
  if (done !== n) throw new Error('baselines: the graph has a cycle');
  return { makespan: n === 0 ? 0 : now, start, end };
}

/** FIFO: a plain queue in the order tools became ready (entries in index order). */
export function fifoSchedule(dag: BenchDag, durations: ArrayLike<number>, slots: number): BaselineSchedule {
  const q: number[] = [];
  let head = 0;
  return listSchedule(dag, durations, slots, {
    push: (i) => void q.push(i),
    pop: () => (head < q.length ? q[head++] : -1),
    get size() {
      return q.length - head;
    },
  });
}

/** HLFET: highest bottom level first, ties to the lower index. */
export function hlfetSchedule(dag: BenchDag, durations: ArrayLike<number>, slots: number): BaselineSchedule {
  const bl = bottomLevels(dag, durations);
  const heap = new MinHeap((x, y) => bl[x] > bl[y] || (bl[x] === bl[y] && x < y));
  return listSchedule(dag, durations, slots, heap);
}

/**
 * Supersteps: wave k holds every tool at topological level k; it starts (under the cap, in index
 * order, a freed slot going to the next tool of the same wave) only once wave k-1 has entirely
 * ended.
 */
export function superstepSchedule(dag: BenchDag, durations: ArrayLike<number>, slots: number): BaselineSchedule {
  if (!(slots >= 1)) throw new Error('baselines: slots must be at least 1');
  const n = dag.preds.length;
  const level = depthLevels(dag);
  const waves: number[][] = [];
  for (let i = 0; i < n; i++) (waves[level[i]] ??= []).push(i);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  let waveStart = 0;
  for (const wave of waves) {
    // Within a wave every tool is ready, so FIFO under the cap: the earliest free slot takes the next tool.
    const slotFree: number[] = [];
    for (let s = 0; s < Math.min(slots, wave.length); s++) slotFree.push(waveStart);
    const slotLess = new MinHeap((x, y) => slotFree[x] < slotFree[y] || (slotFree[x] === slotFree[y] && x < y));
    for (let s = 0; s < slotFree.length; s++) slotLess.push(s);
    let waveEnd = waveStart;
    for (const t of wave) {
      const s = slotLess.pop();
      start[t] = slotFree[s];
      end[t] = start[t] + Math.max(0, durations[t]);
      slotFree[s] = end[t];
      slotLess.push(s);
      if (end[t] > waveEnd) waveEnd = end[t];
    }
    waveStart = waveEnd;
  }
  return { makespan: waveStart, start, end };
}

/**
 * Everything that makes a schedule valid: each tool starts after all its dependencies end, runs
 * for exactly its duration, and no more than `slots` run at any instant. Returns the problems.
 */
export function checkSchedule(dag: BenchDag, durations: ArrayLike<number>, slots: number, s: Pick<BaselineSchedule, 'start' | 'end' | 'makespan'>): string[] {
  const problems: string[] = [];
  const n = dag.preds.length;
  let last = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(s.start[i]) || !Number.isFinite(s.end[i])) {
      problems.push(`tool ${i} never ran`);
      continue;
    }
    if (Math.abs(s.end[i] - s.start[i] - Math.max(0, durations[i])) > 1e-9) problems.push(`tool ${i} ran ${s.end[i] - s.start[i]} instead of ${durations[i]}`);
    for (const p of dag.preds[i]) if (s.start[i] < s.end[p]) problems.push(`tool ${i} started at ${s.start[i]} before its dependency ${p} ended at ${s.end[p]}`);
    last = Math.max(last, s.end[i]);
  }
  if (n > 0 && s.makespan !== last) problems.push(`makespan ${s.makespan} but the last tool ends at ${last}`);
  // Sweep: ends before starts at the same instant (a slot freed at t can be reused at t).
  const ev: [number, number][] = [];
  for (let i = 0; i < n; i++) if (s.end[i] > s.start[i]) ev.push([s.start[i], 1], [s.end[i], -1]);
  ev.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let running = 0;
  for (const [t, d] of ev) {
    running += d;
    if (running > slots) {
      problems.push(`${running} tools running at ${t} with ${slots} slots`);
      break;
    }
  }
  return problems;
}

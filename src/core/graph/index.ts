// The dependency graph's algorithms, once for the whole core (issue 14: the analyser, the
// engine and the run record each had their own topological order and longest path). A graph is
// two adjacency lists over tool indices (plan order): `preds[i]` the tools i depends on, `succs[i]`
// the tools that depend on i. Everything is iterative (no recursion: 100k-tool chains) and works
// on typed arrays, because the engine runs it on every run.

export type Adjacency = readonly (readonly number[])[];

/** The two directions of a graph; analysis/buildGraph's Graph and engine/dag's PlanDag are both. */
export interface DagView {
  readonly preds: Adjacency;
  readonly succs: Adjacency;
}

/**
 * Kahn's algorithm: a topological order, plan order among tools ready together (lowest index
 * first), or null when the graph has a cycle.
 */
export function topoOrder(dag: DagView): Int32Array | null {
  const n = dag.preds.length;
  const indeg = new Int32Array(n);
  const order = new Int32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) {
    indeg[i] = dag.preds[i].length;
    if (indeg[i] === 0) order[tail++] = i;
  }
  for (let h = 0; h < tail; h++) {
    for (const s of dag.succs[order[h]]) if (--indeg[s] === 0) order[tail++] = s;
  }
  return tail === n ? order : null;
}

/** Successor lists from predecessor lists (for callers that only keep `preds`, as run records). */
export function succsOf(preds: Adjacency): number[][] {
  const succs: number[][] = Array.from({ length: preds.length }, (): number[] => []);
  for (let i = 0; i < preds.length; i++) for (const p of preds[i]) succs[p].push(i);
  return succs;
}

/** Bottom level: the longest path from each tool (its own duration included) to an exit. */
export function bottomLevels(dag: Pick<DagView, 'succs'>, order: ArrayLike<number>, d: ArrayLike<number>): Float64Array {
  const bl = new Float64Array(dag.succs.length);
  for (let k = order.length - 1; k >= 0; k--) {
    const v = order[k];
    let m = 0;
    for (const s of dag.succs[v]) if (bl[s] > m) m = bl[s];
    bl[v] = d[v] + m;
  }
  return bl;
}

/** Top level: the longest path from an entry to the start of each tool. */
export function topLevels(dag: Pick<DagView, 'preds'>, order: ArrayLike<number>, d: ArrayLike<number>): Float64Array {
  const tl = new Float64Array(dag.preds.length);
  for (let k = 0; k < order.length; k++) {
    const v = order[k];
    let m = 0;
    for (const p of dag.preds[v]) if (tl[p] + d[p] > m) m = tl[p] + d[p];
    tl[v] = m;
  }
  return tl;
}

/**
 * The longest path's length with per-tool weights (the critical path with unlimited slots);
 * `order` is computed when not given. 0 for a cyclic graph (no path is longest). `release` is the
 * earliest time each tool may start (a streamed call cannot start before its arguments close), so
 * the result is then the earliest end with unlimited slots, not just the heaviest chain.
 */
export function longestPath(preds: Adjacency, w: ArrayLike<number>, order?: ArrayLike<number>, release?: ArrayLike<number>): number {
  const o = order ?? topoOrder({ preds, succs: succsOf(preds) });
  if (!o) return 0;
  const finish = new Float64Array(preds.length);
  let best = 0;
  for (let k = 0; k < o.length; k++) {
    const v = o[k];
    let start = release ? release[v] ?? 0 : 0;
    for (const p of preds[v]) if (finish[p] > start) start = finish[p];
    finish[v] = start + w[v];
    if (finish[v] > best) best = finish[v];
  }
  return best;
}

/** Topological level of each tool: 0 without dependencies, else 1 + its deepest dependency's. */
export function levelOf(dag: Pick<DagView, 'preds'>, order: ArrayLike<number>): Int32Array {
  const level = new Int32Array(dag.preds.length);
  for (let k = 0; k < order.length; k++) {
    const v = order[k];
    let l = 0;
    for (const p of dag.preds[v]) if (level[p] + 1 > l) l = level[p] + 1;
    level[v] = l;
  }
  return level;
}

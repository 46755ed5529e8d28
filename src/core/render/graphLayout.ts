// A layered ("Sugiyama") layout for dependency graphs, small and fast enough to run on a webview's
// main thread: ranks by longest path, long edges split into virtual nodes, crossings reduced by
// barycentre sweeps (the best order seen is kept), coordinates by isotonic regression of each
// layer towards its neighbours (pool-adjacent-violators), so a fan-out centres on its source.
// Mermaid's own layout took 200-1,500 ms of one task for 10-150 tools (docs/plan-view-graph.md);
// this one takes a few milliseconds. Pure: node sizes come from the caller, who measures text.

export type LayoutDirection = 'LR' | 'TD';

export interface LayoutNodeInput {
  readonly id: string;
  readonly width: number;
  readonly height: number;
}

export interface LayoutEdgeInput {
  readonly from: string;
  readonly to: string;
}

export interface LayoutOptions {
  /** LR: ranks are columns (dependencies left of dependents); TD: ranks are rows. Default LR. */
  readonly direction?: LayoutDirection;
  /** Space between ranks. Default 48. */
  readonly rankGap?: number;
  /** Space between neighbours in one rank. Default 14. */
  readonly nodeGap?: number;
  /** Space around the drawing. Default 8. */
  readonly margin?: number;
  /** Crossing-reduction rounds (one down and one up sweep each). Default 6. */
  readonly sweeps?: number;
  /**
   * Width ÷ height the grid of unconnected nodes aims for (the panel's shape). Tools with no
   * dependencies and no dependents (forty independent calls) are laid out in rows under the layered
   * drawing instead of one tall rank. Default 1.6.
   */
  readonly aspect?: number;
}

export interface PlacedNode {
  readonly id: string;
  /** Top-left corner. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly rank: number;
}

export interface PlacedEdge {
  readonly from: string;
  readonly to: string;
  /** From the source's border to the target's border, through the edge's virtual nodes. */
  readonly points: readonly (readonly [number, number])[];
  /** The edge closes a cycle (only in plans with errors): drawn against the rank order. */
  readonly reversed: boolean;
}

export interface GraphLayout {
  readonly direction: LayoutDirection;
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
}

/** Order-axis room a virtual node (a long edge passing a rank) takes. */
const VIRTUAL_EXTENT = 6;

interface Vertex {
  readonly real: number; // index into nodes, or -1 for a virtual node
  readonly rankExtent: number;
  readonly orderExtent: number;
  rank: number;
  order: number;
  /** Centre on the order axis. */
  pos: number;
  readonly preds: number[];
  readonly succs: number[];
}

export function layoutGraph(nodes: readonly LayoutNodeInput[], edges: readonly LayoutEdgeInput[], options: LayoutOptions = {}): GraphLayout {
  const ids = new Set(nodes.map((n) => n.id));
  const linked = new Set<string>();
  for (const e of edges) {
    if (e.from === e.to || !ids.has(e.from) || !ids.has(e.to)) continue;
    linked.add(e.from);
    linked.add(e.to);
  }
  const loose = nodes.filter((n) => !linked.has(n.id));
  if (loose.length < 2) return layered(nodes, edges, options);
  const margin = options.margin ?? 8;
  const gap = options.nodeGap ?? 14;
  const main = linked.size > 0 ? layered(nodes.filter((n) => linked.has(n.id)), edges, options) : null;
  const cellW = Math.max(...loose.map((n) => n.width));
  const cellH = Math.max(...loose.map((n) => n.height));
  const aspect = options.aspect ?? 1.6;
  // Rounded up: a grid a little wider than the panel's shape wastes less than one a little taller.
  const cols = Math.max(1, Math.min(loose.length, Math.ceil(Math.sqrt((loose.length * aspect * (cellH + gap)) / (cellW + gap)))));
  const rows = Math.ceil(loose.length / cols);
  const top = main ? main.height - margin + 2 * gap : margin;
  const placed = new Map<string, PlacedNode>(main?.nodes.map((n) => [n.id, n]) ?? []);
  loose.forEach((n, i) => {
    const col = i % cols;
    const row = Math.floor(i / cols);
    placed.set(n.id, { id: n.id, x: margin + col * (cellW + gap) + (cellW - n.width) / 2, y: top + row * (cellH + gap) + (cellH - n.height) / 2, width: n.width, height: n.height, rank: 0 });
  });
  return {
    direction: options.direction ?? 'LR',
    width: Math.max(main?.width ?? 0, 2 * margin + cols * cellW + (cols - 1) * gap),
    height: top + rows * cellH + (rows - 1) * gap + margin,
    nodes: nodes.map((n) => placed.get(n.id) as PlacedNode),
    edges: main?.edges ?? [],
  };
}

function layered(nodes: readonly LayoutNodeInput[], edges: readonly LayoutEdgeInput[], options: LayoutOptions): GraphLayout {
  const direction = options.direction ?? 'LR';
  const rankGap = options.rankGap ?? 48;
  const nodeGap = options.nodeGap ?? 14;
  const margin = options.margin ?? 8;
  const sweeps = options.sweeps ?? 6;
  const lr = direction === 'LR';

  const indexOf = new Map<string, number>();
  nodes.forEach((n, i) => { if (!indexOf.has(n.id)) indexOf.set(n.id, i); });
  const n = nodes.length;
  const pairs: [number, number][] = [];
  const seen = new Set<string>();
  for (const e of edges) {
    const a = indexOf.get(e.from);
    const b = indexOf.get(e.to);
    if (a === undefined || b === undefined || a === b || seen.has(`${a},${b}`)) continue;
    seen.add(`${a},${b}`);
    pairs.push([a, b]);
  }
  const back = backEdges(n, pairs);
  // Layering edges: every edge points down the ranks (a back edge is turned round).
  const down = pairs.map(([a, b], k) => (back.has(k) ? [b, a] as const : [a, b] as const));
  const rank = longestPathRanks(n, down);

  const vs: Vertex[] = nodes.map((node, i) => ({
    real: i, rankExtent: lr ? node.width : node.height, orderExtent: lr ? node.height : node.width,
    rank: rank[i], order: 0, pos: 0, preds: [], succs: [],
  }));
  // Each edge as its chain of vertices, top rank first.
  const chains: number[][] = down.map(([a, b]) => {
    const chain = [a];
    for (let r = rank[a] + 1; r < rank[b]; r++) {
      vs.push({ real: -1, rankExtent: 0, orderExtent: VIRTUAL_EXTENT, rank: r, order: 0, pos: 0, preds: [], succs: [] });
      chain.push(vs.length - 1);
    }
    chain.push(b);
    for (let k = 1; k < chain.length; k++) {
      vs[chain[k - 1]].succs.push(chain[k]);
      vs[chain[k]].preds.push(chain[k - 1]);
    }
    return chain;
  });

  const rankCount = n === 0 ? 0 : Math.max(...rank) + 1;
  const layers: number[][] = Array.from({ length: rankCount }, () => []);
  for (let v = 0; v < vs.length; v++) layers[vs[v].rank].push(v);
  orderLayers(vs, layers, sweeps);
  placeOrderAxis(vs, layers, nodeGap);

  // Rank axis: each rank as wide as its widest node; nodes centred in their rank.
  const rankStart: number[] = [];
  let cursor = margin;
  for (const layer of layers) {
    rankStart.push(cursor);
    cursor += Math.max(0, ...layer.map((v) => vs[v].rankExtent)) + rankGap;
  }
  const rankSize = layers.map((layer) => Math.max(0, ...layer.map((v) => vs[v].rankExtent)));
  const rankLength = Math.max(0, cursor - rankGap + margin);
  let minPos = Infinity;
  let maxPos = -Infinity;
  for (const v of vs) {
    minPos = Math.min(minPos, v.pos - v.orderExtent / 2);
    maxPos = Math.max(maxPos, v.pos + v.orderExtent / 2);
  }
  const shift = vs.length === 0 ? 0 : margin - minPos;
  const orderLength = vs.length === 0 ? 2 * margin : maxPos - minPos + 2 * margin;
  const at = (r: number, o: number): [number, number] => (lr ? [r, o] : [o, r]);

  const placed: PlacedNode[] = nodes.map((node, i) => {
    const v = vs[i];
    const r = rankStart[v.rank] + (rankSize[v.rank] - v.rankExtent) / 2;
    const o = v.pos + shift - v.orderExtent / 2;
    const [x, y] = at(r, o);
    return { id: node.id, x, y, width: node.width, height: node.height, rank: v.rank };
  });
  const placedEdges: PlacedEdge[] = chains.map((chain, k) => {
    const points: [number, number][] = [];
    chain.forEach((v, j) => {
      const vx = vs[v];
      const o = vx.pos + shift;
      const r0 = rankStart[vx.rank] + (rankSize[vx.rank] - vx.rankExtent) / 2;
      if (vx.real < 0) {
        // A virtual node: the edge passes through the whole rank.
        points.push(at(rankStart[vx.rank], o), at(rankStart[vx.rank] + rankSize[vx.rank], o));
      } else {
        points.push(at(j === 0 ? r0 + vx.rankExtent : r0, o));
      }
    });
    const reversed = back.has(k);
    if (reversed) points.reverse();
    const [a, b] = pairs[k];
    return { from: nodes[a].id, to: nodes[b].id, points, reversed };
  });
  const [width, height] = lr ? [rankLength, orderLength] : [orderLength, rankLength];
  return { direction, width: Math.max(width, 2 * margin), height: Math.max(height, 2 * margin), nodes: placed, edges: placedEdges };
}

/** Indices into `pairs` of the edges that close a cycle: an iterative DFS's edges to a vertex on its stack. */
function backEdges(n: number, pairs: readonly (readonly [number, number])[]): Set<number> {
  const outs: [number, number][][] = Array.from({ length: n }, () => []);
  pairs.forEach(([a, b], k) => outs[a].push([b, k]));
  const state = new Uint8Array(n); // 0 unseen, 1 on the stack, 2 done
  const back = new Set<number>();
  for (let root = 0; root < n; root++) {
    if (state[root] !== 0) continue;
    const stack: [number, number][] = [[root, 0]];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [v, next] = top;
      if (next >= outs[v].length) {
        state[v] = 2;
        stack.pop();
        continue;
      }
      top[1]++;
      const [w, k] = outs[v][next];
      if (state[w] === 1) back.add(k);
      else if (state[w] === 0) {
        state[w] = 1;
        stack.push([w, 0]);
      }
    }
  }
  return back;
}

/** Longest-path ranks over edges that all point downwards (an acyclic set). */
function longestPathRanks(n: number, edges: readonly (readonly [number, number])[]): number[] {
  const rank = new Array<number>(n).fill(0);
  const indeg = new Array<number>(n).fill(0);
  const outs: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of edges) {
    outs[a].push(b);
    indeg[b]++;
  }
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) queue.push(i);
  for (let q = 0; q < queue.length; q++) {
    const a = queue[q];
    for (const b of outs[a]) {
      rank[b] = Math.max(rank[b], rank[a] + 1);
      if (--indeg[b] === 0) queue.push(b);
    }
  }
  return rank;
}

/** Barycentre sweeps, keeping the order with the fewest crossings seen. */
function orderLayers(vs: Vertex[], layers: number[][], sweeps: number): void {
  const setOrders = (): void => layers.forEach((layer) => layer.forEach((v, i) => { vs[v].order = i; }));
  setOrders();
  let best = layers.map((l) => l.slice());
  let bestCrossings = crossings(vs, layers);
  const key = new Float64Array(vs.length);
  const preds = (v: number): readonly number[] => vs[v].preds;
  const succs = (v: number): readonly number[] => vs[v].succs;
  for (let s = 0; s < sweeps && bestCrossings > 0; s++) {
    for (let r = 1; r < layers.length; r++) sortByBarycentre(vs, layers[r], preds, key);
    for (let r = layers.length - 2; r >= 0; r--) sortByBarycentre(vs, layers[r], succs, key);
    const c = crossings(vs, layers);
    if (c < bestCrossings) {
      bestCrossings = c;
      best = layers.map((l) => l.slice());
    }
  }
  best.forEach((l, r) => { layers[r] = l; });
  setOrders();
}

function sortByBarycentre(vs: Vertex[], layer: number[], neighbours: (v: number) => readonly number[], key: Float64Array): void {
  for (const v of layer) {
    const ns = neighbours(v);
    let sum = 0;
    for (const u of ns) sum += vs[u].order;
    key[v] = ns.length === 0 ? vs[v].order : sum / ns.length;
  }
  // Stable: ties keep their current order.
  layer.sort((a, b) => key[a] - key[b] || vs[a].order - vs[b].order);
  for (let i = 0; i < layer.length; i++) vs[layer[i]].order = i;
}

/** Edge crossings between adjacent ranks, counted as inversions with a Fenwick tree. */
function crossings(vs: readonly Vertex[], layers: readonly (readonly number[])[]): number {
  let total = 0;
  for (let r = 0; r + 1 < layers.length; r++) {
    // Edges in order of (source order, target order): the layer is already sorted by order.
    const ends: number[] = [];
    for (const v of layers[r]) {
      const start = ends.length;
      for (const u of vs[v].succs) ends.push(vs[u].order);
      sortRange(ends, start);
    }
    const size = layers[r + 1].length;
    const tree = new Int32Array(size + 1);
    let added = 0;
    for (const to of ends) {
      // Edges already added that end right of `to` cross this one.
      let atMost = 0;
      for (let i = to + 1; i > 0; i -= i & -i) atMost += tree[i];
      total += added - atMost;
      for (let i = to + 1; i <= size; i += i & -i) tree[i]++;
      added++;
    }
  }
  return total;
}

/** Insertion sort of a[start..]: a vertex has few successors. */
function sortRange(a: number[], start: number): void {
  for (let i = start + 1; i < a.length; i++) {
    const x = a[i];
    let j = i - 1;
    while (j >= start && a[j] > x) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = x;
  }
}

/** Order-axis centres: packed, then pulled towards neighbours' centres a few times each way. */
function placeOrderAxis(vs: Vertex[], layers: readonly (readonly number[])[], gap: number): void {
  for (const layer of layers) {
    let c = 0;
    layer.forEach((v, i) => {
      if (i > 0) c += (vs[layer[i - 1]].orderExtent + vs[v].orderExtent) / 2 + gap;
      vs[v].pos = c;
    });
  }
  const mean = (ns: readonly number[], fallback: number): number => {
    if (ns.length === 0) return fallback;
    let sum = 0;
    for (const u of ns) sum += vs[u].pos;
    return sum / ns.length;
  };
  const both = (v: number): number => {
    const { preds, succs } = vs[v];
    if (preds.length + succs.length === 0) return vs[v].pos;
    return (mean(preds, 0) * preds.length + mean(succs, 0) * succs.length) / (preds.length + succs.length);
  };
  for (let round = 0; round < 4; round++) {
    for (let r = 1; r < layers.length; r++) align(vs, layers[r], gap, (v) => mean(vs[v].preds, vs[v].pos));
    for (let r = layers.length - 2; r >= 0; r--) align(vs, layers[r], gap, (v) => mean(vs[v].succs, vs[v].pos));
  }
  for (let r = 0; r < layers.length; r++) align(vs, layers[r], gap, both);
}

/**
 * Moves a layer's centres as close to their targets as the order and spacing allow: the least-squares
 * solution (pool adjacent violators on centres minus their minimum offsets).
 */
function align(vs: Vertex[], layer: readonly number[], gap: number, target: (v: number) => number): void {
  if (layer.length === 0) return;
  const offset: number[] = [];
  let acc = 0;
  layer.forEach((v, i) => {
    if (i > 0) acc += (vs[layer[i - 1]].orderExtent + vs[v].orderExtent) / 2 + gap;
    offset.push(acc);
  });
  // Blocks of pooled values: mean of (target - offset) over the block.
  const sums: number[] = [];
  const counts: number[] = [];
  layer.forEach((v, i) => {
    sums.push(target(v) - offset[i]);
    counts.push(1);
    while (sums.length > 1 && sums[sums.length - 2] / counts[counts.length - 2] > sums[sums.length - 1] / counts[counts.length - 1]) {
      const s = sums.pop() as number;
      const c = counts.pop() as number;
      sums[sums.length - 1] += s;
      counts[counts.length - 1] += c;
    }
  });
  let i = 0;
  sums.forEach((s, b) => {
    const value = s / counts[b];
    for (let j = 0; j < counts[b]; j++, i++) vs[layer[i]].pos = value + offset[i];
  });
}

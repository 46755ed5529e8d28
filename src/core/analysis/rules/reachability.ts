import type { Graph } from '../types';
import { topoPositions } from './common';

/**
 * Sources per pass: each pass keeps one bitset of this many bits per tool, so memory stays at
 * n × 256 bytes (25 MB for 100k tools) whatever the number of queries.
 */
const SOURCES_PER_PASS = 2048;
const WORDS = SOURCES_PER_PASS / 32;

/**
 * Answers "is `from` an ancestor of `to`?" for a batch of pairs, e.g. the writers of one file.
 * Rather than a DFS per pair (quadratic on big plans), each pass propagates the ancestor bits of up
 * to 2048 query sources forward in topological order, starting at the earliest source and stopping
 * at the last target: O(passes × (n + e) × 64) words, near-linear for the few tools that share a
 * resource. Returns one boolean per pair.
 */
export function areAncestors(graph: Graph, order: readonly number[], pairs: readonly (readonly [number, number])[]): boolean[] {
  const answers = new Array<boolean>(pairs.length).fill(false);
  if (pairs.length === 0) return answers;
  const pos = topoPositions(order);
  const sources = [...new Set(pairs.map(([from]) => from))];
  const slot = new Map<number, number>();
  const n = graph.ids.length;
  const bits = new Uint32Array(n * WORDS);
  for (let first = 0; first < sources.length; first += SOURCES_PER_PASS) {
    const chunk = sources.slice(first, first + SOURCES_PER_PASS);
    slot.clear();
    chunk.forEach((s, k) => slot.set(s, k));
    const mine = pairs.map((p, k) => k).filter((k) => slot.has(pairs[k][0]));
    let from = n;
    let to = -1;
    for (const s of chunk) from = Math.min(from, pos[s]);
    for (const k of mine) to = Math.max(to, pos[pairs[k][1]]);
    bits.fill(0);
    for (let k = from; k <= to; k++) {
      const v = order[k];
      const base = v * WORDS;
      for (const p of graph.preds[v]) {
        if (pos[p] < from) continue;
        const pb = p * WORDS;
        for (let w = 0; w < WORDS; w++) bits[base + w] |= bits[pb + w];
      }
      const own = slot.get(v);
      if (own !== undefined) bits[base + (own >>> 5)] |= 1 << (own & 31);
    }
    for (const k of mine) {
      const [a, b] = pairs[k];
      if (a === b) continue;
      const s = slot.get(a) as number;
      answers[k] = (bits[b * WORDS + (s >>> 5)] & (1 << (s & 31))) !== 0;
    }
  }
  return answers;
}

// Seeded random DAGs for the bench. Every generator returns tools in a topological order
// (predecessors have lower indices), the same shape as an STG graph, so one adapter (stgToPlan)
// turns any of them into a plan.
//
// Which are realistic for agent tool batches? `fork-join` and `pipelines` are: an agent fans out
// searches/fetches, each result goes through a short chain (fetch → parse → summarise), and a join
// (the LLM step) waits for all of them before the next batch. `layered` and `random-order` are the
// generic shapes of the scheduling literature (STG's layrprob / sameprob) and are included so the
// comparison is not limited to shapes that favour one scheduler.
import type { StgGraph } from './stg';

import { seededRandom as rng } from '../../src/core/random';

export { rng };

function int(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

function normal(r: () => number): number {
  // Box–Muller; 1 - r() keeps the log argument in (0, 1].
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/**
 * Tool latencies as agents see them: lognormal around `medianMs` (sigma 0.8: a p90 about 2.8× the
 * median), and a few stragglers (`stragglerRate`) 5–20× slower (cold starts, retries upstream,
 * slow pages). Whole milliseconds, at least 1.
 */
export function lognormalDurations(n: number, r: () => number, medianMs = 300, sigma = 0.8, stragglerRate = 0.03): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let d = medianMs * Math.exp(sigma * normal(r));
    if (r() < stragglerRate) d *= 5 + 15 * r();
    out.push(Math.max(1, Math.round(d)));
  }
  return out;
}

export type GeneratorName = 'layered' | 'random-order' | 'fork-join' | 'pipelines';
export const GENERATORS: readonly GeneratorName[] = ['layered', 'random-order', 'fork-join', 'pipelines'];

/** Layers of random width; each tool depends on 1–3 tools of the previous layer, sometimes one older. */
function layered(n: number, r: () => number): number[][] {
  const preds: number[][] = [];
  let prev: number[] = [];
  let older: number[] = [];
  while (preds.length < n) {
    const width = Math.min(n - preds.length, int(r, 4, 40));
    const layer: number[] = [];
    for (let k = 0; k < width; k++) {
      const i = preds.length;
      const ps = new Set<number>();
      if (prev.length > 0) {
        const m = int(r, 1, Math.min(3, prev.length));
        while (ps.size < m) ps.add(prev[int(r, 0, prev.length - 1)]);
        if (older.length > 0 && r() < 0.2) ps.add(older[int(r, 0, older.length - 1)]);
      }
      preds.push([...ps].sort((a, b) => a - b));
      layer.push(i);
    }
    older = older.concat(prev);
    prev = layer;
  }
  return preds;
}

/** Random order with edge probability (STG's sameprob): i → j (i < j) with probability 2·degree/n. */
function randomOrder(n: number, r: () => number): number[][] {
  const degree = 1 + 3 * r(); // mean in-degree between 1 and 4
  const p = (2 * degree) / n;
  const preds: number[][] = [];
  for (let j = 0; j < n; j++) {
    const ps: number[] = [];
    for (let i = 0; i < j; i++) if (r() < p) ps.push(i);
    preds.push(ps);
  }
  return preds;
}

/** Rounds of fan-out → join: a join tool waits on 4–64 branches (each a chain of 1–3 tools). */
function forkJoin(n: number, r: () => number): number[][] {
  const preds: number[][] = [[]];
  let join = 0;
  while (preds.length < n) {
    const width = int(r, 4, 64);
    const tails: number[] = [];
    for (let b = 0; b < width && preds.length < n - 1; b++) {
      let last = join;
      const len = int(r, 1, 3);
      for (let k = 0; k < len && preds.length < n - 1; k++) {
        preds.push([last]);
        last = preds.length - 1;
      }
      tails.push(last);
    }
    preds.push(tails.length > 0 ? tails : [join]);
    join = preds.length - 1;
  }
  return preds.slice(0, n);
}

/**
 * Independent research pipelines run side by side: search → 2–8 fetches → parse each → a per-query
 * summary; some pipelines start from an earlier pipeline's summary; a final report joins them all.
 */
function pipelines(n: number, r: () => number): number[][] {
  const preds: number[][] = [];
  const summaries: number[] = [];
  while (preds.length < n - 1) {
    const root = summaries.length > 0 && r() < 0.3 ? [summaries[int(r, 0, summaries.length - 1)]] : [];
    preds.push(root);
    const search = preds.length - 1;
    const parsed: number[] = [];
    const fetches = int(r, 2, 8);
    for (let f = 0; f < fetches && preds.length < n - 2; f++) {
      preds.push([search]);
      preds.push([preds.length - 1]);
      parsed.push(preds.length - 1);
    }
    if (preds.length >= n - 1) break;
    preds.push(parsed.length > 0 ? parsed : [search]);
    summaries.push(preds.length - 1);
  }
  preds.push(summaries.length > 0 ? summaries : []);
  return preds.slice(0, n);
}

export function generate(kind: GeneratorName, n: number, seed: number): StgGraph {
  const r = rng(seed);
  const preds =
    kind === 'layered' ? layered(n, r) : kind === 'random-order' ? randomOrder(n, r) : kind === 'fork-join' ? forkJoin(n, r) : pipelines(n, r);
  return { name: `${kind}-${n}-s${seed}`, preds, durations: lognormalDurations(preds.length, r) };
}

// Reader for the Kasahara Standard Task Graph Set (.stg) and its table of optimal makespans
// (/work/shared/bench/stg, README there). Shared by the engine tests and `npm run bench`.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plan, ToolSpec } from '../../src/core/plan/types';

/** ../shared/bench/stg next to the repository root (FANOUT_STG_DIR overrides). */
export const STG_DIR = process.env.FANOUT_STG_DIR ?? resolve(__dirname, '..', '..', '..', 'shared', 'bench', 'stg');

/** One task graph: tasks 0..n+1 (0 and n+1 are zero-cost dummies), preds[i] all < i. */
export interface StgGraph {
  readonly name: string;
  readonly durations: readonly number[];
  readonly preds: readonly (readonly number[])[];
}

/** Parses .stg text: `N`, then N+2 lines `id time npreds pred…`; `#` lines are a trailer. */
export function parseStg(text: string, name = 'stg'): StgGraph {
  const nums: number[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '' ) continue;
    if (t.startsWith('#')) break;
    for (const w of t.split(/\s+/)) {
      const v = Number(w);
      if (!Number.isInteger(v) || v < 0) throw new Error(`${name}: '${w}' is not a non-negative integer`);
      nums.push(v);
    }
  }
  let p = 0;
  const n = nums[p++];
  if (n === undefined) throw new Error(`${name}: empty file`);
  const durations: number[] = [];
  const preds: number[][] = [];
  for (let k = 0; k < n + 2; k++) {
    const id = nums[p++];
    const time = nums[p++];
    const np = nums[p++];
    if (id !== k || time === undefined || np === undefined) throw new Error(`${name}: task line ${k} is malformed`);
    const ps: number[] = [];
    for (let j = 0; j < np; j++) {
      const q = nums[p++];
      if (q === undefined || q >= k) throw new Error(`${name}: task ${k} has predecessor ${q}, which is not an earlier task`);
      ps.push(q);
    }
    durations.push(time);
    preds.push(ps);
  }
  return { name, durations, preds };
}

export function readStg(relative: string): StgGraph {
  return parseStg(readFileSync(join(STG_DIR, relative), 'utf8'), relative);
}

/** The graph as a plan of `simulate` tools t0…t(n+1) with `durationMs` = processing time. */
export function stgToPlan(g: StgGraph, maxConcurrency?: number): Plan {
  const start = { offset: 0, length: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
  const tools: ToolSpec[] = g.durations.map((d, i) => ({
    id: `t${i}`, kind: 'simulate', label: `t${i}`, args: { durationMs: d }, dependsOn: g.preds[i].map((q) => `t${q}`),
    writes: [], index: i, ranges: { tool: start },
  }));
  return {
    name: g.name, format: 'native', syntax: 'json', limits: Object.create(null) as Record<string, number>,
    failurePolicy: 'skip-dependents', defaults: {}, dedupe: false, ranges: {}, tools,
    ...(maxConcurrency !== undefined ? { maxConcurrency } : {}),
  };
}

export interface StgOptimum {
  readonly graph: string;
  readonly procs: number;
  readonly lower: number;
  readonly best: number;
  readonly status: 'optimal' | 'bounds';
  readonly inSubset: boolean;
}

/** optimal.csv: `graph,procs,lower,best,status,trivial_lb,cp_length,total_work,in_subset`. */
export function readOptimal(): StgOptimum[] {
  const lines = readFileSync(join(STG_DIR, 'optimal.csv'), 'utf8').trim().split('\n').slice(1);
  return lines.map((l) => {
    const c = l.split(',');
    return { graph: c[0], procs: Number(c[1]), lower: Number(c[2]), best: Number(c[3]), status: c[4] as 'optimal' | 'bounds', inSubset: c[8] === '1' };
  });
}

export interface StgRow {
  readonly graph: string;
  readonly procs: number;
  readonly makespan: number;
  readonly best: number;
  readonly lower: number;
  readonly status: 'optimal' | 'bounds';
  /** makespan / best. */
  readonly ratio: number;
}

export interface StgSetSummary {
  /** e.g. "50/p4": graph size and processor count. */
  readonly set: string;
  readonly count: number;
  readonly mean: number;
  readonly worst: number;
}

/** Mean and worst makespan/best per (size, procs) set and overall. */
export function summarizeStg(rows: readonly StgRow[]): { sets: StgSetSummary[]; overall: StgSetSummary } {
  const summarize = (set: string, rs: readonly StgRow[]): StgSetSummary => ({
    set, count: rs.length, mean: rs.reduce((a, r) => a + r.ratio, 0) / Math.max(1, rs.length), worst: Math.max(...rs.map((r) => r.ratio)),
  });
  const keys = [...new Set(rows.map((r) => `${r.graph.split('/')[0]}/p${r.procs}`))];
  return {
    sets: keys.map((k) => summarize(k, rows.filter((r) => `${r.graph.split('/')[0]}/p${r.procs}` === k))),
    overall: summarize('all', rows),
  };
}

/**
 * Scores a makespan predictor on every (graph, P) of the stored subset. `predict` gets the plan
 * (maxConcurrency = P) and returns the makespan, e.g. via the engine's predictMakespan.
 */
export function scoreStg(predict: (plan: Plan, procs: number) => number): StgRow[] {
  const cache = new Map<string, Plan>();
  return readOptimal().filter((o) => o.inSubset).map((o) => {
    let plan = cache.get(o.graph);
    if (!plan) {
      plan = stgToPlan(readStg(o.graph));
      cache.set(o.graph, plan);
    }
    const makespan = predict({ ...plan, maxConcurrency: o.procs }, o.procs);
    return { graph: o.graph, procs: o.procs, makespan, best: o.best, lower: o.lower, status: o.status, ratio: makespan / o.best };
  });
}

// Section 1: the Kasahara STG subset against its optimal / best-known makespans. Fanout is run
// through predictMakespan (what `fanout analyze` and `simulate` use) with durations = processing
// times and maxConcurrency = P; HLFET (plain bottom-level list scheduling, baselines.ts) is the
// baseline. One graph is also run through the async simulate() on the VirtualClock to confirm
// that path gives the same makespan.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildGraph } from '../../../src/core/analysis/graph';
import type { Graph } from '../../../src/core/analysis/types';
import { predictMakespan, predictSchedule, simulate } from '../../../src/core/engine/simulate';
import { checkSchedule, dagFromPreds, hlfetSchedule } from '../baselines';
import { fx, table, type BenchContext, type SectionResult, type Target } from '../report';
import { max, mean, round } from '../stats';
import { STG_DIR, readOptimal, readStg, stgToPlan, type StgGraph } from '../stg';

export const PROCS = [2, 4, 8, 16] as const;

interface Row {
  readonly graph: string;
  readonly set: string;
  readonly procs: number;
  readonly best: number;
  readonly lower: number;
  readonly status: 'optimal' | 'bounds';
  readonly fanout: number;
  readonly hlfet: number;
}

export function requireStgDir(): void {
  if (!existsSync(join(STG_DIR, 'optimal.csv'))) {
    throw new Error(
      `STG data not found at ${STG_DIR} (expected optimal.csv and the 50/ and 100/ graphs). ` +
        `The bench looks for ../shared/bench/stg next to the repository root; put the STG subset there or set FANOUT_STG_DIR.`,
    );
  }
}

function graphOf(plan: ReturnType<typeof stgToPlan>): Graph {
  const { graph } = buildGraph(plan);
  if (!graph) throw new Error(`${plan.name}: buildGraph failed`);
  return graph;
}

export async function stgSection(ctx: BenchContext): Promise<SectionResult> {
  requireStgDir();
  const optimal = readOptimal();
  const byKey = new Map(optimal.map((o) => [`${o.graph}@${o.procs}`, o]));
  const files: string[] = [];
  for (const set of ['50', '100']) {
    const names = readdirSync(join(STG_DIR, set)).filter((f) => f.endsWith('.stg')).sort();
    // --quick: every fourth graph of each set.
    files.push(...names.filter((_, k) => !ctx.quick || k % 4 === 0).map((f) => `${set}/${f}`));
  }
  ctx.progress(`stg: ${files.length} graphs × P ∈ {${PROCS.join(',')}}`);
  const rows: Row[] = [];
  const invalid: string[] = [];
  const t0 = performance.now();
  let fanoutMs = 0;
  const graphs = new Map<string, StgGraph>();
  for (const file of files) {
    const g = readStg(file);
    graphs.set(file, g);
    const dag = dagFromPreds(g.preds);
    for (const P of PROCS) {
      const o = byKey.get(`${file}@${P}`);
      if (!o) throw new Error(`optimal.csv has no row for ${file} at P=${P}`);
      const plan = stgToPlan(g, P);
      const graph = graphOf(plan);
      const f0 = performance.now();
      const fanout = predictMakespan(plan, graph, g.durations, P);
      fanoutMs += performance.now() - f0;
      // The same schedule with its times, checked for validity (deps, caps, durations).
      const sched = predictSchedule(plan, graph, g.durations, P);
      const problems = checkSchedule(dag, g.durations, P, sched);
      if (sched.makespan !== fanout) problems.push(`predictSchedule ${sched.makespan} ≠ predictMakespan ${fanout}`);
      if (problems.length > 0) invalid.push(`${file} P=${P}: ${problems[0]}`);
      const hl = hlfetSchedule(dag, g.durations, P);
      rows.push({ graph: file, set: file.split('/')[0], procs: P, best: o.best, lower: o.lower, status: o.status, fanout, hlfet: hl.makespan });
    }
  }
  const totalMs = performance.now() - t0;

  // Agreement: one graph through the async executor on the VirtualClock, at every P.
  const agreeGraph = files.includes('100/rand0156.stg') ? '100/rand0156.stg' : files[files.length - 1];
  const agreement: { procs: number; predicted: number; simulated: number; equal: boolean }[] = [];
  for (const P of PROCS) {
    const g = graphs.get(agreeGraph) as StgGraph;
    const plan = stgToPlan(g, P);
    const predicted = rows.find((r) => r.graph === agreeGraph && r.procs === P)?.fanout ?? NaN;
    const record = await simulate(plan, { maxConcurrency: P });
    agreement.push({ procs: P, predicted, simulated: record.makespanMs, equal: record.makespanMs === predicted });
  }

  const groups: { label: string; rows: Row[] }[] = [
    ...['50', '100'].map((set) => ({ label: `set ${set}`, rows: rows.filter((r) => r.set === set) })),
    ...PROCS.map((P) => ({ label: `P=${P}`, rows: rows.filter((r) => r.procs === P) })),
    { label: 'all', rows },
  ];
  const worstOf = (rs: Row[], key: 'fanout' | 'hlfet'): Row => rs.reduce((w, r) => (r[key] / r.best > w[key] / w.best ? r : w));
  const summary = groups.map(({ label, rows: rs }) => {
    const wf = worstOf(rs, 'fanout');
    const wh = worstOf(rs, 'hlfet');
    return {
      group: label,
      count: rs.length,
      fanoutMean: mean(rs.map((r) => r.fanout / r.best)),
      fanoutWorst: wf.fanout / wf.best,
      fanoutWorstAt: `${wf.graph} P=${wf.procs}`,
      fanoutAbove105: rs.filter((r) => r.fanout / r.best > 1.05).length,
      fanoutOptimal: rs.filter((r) => r.fanout <= r.best).length,
      hlfetMean: mean(rs.map((r) => r.hlfet / r.best)),
      hlfetWorst: wh.hlfet / wh.best,
      hlfetAbove105: rs.filter((r) => r.hlfet / r.best > 1.05).length,
    };
  });
  const bounds = rows.filter((r) => r.status === 'bounds');
  const beatBest = rows.filter((r) => r.fanout < r.best).map((r) => `${r.graph} P=${r.procs}: ${r.fanout} < ${r.best}`);
  const vsHlfet = {
    better: rows.filter((r) => r.fanout < r.hlfet).length,
    equal: rows.filter((r) => r.fanout === r.hlfet).length,
    worse: rows.filter((r) => r.fanout > r.hlfet).map((r) => `${r.graph} P=${r.procs}: ${r.fanout} > ${r.hlfet}`),
  };
  const all = summary[summary.length - 1];

  const lines = [
    `${files.length} graphs (${ctx.quick ? 'quick: every 4th' : 'full subset'}) × P ∈ {2,4,8,16} = ${rows.length} schedules; ratio = makespan ÷ best known (optimal.csv 'best')`,
    ...table(
      ['group', 'n', 'Fanout mean', 'Fanout worst', '>1.05', '=best', 'HLFET mean', 'HLFET worst', '>1.05', 'Fanout worst at'],
      summary.map((s) => [s.group, String(s.count), fx(s.fanoutMean), fx(s.fanoutWorst), String(s.fanoutAbove105), String(s.fanoutOptimal), fx(s.hlfetMean), fx(s.hlfetWorst), String(s.hlfetAbove105), s.fanoutWorstAt]),
    ),
    `bounds rows (${bounds.length}): Fanout ÷ lower mean ${fx(mean(bounds.map((r) => r.fanout / r.lower)))}, worst ${fx(max(bounds.map((r) => r.fanout / r.lower)))}; ÷ best mean ${fx(mean(bounds.map((r) => r.fanout / r.best)))}`,
    `Fanout vs HLFET per schedule: better ${vsHlfet.better}, equal ${vsHlfet.equal}, worse ${vsHlfet.worse.length}${vsHlfet.worse.length ? ` (${vsHlfet.worse.slice(0, 3).join('; ')})` : ''}`,
    `below best known: ${beatBest.length ? beatBest.join('; ') : 'none'}`,
    `schedules valid (deps, caps, durations): ${rows.length - invalid.length}/${rows.length}${invalid.length ? ` — ${invalid.slice(0, 3).join('; ')}` : ''}`,
    `simulate() on the VirtualClock vs predictMakespan, ${agreeGraph}: ${agreement.map((a) => `P=${a.procs} ${a.simulated}/${a.predicted} ${a.equal ? 'equal' : 'DIFFER'}`).join(', ')}`,
    `time: ${fx(totalMs, 0)} ms in all (predictMakespan ${fx(fanoutMs, 0)} ms, ${fx(fanoutMs / rows.length, 2)} ms per schedule)`,
  ];
  const targets: Target[] = [
    { section: 'stg', name: 'Fanout mean makespan ÷ best', target: '≤ 1.002', value: round(all.fanoutMean, 5), unit: 'ratio', met: all.fanoutMean <= 1.002 },
    ...summary.filter((s) => s.group.startsWith('set')).map((s): Target => ({ section: 'stg', name: `Fanout mean ÷ best, ${s.group}`, target: '≤ 1.002', value: round(s.fanoutMean, 5), unit: 'ratio', met: s.fanoutMean <= 1.002 })),
    { section: 'stg', name: 'graphs above 1.05 × best', target: '0', value: all.fanoutAbove105, unit: 'schedules', met: all.fanoutAbove105 === 0 },
    { section: 'stg', name: 'Fanout mean better than HLFET mean', target: `< ${fx(all.hlfetMean, 5)}`, value: round(all.fanoutMean, 5), unit: 'ratio', met: all.fanoutMean < all.hlfetMean },
    { section: 'stg', name: 'simulate() agrees with predictMakespan', target: 'equal', value: agreement.filter((a) => a.equal).length, unit: `of ${agreement.length}`, met: agreement.every((a) => a.equal) },
    { section: 'stg', name: 'Fanout schedules valid', target: `${rows.length}`, value: rows.length - invalid.length, unit: 'schedules', met: invalid.length === 0 },
  ];
  return {
    key: 'stg',
    title: '1. STG: makespan ÷ optimal (Kasahara Standard Task Graph Set)',
    lines,
    targets,
    json: {
      dir: STG_DIR,
      graphs: files.length,
      schedules: rows.length,
      summary: summary.map((s) => ({ ...s, fanoutMean: round(s.fanoutMean, 6), fanoutWorst: round(s.fanoutWorst, 6), hlfetMean: round(s.hlfetMean, 6), hlfetWorst: round(s.hlfetWorst, 6) })),
      bounds: { rows: bounds.length, fanoutOverLowerMean: round(mean(bounds.map((r) => r.fanout / r.lower)), 6), fanoutOverLowerWorst: round(max(bounds.map((r) => r.fanout / r.lower)), 6) },
      vsHlfet: { better: vsHlfet.better, equal: vsHlfet.equal, worse: vsHlfet.worse },
      belowBestKnown: beatBest,
      invalid,
      agreement: { graph: agreeGraph, runs: agreement },
      timeMs: round(totalMs, 1),
      predictMsPerSchedule: round(fanoutMs / rows.length, 3),
      rows: rows.map((r) => ({ graph: r.graph, procs: r.procs, best: r.best, lower: r.lower, status: r.status, fanout: r.fanout, hlfet: r.hlfet })),
    },
  };
}

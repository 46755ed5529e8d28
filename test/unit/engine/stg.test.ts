import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildGraph } from '../../../src/core/analysis/graph';
import { toolDurations } from '../../../src/core/analysis/durations';
import { predictMakespan, simulate } from '../../../src/core/engine/simulate';
import { STG_DIR, parseStg, readStg, scoreStg, stgToPlan, summarizeStg } from '../../bench/stg';

const HAVE_DATA = existsSync(join(STG_DIR, 'optimal.csv'));

describe('STG benchmark (makespan vs optimal)', () => {
  it('parses the .stg format and rejects broken files', () => {
    const g = parseStg('2\n0 0 0\n1 5 1 0\n2 3 1 1\n3 0 1 2\n# trailer\n1 2 3\n');
    assert.deepEqual(g.durations, [0, 5, 3, 0]);
    assert.deepEqual(g.preds, [[], [0], [1], [2]]);
    assert.throws(() => parseStg('1\n0 0 0\n1 5 1 3\n2 0 1 1\n'), /predecessor 3/);
  });

  it('predictMakespan stays within 0.2% of the optimum on average (each set), and simulate() agrees', async function () {
    if (!HAVE_DATA) this.skip();
    this.timeout(120_000);
    const rows = scoreStg((plan) => {
      const graph = buildGraph(plan).graph;
      assert.ok(graph);
      return predictMakespan(plan, graph, toolDurations(plan.tools));
    });
    const { sets, overall } = summarizeStg(rows);
    assert.equal(overall.count, 384);
    for (const s of sets) assert.ok(s.mean <= 1.002, `${s.set}: mean ratio ${s.mean}`);
    assert.ok(overall.mean <= 1.001, `overall mean ratio ${overall.mean}`);
    // No schedule may beat a proven optimum (that would mean the simulator breaks a constraint).
    for (const r of rows) if (r.status === 'optimal') assert.ok(r.makespan >= r.best, `${r.graph} p${r.procs}: ${r.makespan} < optimal ${r.best}`);
    // The executor on the virtual clock dispatches in the same order.
    const plan = { ...stgToPlan(readStg('100/rand0091.stg')), maxConcurrency: 8 };
    const record = await simulate(plan);
    assert.equal(record.makespanMs, rows.find((r) => r.graph === '100/rand0091.stg' && r.procs === 8)?.makespan);
  });
});

// The bench's random DAG generators: exact sizes, edges only to earlier tools (a valid topological
// order, as stgToPlan expects), positive whole-millisecond durations, and determinism per seed.
import assert from 'node:assert/strict';
import { GENERATORS, generate, lognormalDurations, rng } from '../../bench/generators';

describe('bench generators', () => {
  for (const kind of GENERATORS) {
    it(`${kind}: n tools, dependencies on earlier tools only, no duplicates, deterministic`, () => {
      for (const n of [200, 537, 1000]) {
        const g = generate(kind, n, 7 + n);
        assert.equal(g.preds.length, n);
        assert.equal(g.durations.length, n);
        g.preds.forEach((ps, i) => {
          assert.equal(new Set(ps).size, ps.length, `${kind} tool ${i} lists a dependency twice`);
          for (const p of ps) assert.ok(p >= 0 && p < i, `${kind} tool ${i} depends on ${p}`);
        });
        for (const d of g.durations) assert.ok(Number.isInteger(d) && d >= 1);
        assert.ok(g.preds.some((ps) => ps.length > 0), `${kind} has no edges`);
        assert.deepEqual(generate(kind, n, 7 + n), g);
      }
    });
  }

  it('lognormal durations: median near the requested one, a heavy tail', () => {
    const d = lognormalDurations(20000, rng(3), 300, 0.8, 0.03).sort((a, b) => a - b);
    const median = d[d.length >> 1];
    assert.ok(median > 270 && median < 330, `median ${median}`);
    assert.ok(d[Math.floor(d.length * 0.99)] > 5 * median, 'p99 should be well above the median');
  });
});

// The counterfactual's uncapped schedule (earliestStarts) against the scheduler it replaces there
// (simulateSchedule without a cap): the same start and end of every node and the same makespan,
// on random graphs with chains, fan-in, zero, negative and NaN durations.
import { strict as assert } from 'node:assert';
import { simulateSchedule } from '../../../src/core/engine/scheduler';
import { seededRandom } from '../../../src/core/random';
import { earliestStarts } from '../../../src/core/trace/counterfactual';

describe('trace: earliestStarts (the uncapped counterfactual schedule)', () => {
  it('gives simulateSchedule’s times on 300 random graphs', () => {
    const rand = seededRandom(17);
    for (let g = 0; g < 300; g++) {
      const n = 1 + Math.floor(rand() * 60);
      // Predecessors in a random order of the nodes (any DAG), sometimes repeated.
      const order = Array.from({ length: n }, (_, i) => i).sort(() => rand() - 0.5);
      const preds: number[][] = Array.from({ length: n }, () => []);
      for (let a = 1; a < n; a++) {
        const k = Math.floor(rand() * 4);
        for (let j = 0; j < k; j++) preds[order[a]].push(order[Math.floor(rand() * a)]);
      }
      const dur = Float64Array.from({ length: n }, () => {
        const x = rand();
        return x < 0.1 ? 0 : x < 0.15 ? -5 : x < 0.17 ? NaN : Math.round(rand() * 10_000) / 10;
      });
      const succs: number[][] = Array.from({ length: n }, () => []);
      for (let v = 0; v < n; v++) for (const p of preds[v]) succs[p].push(v);
      const want = simulateSchedule({ preds, succs, maxConcurrency: Infinity, group: new Int32Array(n).fill(-1), groupCaps: [], rank: new Int32Array(n) }, dur, true);
      const got = earliestStarts(preds, dur);
      assert.equal(got.makespan, want.makespan, `graph ${g}`);
      assert.deepEqual([...got.start], [...want.start], `graph ${g}: starts`);
      assert.deepEqual([...got.end], [...want.end], `graph ${g}: ends`);
    }
  });

  it('a chain of 100,000 nodes (no recursion), and a cycle is the scheduler’s error', () => {
    const n = 100_000;
    const preds = Array.from({ length: n }, (_, i) => (i > 0 ? [i - 1] : []));
    const r = earliestStarts(preds, new Float64Array(n).fill(2));
    assert.equal(r.makespan, 2 * n);
    assert.equal(r.start[n - 1], 2 * (n - 1));
    assert.throws(() => earliestStarts([[1], [2], [0]], [1, 1, 1]), /dependency cycle/);
  });
});

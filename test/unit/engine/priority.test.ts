import assert from 'node:assert/strict';
import { choosePriority, VARIANT_NAMES } from '../../../src/core/engine/priority';
import { simulateSchedule } from '../../../src/core/engine/scheduler';

// choosePriority skips its search for independent tools of one duration under one cap (a
// runToolCalls batch at maxConcurrency): the search kept its first variant there, since no
// order is strictly shorter. This pins what the search chose (checked against the search itself,
// before the shortcut) so the shortcut cannot change a run's dispatch order.
function spec(n: number, cap: number, edges: readonly (readonly [number, number])[] = []) {
  const preds: number[][] = Array.from({ length: n }, () => []);
  const succs: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of edges) {
    succs[a].push(b);
    preds[b].push(a);
  }
  return { preds, succs, maxConcurrency: cap, group: new Int32Array(n).fill(-1), groupCaps: [] as number[] };
}

describe('engine: choosePriority for identical independent tools under a cap', () => {
  for (const [n, cap, d] of [[10, 8, 1], [10, 3, 5], [37, 4, 2.5], [2, 1, 1]] as const) {
    it(`${n} tools of ${d} at cap ${cap}: index order, the first variant, the optimal makespan`, () => {
      const s = spec(n, cap);
      const durations = new Array<number>(n).fill(d);
      const choice = choosePriority(s, durations);
      assert.deepEqual(Array.from(choice.rank), Array.from({ length: n }, (_, i) => i));
      assert.equal(choice.variant, VARIANT_NAMES[0]);
      assert.equal(simulateSchedule({ ...s, rank: choice.rank }, durations).makespan, Math.ceil(n / cap) * d);
    });
  }

  it('still searches when one duration differs or a tool depends on another', () => {
    const durations = [1, 1, 1, 1, 1, 1, 1, 1, 1, 9];
    const choice = choosePriority(spec(10, 3), durations);
    // The long tool first: the search's schedule is shorter than index order's.
    assert.ok(choice.rank[9] < choice.rank[0], `rank ${Array.from(choice.rank).join()}`);
    const chained = choosePriority(spec(4, 1, [[3, 0]]), [1, 1, 1, 1]);
    assert.ok(chained.rank[3] < chained.rank[0]);
  });
});

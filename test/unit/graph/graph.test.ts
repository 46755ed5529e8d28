// core/graph: the one topological order, levels and longest paths the analyser, the engine and
// the run record share.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { bottomLevels, levelOf, longestPath, succsOf, topLevels, topoOrder } from '../../../src/core/graph';

/** A random DAG: each tool depends on some earlier tools (indices shuffled by `perm`). */
const dagArb = fc.integer({ min: 1, max: 40 }).chain((n) => fc.record({
  n: fc.constant(n),
  edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 2 }),
  perm: fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n }),
  d: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: n, maxLength: n }),
}));

function build({ n, edges, perm }: { n: number; edges: [number, number][]; perm: number[] }): number[][] {
  const preds: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of edges) {
    if (a === b) continue;
    const [lo, hi] = a < b ? [a, b] : [b, a];
    const from = perm[lo]!, to = perm[hi]!; // acyclic: edges go up the permutation
    if (!preds[to]!.includes(from)) preds[to]!.push(from);
  }
  return preds;
}

describe('core/graph', () => {
  it('topological order, levels, bottom and top levels and the longest path agree with their definitions (random DAGs)', () => {
    fc.assert(fc.property(dagArb, (g) => {
      const preds = build(g);
      const succs = succsOf(preds);
      const order = topoOrder({ preds, succs });
      assert.ok(order);
      const pos = new Int32Array(g.n);
      order.forEach((v, k) => { pos[v] = k; });
      assert.deepEqual([...order].sort((a, b) => a - b), Array.from({ length: g.n }, (_, i) => i));
      for (let v = 0; v < g.n; v++) for (const p of preds[v]!) assert.ok(pos[p]! < pos[v]!, 'a dependency comes first');
      const level = levelOf({ preds }, order);
      const bl = bottomLevels({ succs }, order, g.d);
      const tl = topLevels({ preds }, order, g.d);
      for (let v = 0; v < g.n; v++) {
        assert.equal(level[v], preds[v]!.length === 0 ? 0 : Math.max(...preds[v]!.map((p) => level[p]! + 1)));
        assert.equal(bl[v], g.d[v]! + Math.max(0, ...succs[v]!.map((s) => bl[s]!)));
        assert.equal(tl[v], Math.max(0, ...preds[v]!.map((p) => tl[p]! + g.d[p]!)));
      }
      const lp = Math.max(0, ...Array.from(bl));
      assert.equal(longestPath(preds, g.d), lp);
      assert.equal(longestPath(preds, g.d, order), lp);
      assert.equal(Math.max(0, ...Array.from({ length: g.n }, (_, v) => tl[v]! + g.d[v]!)), lp);
    }), { numRuns: 300 });
  });

  it('plan order among tools ready together; a cycle is null (and has no longest path)', () => {
    const preds = [[], [], [0], [0, 1]];
    assert.deepEqual(Array.from(topoOrder({ preds, succs: succsOf(preds) })!), [0, 1, 2, 3]);
    const cyclic = [[2], [0], [1]];
    assert.equal(topoOrder({ preds: cyclic, succs: succsOf(cyclic) }), null);
    assert.equal(longestPath(cyclic, [1, 1, 1]), 0);
  });
});

import { strict as assert } from 'node:assert';
import { layoutGraph, type GraphLayout, type LayoutEdgeInput, type LayoutNodeInput } from '../../../src/core/render/graphLayout';
import { alikeGroups, familyName } from '../../../src/core/render/alikeGroups';
import { seededRandom } from '../../../src/core/random';

function box(n: number, w = 80, h = 40): LayoutNodeInput[] {
  return Array.from({ length: n }, (_, i) => ({ id: `n${i}`, width: w + (i % 3) * 10, height: h }));
}

function overlaps(l: GraphLayout): string[] {
  const out: string[] = [];
  for (let i = 0; i < l.nodes.length; i++) {
    for (let j = i + 1; j < l.nodes.length; j++) {
      const a = l.nodes[i];
      const b = l.nodes[j];
      if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) out.push(`${a.id}/${b.id}`);
    }
  }
  return out;
}

/** A random DAG: edges only from lower to higher index. */
function randomDag(n: number, p: number, seed: number): LayoutEdgeInput[] {
  const rnd = seededRandom(seed);
  const edges: LayoutEdgeInput[] = [];
  for (let j = 1; j < n; j++) for (let i = Math.max(0, j - 12); i < j; i++) if (rnd() < p) edges.push({ from: `n${i}`, to: `n${j}` });
  return edges;
}

describe('render/graphLayout', () => {
  it('LR: every dependency sits in a column left of its dependents; nodes never overlap and stay inside the drawing', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const nodes = box(40);
      const edges = randomDag(40, 0.15, seed);
      const l = layoutGraph(nodes, edges, { direction: 'LR' });
      const at = new Map(l.nodes.map((n) => [n.id, n]));
      for (const e of edges) {
        const a = at.get(e.from)!;
        const b = at.get(e.to)!;
        assert.ok(a.rank < b.rank, `seed ${seed}: ${e.from} rank ${a.rank} before ${e.to} rank ${b.rank}`);
        assert.ok(a.x + a.width <= b.x, `seed ${seed}: ${e.from} left of ${e.to}`);
      }
      assert.deepEqual(overlaps(l), [], `seed ${seed}`);
      for (const n of l.nodes) assert.ok(n.x >= 0 && n.y >= 0 && n.x + n.width <= l.width && n.y + n.height <= l.height, `seed ${seed}: ${n.id} inside`);
    }
  });

  it('TD: ranks are rows; edges start on the source\'s bottom and end on the target\'s top', () => {
    const nodes = box(6);
    const edges = [{ from: 'n0', to: 'n1' }, { from: 'n0', to: 'n2' }, { from: 'n1', to: 'n3' }, { from: 'n2', to: 'n3' }, { from: 'n0', to: 'n3' }, { from: 'n4', to: 'n5' }];
    const l = layoutGraph(nodes, edges, { direction: 'TD' });
    const at = new Map(l.nodes.map((n) => [n.id, n]));
    for (const e of l.edges) {
      const a = at.get(e.from)!;
      const b = at.get(e.to)!;
      assert.ok(a.y + a.height <= b.y, `${e.from} above ${e.to}`);
      const [sx, sy] = e.points[0];
      const [tx, ty] = e.points[e.points.length - 1];
      assert.equal(sy, a.y + a.height);
      assert.ok(sx >= a.x && sx <= a.x + a.width);
      assert.equal(ty, b.y);
      assert.ok(tx >= b.x && tx <= b.x + b.width);
    }
    // n0 → n3 spans two ranks: it passes through a virtual node (two more points on its way).
    const long = l.edges.find((e) => e.from === 'n0' && e.to === 'n3')!;
    assert.equal(long.points.length, 4);
    assert.deepEqual(overlaps(l), []);
  });

  it('a fan-out centres on its source, and crossings are undone (a twisted bipartite graph comes out straight)', () => {
    const nodes = box(7);
    const fan = layoutGraph(nodes.slice(0, 5), [1, 2, 3, 4].map((i) => ({ from: 'n0', to: `n${i}` })));
    const src = fan.nodes[0];
    const kids = fan.nodes.slice(1);
    const mid = (Math.min(...kids.map((k) => k.y)) + Math.max(...kids.map((k) => k.y + k.height))) / 2;
    assert.ok(Math.abs(src.y + src.height / 2 - mid) < 1, `source centred: ${src.y + src.height / 2} vs ${mid}`);
    // a0→b2, a1→b1, a2→b0 in input order crosses three times; the layout reorders one side.
    const twisted = layoutGraph(
      ['a0', 'a1', 'a2', 'b0', 'b1', 'b2'].map((id) => ({ id, width: 60, height: 30 })),
      [{ from: 'a0', to: 'b2' }, { from: 'a1', to: 'b1' }, { from: 'a2', to: 'b0' }],
    );
    const y = new Map(twisted.nodes.map((n) => [n.id, n.y]));
    const order = (ids: string[]): string[] => [...ids].sort((p, q) => (y.get(p)! - y.get(q)!));
    const left = order(['a0', 'a1', 'a2']);
    const right = order(['b0', 'b1', 'b2']);
    const partner: Record<string, string> = { a0: 'b2', a1: 'b1', a2: 'b0' };
    assert.deepEqual(right, left.map((a) => partner[a]), 'no crossings left');
  });

  it('a cycle (a plan with errors) still lays out: the closing edge is marked reversed and drawn back', () => {
    const l = layoutGraph(box(3), [{ from: 'n0', to: 'n1' }, { from: 'n1', to: 'n2' }, { from: 'n2', to: 'n0' }, { from: 'n1', to: 'n1' }, { from: 'n1', to: 'nope' }]);
    assert.equal(l.edges.length, 3, 'self-loops and unknown ends dropped');
    assert.deepEqual(l.edges.map((e) => e.reversed), [false, false, true]);
    const back = l.edges[2];
    const n2 = l.nodes[2];
    const n0 = l.nodes[0];
    assert.deepEqual(back.points[0], [n2.x, n2.y + n2.height / 2], 'starts at n2');
    assert.deepEqual(back.points[back.points.length - 1], [n0.x + n0.width, n0.y + n0.height / 2], 'ends at n0');
  });

  it('tools with no dependencies and no dependents go in a grid shaped like the panel, under the layered part', () => {
    const nodes = box(42);
    const edges = [{ from: 'n40', to: 'n41' }];
    const wide = layoutGraph(nodes, edges, { aspect: 2 });
    const tall = layoutGraph(nodes, edges, { aspect: 0.5 });
    assert.ok(wide.width / wide.height > 1.3 && wide.width / wide.height < 3, `wide: ${wide.width}×${wide.height}`);
    assert.ok(tall.width / tall.height < 0.8, `tall: ${tall.width}×${tall.height}`);
    for (const l of [wide, tall]) {
      assert.deepEqual(overlaps(l), []);
      const chainBottom = Math.max(l.nodes[40].y + l.nodes[40].height, l.nodes[41].y + l.nodes[41].height);
      assert.ok(l.nodes.slice(0, 40).every((n) => n.y > chainBottom), 'the grid is under the chain');
      assert.equal(l.nodes.length, 42);
    }
  });

  it('empty and single-node graphs', () => {
    const empty = layoutGraph([], []);
    assert.equal(empty.nodes.length, 0);
    assert.ok(empty.width > 0 && empty.height > 0);
    const one = layoutGraph([{ id: 'x', width: 50, height: 20 }], []);
    assert.deepEqual([one.nodes[0].x, one.nodes[0].y, one.width, one.height], [8, 8, 66, 36]);
  });
});

describe('render/alikeGroups', () => {
  it('names a family by its label without the running number', () => {
    assert.equal(familyName('search12'), 'search');
    assert.equal(familyName('search_3'), 'search');
    assert.equal(familyName('get-page-7'), 'get-page');
    assert.equal(familyName('weather_paris'), 'weather_paris');
    assert.equal(familyName('42'), '42');
  });

  it('groups calls of one tool with the same dependencies and dependents, never calls that differ in either', () => {
    const tools = [
      { id: 'plan', label: 'plan', kind: 'simulate', dependsOn: [] },
      ...[1, 2, 3].map((i) => ({ id: `search${i}`, label: `search${i}`, kind: 'simulate', dependsOn: ['plan'] })),
      { id: 'search4', label: 'search4', kind: 'simulate', dependsOn: [] }, // other dependencies
      { id: 'search5', label: 'search5', kind: 'http', dependsOn: ['plan'] }, // other kind
      { id: 'call_a', label: 'get_weather', kind: 'function', dependsOn: [] },
      { id: 'call_b', label: 'get_weather', kind: 'function', dependsOn: [] },
      { id: 'merge', label: 'merge', kind: 'simulate', dependsOn: ['search1', 'search2', 'search3', 'search5'] },
      { id: 'late', label: 'late', kind: 'simulate', dependsOn: ['search3'] }, // search3 has another dependent
    ];
    const groups = alikeGroups(tools);
    assert.deepEqual(groups.map((g) => [g.name, g.ids]), [['search', ['search1', 'search2']], ['get_weather', ['call_a', 'call_b']]]);
    assert.equal(new Set(groups.map((g) => g.key)).size, 2);
  });

  it('forty independent searches are one group; keys stay stable when the plan is re-read', () => {
    const tools = Array.from({ length: 40 }, (_, i) => ({ id: `search${i + 1}`, label: `search${i + 1}`, kind: 'simulate', dependsOn: [] as string[] }));
    const [g] = alikeGroups(tools);
    assert.equal(g.ids.length, 40);
    assert.equal(alikeGroups(tools.map((t) => ({ ...t })))[0].key, g.key);
  });
});

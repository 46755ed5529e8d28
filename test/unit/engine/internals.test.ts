import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Heap, IntHeap } from '../../../src/core/engine/heap';
import { planDag } from '../../../src/core/engine/dag';
import { callKey, resolveArgs } from '../../../src/core/engine/resolve';
import { retryDelay } from '../../../src/core/engine/execute';
import type { RunEvent } from '../../../src/core/engine/types';
import { makePlan } from '../helpers/planBuilder';
import { checkEvents } from './helpers';

describe('engine internals', () => {
  it('heaps pop in key order (ties by index)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (keys) => {
      const h = new IntHeap(keys, 1);
      keys.forEach((_, i) => h.push(i));
      const out: number[] = [];
      while (h.size > 0) out.push(h.pop());
      const want = keys.map((_, i) => i).sort((a, b) => keys[a] - keys[b] || a - b);
      assert.deepEqual(out, want);
      const g = new Heap<number>((a, b) => a - b);
      keys.forEach((k) => g.push(k));
      const sorted: number[] = [];
      while (g.size > 0) sorted.push(g.pop() as number);
      assert.deepEqual(sorted, [...keys].sort((a, b) => a - b));
    }), { numRuns: 100 });
  });

  it('planDag: references imply edges, duplicates collapse, cycles and unknown ids give null', () => {
    const dag = planDag(makePlan([{ id: 'a' }, { id: 'b', dependsOn: ['a', 'a'], args: { x: '${a.output} ${a.output.y}' } }]));
    assert.ok(dag);
    assert.deepEqual(dag.preds, [[], [0]]);
    assert.deepEqual([...dag.hasRefs], [0, 1]);
    assert.equal(planDag(makePlan([{ id: 'a', dependsOn: ['b'] }, { id: 'b', dependsOn: ['a'] }])), null);
    assert.equal(planDag(makePlan([{ id: 'a', args: { x: '${zz.output}' } }])), null);
  });

  it('resolveArgs: array indices, missing outputs and non-object paths are clear errors', () => {
    const lookup = (id: string) => (id === 'w' ? { found: true as const, value: { list: [1, 2], n: 3 } } : { found: false as const });
    assert.deepEqual(resolveArgs({ a: '${w.output.list.0}' }, lookup), { ok: true, args: { a: 1 } });
    const r1 = resolveArgs({ a: '${w.output.list.5}' }, lookup);
    assert.ok(!r1.ok && /array of 2 item/.test(r1.error));
    const r2 = resolveArgs({ a: 'x ${w.output.n.deep}' }, lookup);
    assert.ok(!r2.ok && /number 3, so it has no field 'deep'/.test(r2.error));
    // A long value (an HTTP body) is clipped, so the error stays readable.
    const body = 'x'.repeat(5000);
    const r2b = resolveArgs({ a: '${h.output.status}' }, (id) => (id === 'h' ? { found: true as const, value: body } : { found: false as const }));
    assert.ok(!r2b.ok && r2b.error.length < 250 && /string "x+…, so it has no field 'status'/.test(r2b.error), !r2b.ok ? r2b.error.slice(0, 300) : '');
    const r3 = resolveArgs({ a: '${v.output}' }, lookup);
    assert.ok(!r3.ok && /tool 'v' has no output/.test(r3.error));
    assert.deepEqual(resolveArgs({ a: '${v.output.x}' }, lookup, (id) => id === 'v'), { ok: true, args: { a: '${v.output.x}' } });
  });

  it('callKey ignores key order but not values', () => {
    assert.equal(callKey('http', { a: 1, b: [1, { c: 2, d: 3 }] }), callKey('http', { b: [1, { d: 3, c: 2 }], a: 1 }));
    assert.notEqual(callKey('http', { a: 1 }), callKey('shell', { a: 1 }));
    assert.notEqual(callKey('http', { a: [1, 2] }), callKey('http', { a: [2, 1] }));
  });

  it('retryDelay: exponential with equal jitter, capped', () => {
    assert.equal(retryDelay(100, 1, () => 0), 50);
    assert.equal(retryDelay(100, 1, () => 1), 100);
    assert.equal(retryDelay(100, 3, () => 0.5), 300);
    assert.equal(retryDelay(100, 40, () => 1), 60_000);
  });

  it('the event checker used by the property tests catches violations', () => {
    const plan = makePlan([{ id: 'a' }, { id: 'b', dependsOn: ['a'] }, { id: 'c' }], { maxConcurrency: 1 });
    const ev = (e: RunEvent) => e;
    const events: RunEvent[] = [
      ev({ type: 'run-started', at: 0, tools: ['a', 'b', 'c'] }),
      ev({ type: 'started', at: 0, id: 'a', attempt: 1 }),
      ev({ type: 'started', at: 0, id: 'c', attempt: 1 }),
      ev({ type: 'started', at: 1, id: 'b', attempt: 1 }),
      ev({ type: 'succeeded', at: 2, id: 'a', output: null }),
      ev({ type: 'succeeded', at: 2, id: 'b', output: null }),
      ev({ type: 'succeeded', at: 3, id: 'b', output: null }),
      ev({ type: 'run-ended', at: 3, status: 'succeeded' }),
    ];
    const problems = checkEvents(plan, events).join('\n');
    assert.match(problems, /running > cap 1/);
    assert.match(problems, /b started before dependency a succeeded/);
    assert.match(problems, /b has 2 final states/);
    assert.match(problems, /c has 0 final states/);
  });
});

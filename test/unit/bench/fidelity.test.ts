// The fidelity section's event-stream measures, checked on virtual-clock runs where the truth is
// known: dispatch latency is exactly 0 there, and waits caused by the cap must be excluded.
import assert from 'node:assert/strict';
import { simulate } from '../../../src/core/engine/simulate';
import type { RunEvent } from '../../../src/core/engine/types';
import { makePlan } from '../helpers/planBuilder';
import { dispatchLatencies, idleWithReady, measuredDurations } from '../../bench/sections/fidelity';

async function events(plan: ReturnType<typeof makePlan>): Promise<RunEvent[]> {
  const out: RunEvent[] = [];
  await simulate(plan, { onEvent: (e) => out.push(e) });
  return out;
}

describe('bench fidelity measures', () => {
  it('latency is 0 for every dependent on the virtual clock when slots are free', async () => {
    const plan = makePlan([
      { id: 'a', durationMs: 10 }, { id: 'b', durationMs: 30 },
      { id: 'c', durationMs: 5, dependsOn: ['a', 'b'] }, { id: 'd', durationMs: 5, dependsOn: ['a'] },
    ]);
    const ev = await events(plan);
    const lat = dispatchLatencies(plan, ev, Infinity);
    assert.deepEqual(lat.samples, [0, 0]);
    assert.equal(lat.slotBound, 0);
    assert.equal(idleWithReady(ev, Infinity), 0);
    assert.deepEqual(measuredDurations(plan, ev), [10, 30, 5, 5]);
  });

  it('a dependent that waited for the cap is counted as slot-bound, not as latency', async () => {
    // One slot: a (10) then its dependents b (50) and c (5); c waits for b's slot (bottom level
    // puts b first), so c is slot-bound and only b is a latency sample.
    const plan = makePlan([
      { id: 'a', durationMs: 10 }, { id: 'b', durationMs: 50, dependsOn: ['a'] }, { id: 'c', durationMs: 5, dependsOn: ['a'] },
    ], { maxConcurrency: 1 });
    const ev = await events(plan);
    const lat = dispatchLatencies(plan, ev, 1);
    assert.deepEqual(lat.samples, [0]);
    assert.equal(lat.slotBound, 1);
    assert.equal(idleWithReady(ev, 1), 0);
  });

  it('idle time and latency grow when a start is late (doctored stream)', () => {
    const plan = makePlan([{ id: 'a', durationMs: 10 }, { id: 'b', durationMs: 5, dependsOn: ['a'] }]);
    const ev: RunEvent[] = [
      { type: 'run-started', at: 0, tools: ['a', 'b'] },
      { type: 'queued', at: 0, id: 'a' }, { type: 'started', at: 0, id: 'a', attempt: 1 },
      { type: 'succeeded', at: 10, id: 'a', output: null }, { type: 'queued', at: 10, id: 'b' },
      { type: 'started', at: 12.5, id: 'b', attempt: 1 }, { type: 'succeeded', at: 17.5, id: 'b', output: null },
      { type: 'run-ended', at: 17.5, status: 'succeeded' },
    ];
    assert.deepEqual(dispatchLatencies(plan, ev, 4).samples, [2.5]);
    assert.equal(idleWithReady(ev, 4), 2.5);
  });
});

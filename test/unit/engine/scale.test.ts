import assert from 'node:assert/strict';
import { execute } from '../../../src/core/engine/execute';
import { createRealClock } from '../../../src/core/engine/clock';
import { simulate } from '../../../src/core/engine/simulate';
import type { ToolRunner } from '../../../src/core/engine/types';
import { makePlan } from '../helpers/planBuilder';

const N = 100_000;

/** 100k tools: a wide fan-out and chains of 50 (deep enough to exercise every event path). */
function bigPlan(maxConcurrency?: number) {
  return makePlan(
    Array.from({ length: N }, (_, i) => ({ id: `t${i}`, args: { durationMs: 0 }, dependsOn: i % 50 === 0 ? [] : [`t${i - 1}`] })),
    maxConcurrency !== undefined ? { maxConcurrency } : {},
  );
}

describe('engine at scale (100k no-op tools)', function () {
  this.timeout(180_000);

  it('runs on the virtual clock with a cap, every tool succeeding, events for each', async () => {
    let events = 0;
    const r = await simulate(bigPlan(64), { onEvent: () => void events++ });
    assert.equal(r.status, 'succeeded');
    assert.equal(r.tools.length, N);
    assert.equal(r.maxObservedConcurrency, 64);
    assert.equal(events, 3 * N + 2); // queued, started, succeeded per tool + run start/end
  });

  it('runs on the real clock, unbounded', async () => {
    const noop: ToolRunner = { run: () => Promise.resolve(null) };
    const r = await execute(bigPlan(), { runners: { simulate: noop }, clock: createRealClock() });
    assert.equal(r.status, 'succeeded');
    assert.ok(r.tools.every((t) => t.status === 'succeeded'));
  });
});

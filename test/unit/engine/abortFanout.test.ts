import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { VirtualClock, createRealClock } from '../../../src/core/engine/clock';
import { onAbort } from '../../../src/core/engine/abortFanout';
import { execute } from '../../../src/core/engine/execute';
import type { ToolRunner } from '../../../src/core/engine/types';
import { simulateRunner } from '../../../src/core/tools/simulate';
import { makePlan } from '../helpers/planBuilder';

// Many waits on one signal (every untimed attempt shares the run's): Node's EventTarget makes n
// listeners on one signal cost O(n²), so they must share one real listener.
describe('abort fan-out: many waits on one signal', () => {
  it('1000 virtual sleeps on one signal hold one abort listener, and an abort rejects them all', async () => {
    const clock = new VirtualClock();
    const ac = new AbortController();
    const sleeps = Array.from({ length: 1000 }, () => clock.sleep(1000, ac.signal));
    assert.equal(getEventListeners(ac.signal, 'abort').length, 1);
    ac.abort(new Error('stop'));
    const settled = await Promise.allSettled(sleeps);
    assert.ok(settled.every((s) => s.status === 'rejected' && /stop/.test(String(s.reason))));
    assert.equal(clock.pendingTimers, 0);
  });

  it('1000 real sleeps on one signal hold one abort listener; finished sleeps stop listening', async () => {
    const clock = createRealClock();
    const ac = new AbortController();
    let called = 0;
    const stop = onAbort(ac.signal, () => void called++);
    const sleeps = Array.from({ length: 1000 }, () => clock.sleep(20, ac.signal));
    assert.equal(getEventListeners(ac.signal, 'abort').length, 1);
    await Promise.all(sleeps);
    stop();
    ac.abort();
    assert.equal(called, 0, 'a listener that stopped is not called');
  });

  it('a run of 2000 untimed simulated tools puts one listener on the run-wide signal', async () => {
    let most = 0;
    const counting: ToolRunner = {
      async run(ctx) {
        const p = simulateRunner.run(ctx);
        most = Math.max(most, getEventListeners(ctx.signal, 'abort').length);
        return p;
      },
    };
    const plan = makePlan(Array.from({ length: 2000 }, (_, i) => ({ id: `t${i}`, args: { durationMs: 5 } })));
    const r = await execute(plan, { runners: { simulate: counting }, clock: new VirtualClock() });
    assert.equal(r.status, 'succeeded');
    assert.equal(most, 1);
  });
});

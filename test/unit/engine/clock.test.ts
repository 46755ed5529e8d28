import assert from 'node:assert/strict';
import { VirtualClock, createRealClock } from '../../../src/core/engine/clock';

describe('clocks', () => {
  it('virtual: time jumps to the next timer only once every task waits on the clock', async () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    const worker = async (name: string, ms: number): Promise<void> => {
      // A few awaits of plain promises before sleeping: time must not advance meanwhile.
      for (let k = 0; k < 5; k++) await Promise.resolve();
      await clock.sleep(ms);
      log.push(`${name}@${clock.now()}`);
    };
    await Promise.all([worker('b', 20), worker('a', 10), worker('c', 20)]);
    assert.deepEqual(log, ['a@10', 'b@20', 'c@20']);
    assert.equal(clock.now(), 20);
  });

  it('virtual: an aborted sleep rejects with the reason and no longer holds time back', async () => {
    const clock = new VirtualClock();
    const ac = new AbortController();
    const long = clock.sleep(1000, ac.signal);
    ac.abort(new Error('stop'));
    await assert.rejects(long, /stop/);
    await clock.sleep(5);
    assert.equal(clock.now(), 5);
    assert.equal(clock.pendingTimers, 0);
    await assert.rejects(clock.sleep(1, ac.signal), /stop/);
  });

  it('virtual: deferred work runs before time advances', async () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    const sleeping = clock.sleep(10).then(() => seen.push(clock.now()));
    clock.defer(() => seen.push(clock.now()));
    await sleeping;
    assert.deepEqual(seen, [0, 10]);
  });

  it('real: now() starts near 0 and sleep waits (generous bounds); abort rejects', async () => {
    const clock = createRealClock();
    assert.ok(clock.now() >= 0 && clock.now() < 50);
    await clock.sleep(15);
    assert.ok(clock.now() >= 14);
    const ac = new AbortController();
    const p = clock.sleep(10_000, ac.signal);
    ac.abort(new Error('cancelled'));
    await assert.rejects(p, /cancelled/);
    await clock.sleep(0);
  });
  it('real: a sleep past 2^31-1 ms (setTimeout overflow) keeps waiting instead of firing at once', async () => {
    const clock = createRealClock();
    const ac = new AbortController();
    let settled = false;
    const long = clock.sleep(3_000_000_000, ac.signal).then(() => { settled = true; }, (err: unknown) => { throw err; });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(settled, false, 'a 35-day sleep must not end after 50 ms');
    ac.abort(new Error('stop'));
    await assert.rejects(long, /stop/);
  });
});

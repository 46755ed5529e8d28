// Hidden tests for bounded-settle, run by Fanout's harness (src/core/lessons/code/harness.ts)
// against the learner's file, copied in as ./submission.ts.
import { strict as assert } from 'node:assert';
import { test } from './harness.mjs';
import { settleAll } from './submission.ts';

const sleep = (ms, value) => new Promise((resolve) => setTimeout(() => resolve(value), ms));
/** A well-behaved tool: resolves after `ms`, or rejects with the signal's reason when it aborts. */
const tool = (ms, value) => (signal) => new Promise((resolve, reject) => {
  const t = setTimeout(() => resolve(value), ms);
  signal.addEventListener('abort', () => {
    clearTimeout(t);
    reject(signal.reason);
  }, { once: true });
});
const statuses = (rs) => rs.map((r) => r.status).join(', ');

test('returns one { status, value | reason } per task, in the tasks’ order', async () => {
  const boom = new Error('lookup failed');
  const rs = await settleAll([tool(40, 'a'), async () => { await sleep(5); throw boom; }, tool(10, 'c')], { limit: 3, deadlineMs: 2000 });
  assert.ok(Array.isArray(rs) && rs.length === 3, `expected 3 results, got ${JSON.stringify(rs)}`);
  assert.equal(statuses(rs), 'fulfilled, rejected, fulfilled', 'one result per task, in the order of the tasks (not the order they finished)');
  assert.equal(rs[0].value, 'a');
  assert.equal(rs[2].value, 'c');
  assert.equal(rs[1].reason, boom, 'a rejected call keeps its reason');
});

test('never rejects, even when a task throws before returning a promise', async () => {
  const sync = () => { throw new Error('bad arguments'); };
  let rs;
  try {
    rs = await settleAll([sync, tool(5, 'ok')], { limit: 2, deadlineMs: 2000 });
  } catch (err) {
    assert.fail(`settleAll rejected (${err?.message ?? err}); it must settle that call as rejected and go on`);
  }
  assert.equal(statuses(rs), 'rejected, fulfilled');
  assert.match(String(rs[0].reason?.message), /bad arguments/);
});

test('runs at most limit calls at once, and uses all of them', async () => {
  let inFlight = 0;
  let most = 0;
  const task = async () => {
    inFlight++;
    most = Math.max(most, inFlight);
    await sleep(30);
    inFlight--;
    return 1;
  };
  const rs = await settleAll(Array.from({ length: 9 }, () => task), { limit: 3, deadlineMs: 5000 });
  assert.equal(rs.length, 9);
  assert.ok(most <= 3, `${most} calls ran at once with limit 3: start a call only when a slot is free`);
  assert.equal(most, 3, `only ${most} ran at once with limit 3 and 9 calls: the batch should keep 3 in flight`);
});

test('starts a waiting call as soon as any slot frees, not when its whole group has finished', async () => {
  // limit 2: a slow call and a fast one. The third call must take the fast call's slot while the
  // slow one still runs; here the slow call only finishes once the third has started (in groups
  // of two, the third waits for the slow call, which then ends at its deadline instead).
  let releaseSlow = () => {};
  const slow = () => new Promise((resolve) => { releaseSlow = resolve; });
  const fast = async () => 'fast';
  const third = async () => { releaseSlow('slow'); return 'third'; };
  const rs = await settleAll([slow, fast, third], { limit: 2, deadlineMs: 1000 });
  assert.equal(statuses(rs), 'fulfilled, fulfilled, fulfilled', 'the third call waited for the slow one: start a call whenever a slot frees (a pool of workers), not in batches of limit');
}, { timeoutMs: 3000 });

test('gives each call a signal that aborts at its deadline', async () => {
  let seen;
  const rs = await settleAll([(signal) => { seen = signal; return tool(3000, 'late')(signal); }], { limit: 1, deadlineMs: 50 });
  assert.ok(seen instanceof AbortSignal, 'each task is called with an AbortSignal');
  assert.equal(rs[0].status, 'rejected', 'a call past its deadline is rejected');
  assert.equal(rs[0].reason?.name, 'TimeoutError', `the reason is the deadline's TimeoutError (AbortSignal.timeout), got ${rs[0].reason}`);
}, { timeoutMs: 2000 });

test('settles a call that ignores its signal at the deadline, and frees its slot', async () => {
  const hangs = () => new Promise(() => {});
  const rs = await settleAll([hangs, tool(10, 'next')], { limit: 1, deadlineMs: 100 });
  assert.equal(statuses(rs), 'rejected, fulfilled', 'the hung call ends at its deadline and the next call runs');
  assert.equal(rs[0].reason?.name, 'TimeoutError');
}, { timeoutMs: 2000 });

test('counts each deadline from when that call starts, not from the start of the batch', async () => {
  // Six 100 ms calls one at a time take 600 ms; each is well within its own 400 ms.
  const rs = await settleAll(Array.from({ length: 6 }, (_, i) => tool(100, i)), { limit: 1, deadlineMs: 400 });
  assert.equal(statuses(rs), Array(6).fill('fulfilled').join(', '), 'a late call timed out: its deadline started before the call did');
});

test('the caller’s signal aborts the running calls, and the rest are never started', async () => {
  const controller = new AbortController();
  const stop = new Error('user pressed Stop');
  let started = 0;
  const task = (signal) => {
    started++;
    return tool(10_000, 'never')(signal);
  };
  setTimeout(() => controller.abort(stop), 50);
  const rs = await settleAll(Array.from({ length: 5 }, () => task), { limit: 2, deadlineMs: 20_000, signal: controller.signal });
  assert.equal(statuses(rs), Array(5).fill('rejected').join(', '));
  assert.equal(started, 2, `${started} tasks were started; after the abort no new call may start`);
  for (const r of rs) assert.equal(r.reason, stop, 'every call is rejected with the caller’s reason');
}, { timeoutMs: 2000 });

test('the caller’s signal settles a running call at once, even one that ignores its signal', async () => {
  const controller = new AbortController();
  const stop = new Error('user pressed Stop');
  const ignores = () => new Promise(() => {});
  setTimeout(() => controller.abort(stop), 50);
  const rs = await Promise.race([settleAll([ignores], { limit: 1, deadlineMs: 20_000, signal: controller.signal }), sleep(1000, 'still running')]);
  assert.notEqual(rs, 'still running', 'the call ignores its signal and still held the batch 1 s after Stop: race each call against its combined signal (deadline and caller), not the deadline alone');
  assert.equal(rs[0].status, 'rejected');
  assert.equal(rs[0].reason, stop, 'the call is rejected with the caller’s reason');
}, { timeoutMs: 2000 });

import { strict as assert } from 'node:assert';
import { RunModel } from '../../../src/webview/planView/runModel';
import { analyzeForView } from '../../../src/extension/planView/toView';
import { batches, fakeRun } from './fakeRun';
import { TRIP_PLAN } from './plans';

describe('plan view: run model', () => {
  const view = analyzeForView(TRIP_PLAN, { uri: 'u', fileLabel: 'trip.toolplan.yaml' }, { analyze: { cores: 4 } });
  const ids = view.tools.map((t) => t.id);

  it('tracks queued, attempts, retries and final states from batched events', () => {
    const run = fakeRun(view, { cap: 4, failOnce: ['flights'], failAlways: ['visas'] });
    const m = new RunModel();
    m.start('r', 'simulate', ids, 4);
    assert.equal(m.takeDirty().all, true);
    for (const b of batches(run.events, 7)) m.apply(b);
    const flights = m.tools[ids.indexOf('flights')];
    assert.equal(flights.status, 'succeeded');
    assert.equal(flights.attempts.length, 2);
    assert.equal(flights.attempts[0].error, 'HTTP 503 from flights');
    assert.equal(flights.attempts[1].error, null);
    assert.equal(m.tools[ids.indexOf('visas')].status, 'failed');
    assert.equal(m.tools[ids.indexOf('report')].status, 'skipped');
    assert.equal(m.phase, 'failed');
    const s = m.stats();
    assert.equal(s.maxConcurrency, run.record.maxObservedConcurrency);
    assert.equal(s.makespanMs, run.record.makespanMs);
    assert.equal(s.slots, 4);
    assert.equal(s.counts.succeeded, 10);
    const busy = run.record.tools.flatMap((t) => t.attempts).reduce((x, a) => x + a.endedAt - a.startedAt, 0);
    assert.ok(Math.abs(s.busyMs - busy) < 1e-9);
    assert.ok(Math.abs(s.utilisation - busy / (run.record.makespanMs * 4)) < 1e-9);
  });

  it('marks only the rows a batch touched as dirty', () => {
    const m = new RunModel();
    m.start('r', 'run', ids, null);
    m.takeDirty();
    m.apply([{ type: 'queued', at: 0, id: 'profile' }, { type: 'started', at: 1, id: 'profile', attempt: 1 }, { type: 'queued', at: 2, id: 'nope' }]);
    assert.deepEqual(m.takeDirty(), { all: false, rows: [0] });
    assert.equal(m.tools[0].status, 'running');
    assert.equal(m.now, 2);
    assert.deepEqual(m.takeDirty(), { all: false, rows: [] });
  });

  it('shows a retry as retrying until the next attempt starts, and measures utilisation against observed slots when uncapped', () => {
    const m = new RunModel();
    m.start('r', 'run', ['a', 'b'], null);
    m.apply([
      { type: 'started', at: 0, id: 'a', attempt: 1 }, { type: 'started', at: 0, id: 'b', attempt: 1 },
      { type: 'attempt-failed', at: 10, id: 'a', attempt: 1, error: 'x', timedOut: true },
      { type: 'retrying', at: 10, id: 'a', attempt: 2, delayMs: 5 },
    ]);
    assert.equal(m.tools[0].status, 'retrying');
    assert.equal(m.tools[0].retryUntil, 15);
    assert.equal(m.tools[0].attempts[0].timedOut, true);
    m.apply([{ type: 'started', at: 15, id: 'a', attempt: 2 }, { type: 'succeeded', at: 20, id: 'a' }, { type: 'succeeded', at: 20, id: 'b' }, { type: 'run-ended', at: 20, status: 'succeeded' }]);
    const s = m.stats();
    assert.equal(s.slotsAreCap, false);
    assert.equal(s.slots, 2);
    assert.equal(s.busyMs, 35);
    assert.equal(s.utilisation, 35 / 40);
  });

  it('takes a finished record as authoritative (history and run-ended)', () => {
    const run = fakeRun(view, { cap: 2, failAlways: ['profile'] });
    const m = new RunModel();
    m.reset(ids);
    m.finishWith('old', 'run', run.record, 2);
    assert.equal(m.phase, 'failed');
    assert.equal(m.tools[0].status, 'failed');
    assert.ok(m.tools.slice(1).every((t) => t.status === 'skipped'));
    assert.equal(m.stats().makespanMs, run.record.makespanMs);
  });

  it('approval lanes: waiting for approval, back to queued when approved, denied as a final state', () => {
    const m = new RunModel();
    m.start('r', 'run', ['a', 'b'], 2);
    m.apply([
      { type: 'queued', at: 0, id: 'a' }, { type: 'queued', at: 0, id: 'b' },
      { type: 'awaiting-approval', at: 0, id: 'a' }, { type: 'awaiting-approval', at: 0, id: 'b' },
    ]);
    assert.deepEqual(m.tools.map((t) => t.status), ['approval', 'approval']);
    assert.equal(m.stats().counts.approval, 2);
    m.apply([{ type: 'approved', at: 40, id: 'a' }, { type: 'denied', at: 40, id: 'b', reason: 'denied by the user' }]);
    assert.deepEqual(m.tools.map((t) => t.status), ['queued', 'denied']);
    assert.equal(m.tools[1].error, 'denied by the user');
    assert.equal(m.tools[1].attempts.length, 0);
    assert.equal(m.stats().counts.denied, 1);
  });
});

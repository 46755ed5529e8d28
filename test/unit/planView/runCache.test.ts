import { strict as assert } from 'node:assert';
import { RunCache } from '../../../src/extension/planView/runCache';
import type { ViewRunRecord } from '../../../src/protocol/planView';

const record: ViewRunRecord = {
  status: 'succeeded', makespanMs: 5, sequentialMs: 5, criticalPathMs: 5, lowerBoundMs: 5, maxObservedConcurrency: 1,
  tools: [{ id: 'a', status: 'succeeded', queuedAt: 0, startedAt: 0, endedAt: 5, attempts: [{ startedAt: 0, endedAt: 5, error: null }], error: null }],
};

describe('plan view: run cache (replay for panels opened or re-shown mid-run)', () => {
  it('replays a live run as run-started plus chunked events, and a finished one as run-started plus run-ended', () => {
    const c = new RunCache();
    assert.deepEqual(c.replay('u'), []);
    c.started('u', 'r1', 'run', ['a'], 2);
    const events = Array.from({ length: 12_000 }, (_, i) => ({ type: 'queued', at: i, id: 'a' }));
    assert.equal(c.events('u', 'r1', events), true);
    assert.equal(c.events('u', 'other', events), false, 'events of an unknown run are not mixed in');
    assert.equal(c.isRunning('u'), true);
    const live = c.replay('u');
    assert.deepEqual(live[0], { type: 'run-started', runId: 'r1', mode: 'run', tools: ['a'], slots: 2 });
    assert.deepEqual(live.slice(1).map((m) => (m.type === 'run-events' ? m.events.length : -1)), [5000, 5000, 2000]);
    c.ended('u', 'r1', 'run', record);
    assert.equal(c.isRunning('u'), false);
    assert.deepEqual(c.replay('u').map((m) => m.type), ['run-started', 'run-ended']);
    assert.equal(c.get('u')?.events.length, 0, 'events are dropped once the record exists');
    c.started('u', 'r2', 'simulate', ['a'], null);
    assert.equal(c.get('u')?.runId, 'r2', 'a new run replaces the old one');
    c.forget('u');
    assert.deepEqual(c.replay('u'), []);
  });

  it('accepts a run-ended for a run it never saw start', () => {
    const c = new RunCache();
    c.ended('v', 'r9', 'simulate', record);
    assert.deepEqual(c.replay('v').map((m) => m.type), ['run-started', 'run-ended']);
  });
});

// Issue 12: what a run sends to VS Code listeners is bounded. The plan view never gets outputs
// (toViewEvents/toViewRecord drop them); errors and reasons, which a tool may make 100 MB long,
// reach it with a marked truncation, and the output channel's line stays one short line.
import { strict as assert } from 'node:assert';
import { toViewEvents, toViewRecord } from '../../../src/extension/planView/toView';
import { toolLine } from '../../../src/extension/plans/runLog';
import { MAX_LISTENER_TEXT_CHARS } from '../../../src/core/engine/valueSize';
import type { RunEvent, RunRecord } from '../../../src/core/engine/types';

const huge = 'e'.repeat(100 * 1024 * 1024);

describe('plan view and output channel: a 100 MB output or error is not posted whole', () => {
  it('run events: outputs dropped, errors and reasons cut at 16 Ki characters with the mark', () => {
    const events: RunEvent[] = [
      { type: 'succeeded', at: 1, id: 'a', output: huge },
      { type: 'attempt-failed', at: 2, id: 'b', attempt: 1, error: huge, timedOut: false },
      { type: 'failed', at: 3, id: 'b', error: huge },
      { type: 'skipped', at: 3, id: 'c', reason: huge },
      { type: 'failed', at: 4, id: 'd', error: 'short' },
    ];
    const view = toViewEvents(events);
    const posted = JSON.stringify(view);
    assert.ok(posted.length < 4 * (MAX_LISTENER_TEXT_CHARS + 200), `${posted.length} characters posted`);
    assert.equal((view[1] as { error: string }).error.slice(0, MAX_LISTENER_TEXT_CHARS), huge.slice(0, MAX_LISTENER_TEXT_CHARS));
    for (const k of [1, 2]) assert.match((view[k] as { error: string }).error, /…\[truncated by fanout: 104,857,600 characters, the first 16,384 shown\]$/);
    assert.match((view[3] as { reason: string }).reason, /…\[truncated by fanout: /);
    assert.equal((view[4] as { error: string }).error, 'short');
  });

  it('the run record: no outputs, tool and attempt errors cut with the mark', () => {
    const record: RunRecord = {
      status: 'failed', makespanMs: 5, sequentialMs: 5, criticalPathMs: 5, lowerBoundMs: 5, maxObservedConcurrency: 1,
      tools: [
        { id: 'a', status: 'succeeded', queuedAt: 0, startedAt: 0, endedAt: 1, attempts: [{ startedAt: 0, endedAt: 1, error: null }], output: huge, error: null },
        { id: 'b', status: 'failed', queuedAt: 0, startedAt: 1, endedAt: 5, attempts: [{ startedAt: 1, endedAt: 5, error: huge, timedOut: true }], output: null, error: huge },
      ],
    };
    const view = toViewRecord(record);
    assert.ok(JSON.stringify(view).length < 3 * (MAX_LISTENER_TEXT_CHARS + 200));
    assert.match(view.tools[1]!.error!, /…\[truncated by fanout: 104,857,600 characters/);
    assert.match(view.tools[1]!.attempts[0]!.error!, /…\[truncated by fanout: /);
    assert.equal(view.tools[1]!.attempts[0]!.timedOut, true);
    assert.equal(view.tools[0]!.attempts[0]!.error, null);
  });

  it('the output channel line of a tool that failed with 100 MB is one short line', () => {
    const line = toolLine({ id: 'b', status: 'failed', queuedAt: 0, startedAt: 1, endedAt: 5, attempts: [], output: null, error: `boom\n${huge}` });
    assert.ok(line.length < 260, String(line.length));
    assert.match(line, /✗ b failed .*: boom ⏎ e+…$/);
  });
});

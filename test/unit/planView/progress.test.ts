// MCP progress on the plan view's timeline rows (issue 15): the events of a real run against
// server-everything (trigger-long-running-operation, 4 steps) through the host's converter into the
// view's run model; the row text and fill; the CLI's live line.
import { strict as assert } from 'node:assert';
import type { RunEvent, RunRecord } from '../../../src/core/engine/types';
import { toViewEvents, toViewRecord } from '../../../src/extension/planView/toView';
import { VIEW_PROGRESS_MESSAGE_MAX, type ViewRunEvent } from '../../../src/protocol/planView';
import { RunModel } from '../../../src/webview/planView/runModel';
import { describeRow, progressShare, progressText } from '../../../src/webview/planView/timeline';
import { progressReporter } from '../../../src/cli/commands/runShared';
import { progressRun } from './mcpProgressRun';

type Progress = Extract<RunEvent, { type: 'progress' }>;

describe('plan view: MCP progress on the timeline rows (a real server-everything run)', function () {
  this.timeout(60_000);
  let events: RunEvent[] = [];
  let record: RunRecord;
  before(async () => {
    ({ events, record } = await progressRun());
  });

  const slowProgress = (): Progress[] => events.filter((e): e is Progress => e.type === 'progress' && e.id === 'slow');

  // The server sends its last notification right before the result; the SDK may hand the result
  // over first and drop that one (the call is over), so the last step is not always seen.
  const last = (): Progress => slowProgress()[slowProgress().length - 1];

  it('the run reported steps 1, 2, 3 (and maybe 4) of 4 on slow', () => {
    assert.equal(record.status, 'succeeded');
    assert.deepEqual(slowProgress().map((p) => `${p.progress}/${p.total}`).slice(0, 3), ['1/4', '2/4', '3/4']);
    assert.ok(slowProgress().length <= 4);
  });

  it('the host passes progress to the view, one per call and attempt in a batch (the latest, in the place of the first)', () => {
    const one = toViewEvents(events);
    const slow = one.filter((e) => e.type === 'progress' && e.id === 'slow');
    assert.equal(slow.length, 1, 'coalesced within one batch');
    assert.deepEqual(slow[0], { type: 'progress', at: last().at, id: 'slow', attempt: 1, progress: last().progress, total: 4 });
    // In the place of the first notification: after slow started, before it succeeded.
    const at = (pred: (e: ViewRunEvent) => boolean): number => one.findIndex(pred);
    const p = at((e) => e.type === 'progress' && e.id === 'slow');
    assert.ok(at((e) => e.type === 'started' && e.id === 'slow') < p && p < at((e) => e.type === 'succeeded' && e.id === 'slow'));
    // One event at a time (the host's batches are ~50 ms; these steps are 400 ms apart): every one passes.
    const each = events.flatMap((e) => toViewEvents([e])).filter((e) => e.type === 'progress' && e.id === 'slow');
    assert.deepEqual(each.map((e) => (e.type === 'progress' ? e.progress : -1)), slowProgress().map((p) => p.progress));
    // Two attempts are not merged, and long messages are cut.
    const two = toViewEvents([
      { type: 'progress', at: 1, id: 'x', attempt: 1, progress: 1, total: 2 },
      { type: 'progress', at: 2, id: 'x', attempt: 2, progress: 1, total: 2, message: 'm'.repeat(500) },
    ]);
    assert.equal(two.length, 2);
    const msg = two[1].type === 'progress' ? two[1].message ?? '' : '';
    assert.equal(msg.length, VIEW_PROGRESS_MESSAGE_MAX);
    assert.ok(msg.endsWith('…'));
  });

  it('the run model keeps the latest progress of the running attempt, live, and the record\'s after the run', () => {
    const m = new RunModel();
    m.start('r', 'run', ['slow', 'quick'], null);
    const second = events.indexOf(slowProgress()[1]);
    for (const e of events.slice(0, second + 1)) m.apply(toViewEvents([e]));
    assert.equal(m.tools[0].status, 'running');
    assert.deepEqual(m.tools[0].progress, { progress: 2, total: 4 });
    assert.equal(progressText(m.tools[0].progress!), '2/4');
    assert.equal(progressShare(m.tools[0].progress!), 0.5);
    assert.match(describeRow('slow', m.tools[0], m.now), /Progress reported by the server: 2\/4 \(50%\)\./);
    // A stale note of an earlier attempt is ignored; a new attempt starts without progress.
    m.apply([{ type: 'attempt-failed', at: m.now + 1, id: 'slow', attempt: 1, error: 'x', timedOut: false }, { type: 'started', at: m.now + 2, id: 'slow', attempt: 2 }]);
    assert.equal(m.tools[0].progress, null);
    m.apply([{ type: 'progress', at: m.now + 3, id: 'slow', attempt: 1, progress: 3, total: 4 }]);
    assert.equal(m.tools[0].progress, null);
    // The finished record brings the last attempt's last progress.
    const v = toViewRecord(record);
    assert.deepEqual(v.tools.find((t) => t.id === 'slow')?.progress, { progress: last().progress, total: 4 });
    m.finishWith('r', 'run', v);
    assert.deepEqual(m.tools[0].progress, { progress: last().progress, total: 4 });
  });

  it('a record keeps no progress from an attempt that is not the last one', () => {
    const t = record.tools.find((x) => x.id === 'slow')!;
    const retried: RunRecord = { ...record, tools: [{ ...t, attempts: [...t.attempts, { startedAt: t.endedAt! + 10, endedAt: t.endedAt! + 20, error: null }] }] };
    assert.equal(toViewRecord(retried).tools[0].progress, undefined);
  });

  it('formats counts, fractions and progress without a total', () => {
    assert.equal(progressText({ progress: 3, total: 10 }), '3/10');
    assert.equal(progressText({ progress: 0.45, total: 1 }), '45%');
    assert.equal(progressText({ progress: 2.5, total: 10 }), '25%');
    assert.equal(progressText({ progress: 7 }), '7');
    assert.equal(progressShare({ progress: 7 }), null);
    assert.equal(progressShare({ progress: 12, total: 10 }), 1);
    assert.equal(progressShare({ progress: 1, total: 0 }), null);
  });

  it('the CLI\'s live line names the calls reporting progress', () => {
    const lines: string[] = [];
    const r = progressReporter({ progress: (l: string) => lines.push(l) } as unknown as Parameters<typeof progressReporter>[0], 2);
    for (const e of events) r.onEvent(e);
    assert.ok(lines.some((l) => /^fanout: [01]\/2 done · [12] running · slow [1-4]\/4$/.test(l)), lines.join('\n'));
    assert.doesNotMatch(lines[lines.length - 1], /slow|quick/, 'a finished call is no longer listed');
  });
});

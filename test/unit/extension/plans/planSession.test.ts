import { strict as assert } from 'node:assert';
import { estimateKey } from '../../../../src/core/analysis/durations';
import { parsePlan } from '../../../../src/core/plan/parse';
import { analyzeSource } from '../../../../src/extension/plans/analyzeSource';
import { analysisLensText } from '../../../../src/extension/plans/format';
import { PlanSession, type SessionChange } from '../../../../src/extension/plans/planSession';
import type { StoredRunSummary } from '../../../../src/extension/runBus';
import type { ViewRunRecord } from '../../../../src/protocol/planView';

const CHAIN = JSON.stringify({
  name: 'chain',
  tools: [
    { id: 'fetch', kind: 'http', args: { url: 'https://example.com/a' }, timeoutMs: 10_000 },
    { id: 'summarise', kind: 'http', args: { url: 'https://example.com/b' }, timeoutMs: 10_000, dependsOn: ['fetch'] },
  ],
}, null, 2);

function sessionOf(text: string, estimates?: ReadonlyMap<string, number>, history: StoredRunSummary[] = []): PlanSession {
  const src = analyzeSource(text, { fileName: '/w/chain.toolplan.json', defaultEstimateMs: 1000, ...(estimates ? { estimates } : {}) });
  return new PlanSession('file:///w/chain.toolplan.json', 'chain.toolplan.json', {
    analyze: () => src,
    history: () => history,
    defaultMaxConcurrency: () => null,
  });
}

const record: ViewRunRecord = {
  status: 'succeeded', makespanMs: 5, sequentialMs: 5, criticalPathMs: 5, lowerBoundMs: 5, maxObservedConcurrency: 1,
  tools: [{ id: 'a', status: 'succeeded', queuedAt: 0, startedAt: 0, endedAt: 5, attempts: [{ startedAt: 0, endedAt: 5, error: null }], error: null }],
};

describe('plan session (one per document: analysis, runs, history, one change stream)', () => {
  it('gives the plan view the CodeLens analysis, learned estimates included (3 s per tool → 6,000 ms)', () => {
    const plan = parsePlan(CHAIN, { fileName: 'chain.toolplan.json' }).plan;
    assert.ok(plan);
    const estimates = new Map(plan.tools.map((t) => [estimateKey(t), 3000]));
    const s = sessionOf(CHAIN, estimates);
    const lens = s.analysis().analysis;
    assert.ok(lens);
    assert.equal(lens.criticalPath.ms, 6000);
    assert.match(analysisLensText(lens), /critical path 6 s/);
    assert.equal(s.view().criticalPath.ms, 6000, 'the plan view says what the CodeLens says');
    assert.deepEqual(s.view().tools.map((t) => t.durationMs), [3000, 3000]);
    assert.equal(s.view(), s.view(), 'the view is built once per analysis');
    // Without learned estimates both fall back to the default (1 s per tool).
    assert.equal(sessionOf(CHAIN).view().criticalPath.ms, 2000);
  });

  it('shows a document that is not a plan as an unreadable view, never throwing', () => {
    const s = sessionOf('just some notes: [');
    const v = s.view();
    assert.equal(v.valid, false);
    assert.equal(v.tools.length, 0);
    assert.ok(v.diagnostics.length > 0);
  });

  it('keeps the active or latest run, emits typed changes and replays a run for a fresh webview', () => {
    const s = sessionOf(CHAIN);
    const seen: SessionChange['kind'][] = [];
    const sub = s.onDidChange((c) => seen.push(c.kind));
    assert.deepEqual(s.replayRun(), []);
    s.runStarted('r1', 'run', ['a'], 2);
    assert.equal(s.running, true);
    const events = Array.from({ length: 12_000 }, (_, i) => ({ type: 'queued' as const, at: i, id: 'a' }));
    s.runEvents('r1', events);
    s.runEvents('other', events);
    s.runEvents('r1', [{ type: 'succeeded', at: 5, id: 'a' }]);
    assert.equal(s.run?.done, 1);
    const live = s.replayRun();
    assert.deepEqual(live[0], { type: 'run-started', runId: 'r1', mode: 'run', tools: ['a'], slots: 2 });
    assert.deepEqual(live.slice(1).map((m) => (m.type === 'run-events' ? m.events.length : -1)), [5000, 5000, 2001]);
    s.runEnded('r1', 'run', record);
    assert.equal(s.running, false);
    assert.deepEqual(s.replayRun().map((m) => m.type), ['run-started', 'run-ended']);
    assert.equal(s.run?.events.length, 0, 'events are dropped once the record exists');
    s.runEnded('r0', 'simulate', record);
    assert.equal(s.run?.runId, 'r0', 'a run that ended unseen still becomes the latest');
    s.historyChanged();
    s.analysisChanged();
    sub.dispose();
    s.analysisChanged();
    assert.deepEqual(seen, ['run-started', 'run-events', 'run-events', 'run-ended', 'run-ended', 'history', 'analysis']);
  });

  it('lists this document\'s history as run summaries, newest first, at most 20', () => {
    const runs: StoredRunSummary[] = Array.from({ length: 25 }, (_, i) => ({
      runId: `r${i}`, uri: 'file:///w/chain.toolplan.json', planName: 'chain', mode: 'run', startedAt: new Date(2026, 0, 1, 0, i).toISOString(), status: 'succeeded', makespanMs: i,
    }));
    const h = sessionOf(CHAIN, undefined, runs).history();
    assert.equal(h.length, 20);
    assert.deepEqual(Object.keys(h[0]).sort(), ['makespanMs', 'mode', 'runId', 'startedAt', 'status']);
  });
});

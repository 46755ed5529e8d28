import { strict as assert } from 'node:assert';
import { estimateKey } from '../../../../src/core/analysis/durations';
import { parsePlan } from '../../../../src/core/plan/parse';
import { analyzeSource } from '../../../../src/extension/plans/analyzeSource';
import { analysisLensText } from '../../../../src/extension/plans/format';
import { PlanSession, type SessionChange } from '../../../../src/extension/plans/planSession';
import type { StoredRunSummary } from '../../../../src/extension/runBus';
import type { ViewRunRecord } from '../../../../src/protocol/planView';
import { predictStream } from '../../../../src/extension/engineHost';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The course's recorded stream: calls of 800, 1500 and 1000 ms closing at 0.6, 1.1 and 1.6 s, the stream ending at 1.8 s. */
const STREAMED = readFileSync(join(__dirname, '../../../../lessons/samples/streamed-batch.toolplan.json'), 'utf8');

function streamedSession(policy: 'dispatch-on-close' | 'wait-for-end', cap: number | null = null): PlanSession {
  const src = analyzeSource(STREAMED, { fileName: '/w/streamed-batch.toolplan.json', defaultEstimateMs: 1000 });
  return new PlanSession('file:///w/streamed-batch.toolplan.json', 'streamed-batch.toolplan.json', {
    analyze: () => src, history: () => [], defaultMaxConcurrency: () => cap,
    streamPolicy: () => policy,
    // What the registry passes (planSessions.ts): the engine bundle's simulateStream.
    predictStream,
  });
}

/** The view once the session has simulated the stream (it emits 'analysis' when done). */
async function predictedView(s: PlanSession) {
  const done = new Promise<void>((resolve) => { const sub = s.onDidChange((c) => { if (c.kind === 'analysis') { sub.dispose(); resolve(); } }); });
  assert.equal(s.view().stream?.predicted, undefined, 'not known before the simulation');
  await done;
  return s.view();
}

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

  it('a streamed plan\'s prediction is the stream simulated under the policy, not the analysis\'s figure (issue 16)', async () => {
    const close = await predictedView(streamedSession('dispatch-on-close'));
    // The analysis assumes every call is there at 0: max(800, 1500, 1000) = 1.5 s.
    assert.equal(close.estimate.parallelMs, 1500);
    // Dispatch-on-close: flights closes at 1.1 s and takes 1.5 s → 2.6 s; all at the end: 1.8 + 1.5 = 3.3 s.
    assert.deepEqual(close.stream?.predicted, { policy: 'dispatch-on-close', makespanMs: 2600, waitForEndMakespanMs: 3300 });
    const wait = await predictedView(streamedSession('wait-for-end'));
    assert.deepEqual(wait.stream?.predicted, { policy: 'wait-for-end', makespanMs: 3300, waitForEndMakespanMs: 3300 });
    // The run's cap (the setting, the plan sets none): one at a time from 0.6 s: 0.6 + 0.8 + 1.5 + 1 = 3.9 s.
    const one = await predictedView(streamedSession('dispatch-on-close', 1));
    assert.equal(one.stream?.predicted?.makespanMs, 3900);
    const s = streamedSession('dispatch-on-close');
    const v = await predictedView(s);
    assert.equal(s.view().stream?.predicted, v.stream?.predicted, 'simulated once per analysis');
    // A plan that is not a stream is not simulated.
    assert.equal(sessionOf(CHAIN).view().stream, undefined);
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

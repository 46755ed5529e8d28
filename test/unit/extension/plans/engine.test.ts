import { strict as assert } from 'node:assert';
import type { RunEvent } from '../../../../src/core/engine/types';
import { analyzeSource } from '../../../../src/extension/plans/analyzeSource';
import { runPlan } from '../../../../src/extension/engineHost';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StreamRunRecord } from '../../../../src/core/stream/run';

// An OpenAI assistant message with two parallel tool calls, as a user would paste it.
const openai = JSON.stringify({
  role: 'assistant',
  content: null,
  tool_calls: [
    { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
    { id: 'call_2', type: 'function', function: { name: 'search', arguments: '{"q":"hotels"}' } },
  ],
});

describe('extension: running plans through the engine adapter', () => {
  it('a streamed plan runs with each call arriving when its arguments close, under the fanout.streamPolicy setting', async () => {
    const text = readFileSync(join(__dirname, '../../../../lessons/samples/streamed-batch.toolplan.json'), 'utf8');
    const src = analyzeSource(text, { fileName: 'streamed-batch.toolplan.json', defaultEstimateMs: 1000 });
    assert.ok(src.analysis);
    const sim = (streamPolicy?: 'dispatch-on-close' | 'wait-for-end') => runPlan({
      plan: src.analysis!.plan, mode: 'simulate', durations: src.analysis!.durations, cwd: process.cwd(), extraRunners: {},
      signal: new AbortController().signal, onEvent: () => undefined, ...(streamPolicy ? { streamPolicy } : {}),
    }) as Promise<StreamRunRecord>;
    const onClose = await sim();
    assert.deepEqual(onClose.tools.map((t) => t.startedAt), [600, 1100, 1600]);
    assert.deepEqual(onClose.stream, { endMs: 1800, waitForEndMakespanMs: 3300, policy: 'dispatch-on-close', timing: 'recorded' });
    const wait = await sim('wait-for-end');
    assert.deepEqual(wait.tools.map((t) => t.startedAt), [1800, 1800, 1800]);
    assert.equal(wait.makespanMs, 3300);
  });

  it('a real run simulates imported calls for their estimate instead of failing them', async () => {
    const src = analyzeSource(openai, { fileName: '', defaultEstimateMs: 5 });
    assert.ok(src.analysis?.valid, src.diagnostics.map((d) => d.message).join('\n'));
    assert.equal(src.analysis.plan.format, 'openai');
    const events: RunEvent[] = [];
    const record = await runPlan({
      plan: src.analysis.plan, mode: 'run', durations: src.analysis.durations, cwd: process.cwd(), extraRunners: {},
      signal: new AbortController().signal, onEvent: (e) => events.push(e),
    });
    assert.equal(record.status, 'succeeded', JSON.stringify(record.tools.map((t) => t.error)));
    assert.equal(record.tools.length, 2);
    assert.ok(events.some((e) => e.type === 'run-ended'));
  });

  it('a simulation runs on the virtual clock with the given cap', async () => {
    const plan = JSON.stringify({ tools: Array.from({ length: 6 }, (_, i) => ({ id: `t${i}`, kind: 'simulate', args: { durationMs: 1000 } })) });
    const src = analyzeSource(plan, { fileName: 'p.toolplan.json', defaultEstimateMs: 1000 });
    assert.ok(src.analysis);
    const record = await runPlan({
      plan: src.analysis.plan, mode: 'simulate', durations: src.analysis.durations, cwd: process.cwd(), extraRunners: {}, maxConcurrency: 2,
      signal: new AbortController().signal, onEvent: () => undefined,
    });
    assert.equal(record.status, 'succeeded');
    assert.equal(record.makespanMs, 3000);
    assert.equal(record.maxObservedConcurrency, 2);
  });
});

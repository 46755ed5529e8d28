// `fanout simulate|run STREAM` (DESIGN §9): streaming dispatch from the command line, as a real process.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOnce, json, ROOT, runCli } from './helpers';

type Json = Record<string, unknown>;
interface StreamJson { endMs: number; waitForEndMakespanMs: number; policy: string; timing: string; tokensPerSecond?: number; unclosed?: Json[] }
interface ToolJson { id: string; status: string; readyAt?: number; queuedAt: number | null; startedAt: number | null; endedAt: number | null }

const chunk = (tool_calls: unknown[], finish: string | null = null): Json => ({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { tool_calls }, finish_reason: finish }] });
const call = (index: number, name: string, args: Json): Json => chunk([{ index, id: `call_${index}`, type: 'function', function: { name, arguments: JSON.stringify(args) } }]);

/** A timestamped recording: three calls closing at 0, 300 and 600 ms, the stream ending at 900 ms. */
function timedStream(gapMs = 300, durationMs?: number): string {
  // A call whose arguments hold durationMs runs that long when simulated (README "Runners"), else its 1 s estimate.
  const d = durationMs !== undefined ? { durationMs } : {};
  const events = [call(0, 'search', { q: 'paris', ...d }), call(1, 'search', { q: 'rome', ...d }), call(2, 'weather', { city: 'oslo', ...d }), { object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] }];
  return events.map((data, k) => JSON.stringify({ timeMs: 5000 + gapMs * k, data })).join('\n') + '\n';
}

describe('cli: streamed turns (simulate and run on a stream file)', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    buildOnce();
    dir = mkdtempSync(join(tmpdir(), 'fanout-stream-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('simulate --json: stream { endMs, waitForEndMakespanMs }, readyAt per tool, each call started when it closed', async () => {
    const r = await runCli(['simulate', file('timed.jsonl', timedStream()), '--json']);
    assert.equal(r.code, 0, r.stderr);
    const o = json(r) as { makespanMs: number; stream: StreamJson; tools: ToolJson[] };
    assert.deepEqual(o.stream, { endMs: 900, waitForEndMakespanMs: 1900, policy: 'dispatch-on-close', timing: 'recorded' });
    assert.deepEqual(o.tools.map((t) => t.readyAt), [0, 300, 600]);
    assert.deepEqual(o.tools.map((t) => t.startedAt), [0, 300, 600]);
    assert.equal(o.makespanMs, 1600); // imported calls run for their 1 s estimate
  });

  it('--stream-policy wait-for-end: nothing starts before the end; readyAt still says when the arguments closed', async () => {
    const r = await runCli(['simulate', file('timed2.jsonl', timedStream()), '--json', '--stream-policy', 'wait-for-end', '--max-concurrency', '2']);
    assert.equal(r.code, 0, r.stderr);
    const o = json(r) as { makespanMs: number; stream: StreamJson; tools: ToolJson[] };
    assert.equal(o.stream.policy, 'wait-for-end');
    assert.deepEqual(o.tools.map((t) => t.readyAt), [0, 300, 600]);
    assert.ok(o.tools.every((t) => (t.startedAt ?? 0) >= 900));
    assert.equal(o.makespanMs, 2900);
    assert.equal(o.stream.waitForEndMakespanMs, o.makespanMs);
  });

  it('the terminal timeline shows the model as its own row, a mark where each call closed, and both policies', async () => {
    const r = await runCli(['simulate', file('timed3.jsonl', timedStream())]);
    assert.equal(r.code, 0, r.stderr);
    const model = r.stdout.split('\n').find((l) => l.startsWith('» model'));
    assert.ok(model, r.stdout);
    const bar = model.slice(model.indexOf('│') + 1, model.lastIndexOf('│'));
    assert.equal([...bar].filter((c) => c === '●').length, 3);
    assert.ok(bar.startsWith('●'));
    assert.match(model, /900 ms · 3 calls closed/);
    assert.match(r.stdout, /stream ended at 900 ms \(recorded times\) · dispatch-on-close 1\.6 s · wait-for-end would take 1\.9 s \(1\.19× longer\)/);
  });

  it('a recording without timestamps replays at the stated token rate (--token-rate)', async () => {
    const fixture = join(ROOT, 'test/fixtures/payloads/streams/openai-chat-tool-call.sse');
    const slow = json(await runCli(['simulate', fixture, '--json', '--token-rate', '10'])) as { stream: StreamJson; tools: ToolJson[] };
    const dflt = json(await runCli(['simulate', fixture, '--json'])) as { stream: StreamJson; tools: ToolJson[] };
    assert.equal(dflt.stream.timing, 'token-rate');
    assert.equal(dflt.stream.tokensPerSecond, 80);
    assert.equal(slow.stream.tokensPerSecond, 10);
    // 44 characters (name + arguments) = 11 tokens: 1.1 s at 10 tokens/s, 137.5 ms at 80.
    assert.equal(slow.tools[0].readyAt, 1100);
    assert.equal(dflt.tools[0].readyAt, 137.5);
  });

  it('a call cut off at the token limit is reported and never run', async () => {
    const text = [call(0, 'search', { q: 'paris' }), chunk([{ index: 1, id: 'call_1', type: 'function', function: { name: 'report', arguments: '{"text":"unfin' } }]),
      { object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'length' }] }].map((e) => `data: ${JSON.stringify(e)}\n\n`).join('');
    const r = await runCli(['simulate', file('cut.sse', text), '--json']);
    assert.equal(r.code, 0, r.stderr);
    const o = json(r) as { stream: StreamJson; tools: ToolJson[] };
    assert.deepEqual(o.tools.map((t) => t.id), ['call_0']);
    assert.deepEqual(o.stream.unclosed, [{ name: 'report', callId: 'call_1', openedAtEvent: 1 }]);
    assert.match(r.stderr, /the arguments of 'report' \(call 'call_1'\) never closed \(the stream was cut off\): it was not run/);
  });

  it('--stream-policy on a plan that is not a stream, or an unknown policy, is exit 2 with the reason', async () => {
    const plan = join(ROOT, 'lessons/samples/trip-planner.toolplan.yaml');
    const a = await runCli(['simulate', plan, '--stream-policy', 'wait-for-end']);
    assert.equal(a.code, 2);
    assert.match(a.stderr, /--stream-policy needs a recorded stream .* 'Trip planner' is a native plan/);
    const b = await runCli(['run', file('timed4.jsonl', timedStream()), '--stream-policy', 'later']);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /--stream-policy must be one of dispatch-on-close, wait-for-end, not 'later'/);
  });

  it('a real run of a recorded stream agrees with its simulation within 3%', async () => {
    // Long durations (3 s a call) keep timer lateness on a loaded machine (tens of ms) well inside 3%.
    const p = file('real.jsonl', timedStream(400, 3000));
    const sim = json(await runCli(['simulate', p, '--json'])) as { makespanMs: number; stream: StreamJson; tools: ToolJson[] };
    const r = await runCli(['run', p, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const real = json(r) as { makespanMs: number; stream: StreamJson; tools: ToolJson[] };
    const ratio = real.makespanMs / sim.makespanMs;
    assert.ok(ratio >= 1 - 1e-9 && ratio <= 1.03, `real ${real.makespanMs} ms vs simulated ${sim.makespanMs} ms (${ratio.toFixed(4)})`);
    real.tools.forEach((t, i) => {
      assert.ok((t.readyAt ?? -1) >= (sim.tools[i].readyAt ?? 0) - 1, `${t.id} ready at ${t.readyAt}`);
      assert.ok((t.startedAt ?? -1) >= (t.readyAt ?? Infinity));
    });
    assert.equal(real.stream.endMs, sim.stream.endMs);
    assert.ok(Math.abs(real.stream.waitForEndMakespanMs / sim.stream.waitForEndMakespanMs - 1) <= 0.03);
  });
});

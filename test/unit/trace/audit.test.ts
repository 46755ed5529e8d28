import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulate } from '../../../src/core/engine/simulate';
import { parsePlan } from '../../../src/core/plan/parse';
import { auditJson, auditTrace } from '../../../src/core/trace/audit';
import { TraceError } from '../../../src/core/trace/model';
import { renderAuditReport } from '../../../src/core/trace/report';
import { OtlpBuilder, nanos } from './otlpBuilder';

const FIX = join(__dirname, '..', '..', 'fixtures', 'traces');
const codes = (j: ReturnType<typeof auditJson>): string[] => j.diagnostics.map((d) => d.code);

/** Turn 1 asks for two searches that run one after another; turn 2 asks for a lookup that needed nothing from them. */
function tripTrace(withContent = true, withIds = true): string {
  const b = new OtlpBuilder('invoke_agent trip', 9000);
  const c = (id: string): string | undefined => (withIds ? id : undefined);
  b.chat(0, 1000, [[c('c1'), 'search_flights', { city: 'Paris', date: '2025-06-01' }], [c('c2'), 'search_hotels', { city: 'Paris' }]], 'Plan a trip to Paris on 2025-06-01');
  const content = (args: unknown, result: unknown) => (withContent ? { args, result } : {});
  b.tool(1010, 3010, 'search_flights', { id: c('c1'), ...content({ city: 'Paris', date: '2025-06-01' }, { flight: 'AF123' }) });
  b.tool(3020, 5020, 'search_hotels', { id: c('c2'), ...content({ city: 'Paris' }, { hotel: 'Hotel Lutetia' }) });
  b.chat(5030, 6030, [[c('c3'), 'get_weather', { city: 'Paris' }]]);
  b.tool(6040, 7040, 'get_weather', { id: c('c3'), ...content({ city: 'Paris' }, { tempC: 21 }) });
  b.chat(7050, 9000, []);
  return b.json();
}

describe('trace audit: OTLP GenAI spans', () => {
  it('rebuilds turns and batches by call id, and finds the serialized batch with its cost', () => {
    const j = auditJson('t.json', auditTrace(tripTrace()));
    assert.equal(j.format, 'otlp');
    assert.equal(j.turns.length, 3);
    assert.deepEqual(j.turns.map((t) => t.calls), [[0, 1], [2], []]);
    assert.deepEqual(j.tools.map((t) => [t.id, t.name, t.turn, t.startedAt, t.endedAt, t.status, t.matchedBy]), [
      ['c1', 'search_flights', 0, 1010, 3010, 'succeeded', 'call-id'],
      ['c2', 'search_hotels', 0, 3020, 5020, 'succeeded', 'call-id'],
      ['c3', 'get_weather', 1, 6040, 7040, 'succeeded', 'call-id'],
    ]);
    const sb = j.diagnostics.find((d) => d.code === 'serialized-batch');
    assert.ok(sb, codes(j).join());
    assert.deepEqual(sb.tools, ['c1', 'c2']);
    // As ran: 1000 → 5020 (4.02 s); together: 10 ms dispatch + 2 s.
    assert.equal(sb.costMs, 2010);
    assert.equal(sb.lesson, 'sequential-baseline');
    assert.match(sb.message, /ran one after another/);
  });

  it('calls that seem to overlap by less than a millisecond ran one after another (span clocks disagree that much)', () => {
    // As the OpenTelemetry JS SDK recorded a sequential loop under load: the second call's start,
    // anchored to Date.now()'s whole milliseconds, 0.7 ms before the first call's end.
    const trace = (secondStart: number): ReturnType<typeof auditJson> => {
      const b = new OtlpBuilder('invoke_agent weather', 304);
      b.chat(0, 43.3, [['call_w', 'get_weather', { city: 'Paris' }], ['call_t', 'get_time', { city: 'Paris' }]]);
      b.tool(44, 166.7, 'get_weather', { id: 'call_w' });
      b.tool(secondStart, secondStart + 93.3, 'get_time', { id: 'call_t' });
      b.chat(260, 304, []);
      return auditJson('t.json', auditTrace(b.json()));
    };
    const sb = trace(166).diagnostics.find((d) => d.code === 'serialized-batch');
    assert.ok(sb, 'a 0.7 ms seeming overlap is still one after another');
    assert.match(sb.message, /ran one after another/);
    // 5 ms of real overlap: they ran together, nothing to report.
    assert.equal(trace(161.7).diagnostics.find((d) => d.code === 'serialized-batch'), undefined);
  });

  it('each finding stands at its first call\'s span id in the file (the spanId key)', () => {
    const text = tripTrace();
    const a = auditTrace(text);
    const at = (id: string): [number, number] => {
      const offset = text.indexOf(`"spanId": "${id}"`) + '"spanId": '.length;
      const before = text.slice(0, offset).split('\n');
      return [before.length, before[before.length - 1].length + 1];
    };
    const byCode = new Map(a.diagnostics.map((d) => [d.code, [d.range.line, d.range.column]]));
    // Spans: the root, a chat, search_flights (3), search_hotels, a chat, get_weather (6).
    assert.deepEqual(byCode.get('serialized-batch'), at('0000000000000003'));
    assert.deepEqual(byCode.get('missed-parallelism'), at('0000000000000006'));
  });

  it('with captured content, get_weather(Paris) could have been asked for in turn 1: a turn fewer', () => {
    const a = auditTrace(tripTrace());
    const j = auditJson('t.json', a);
    const mp = j.diagnostics.find((d) => d.code === 'missed-parallelism');
    assert.ok(mp, codes(j).join());
    assert.deepEqual(mp.tools, ['c3']);
    assert.match(mp.message, /could have been emitted in turn 1/);
    // Replaying the trace's own structure reproduces it exactly.
    assert.equal(a.counterfactual.replayMs, 9000);
    assert.equal(j.actualMs, 9000);
    // Parallel batch: 2.01 s saved; rebatching drops turn 2 (10 ms gap + 1 s) and get_weather's own slot.
    assert.equal(j.savings.serializedBatchMs, 2010);
    assert.equal(j.savings.turnsRemoved, 1);
    assert.ok(j.savings.missedParallelismMs > 2000, JSON.stringify(j.savings));
    assert.equal(j.counterfactualMs, 9000 - j.savings.serializedBatchMs - j.savings.missedParallelismMs);
    assert.equal(j.counterfactual.turns[1], null);
  });

  it('without captured content says only timing was used and reports no missed parallelism', () => {
    const j = auditJson('t.json', auditTrace(tripTrace(false)));
    assert.ok(!codes(j).includes('missed-parallelism'));
    assert.ok(codes(j).includes('serialized-batch'));
    assert.ok(j.notes.some((n) => /only timing evidence was used/.test(n)), j.notes.join('\n'));
    assert.equal(j.contentCaptured, false);
  });

  it('without call ids matches calls to the turn that named them, by tool name', () => {
    const j = auditJson('t.json', auditTrace(tripTrace(false, false)));
    assert.deepEqual(j.turns.map((t) => t.calls), [[0, 1], [2], []]);
    assert.ok(j.tools.every((t) => t.matchedBy === 'name'));
    assert.ok(j.notes.some((n) => /matched to the turn that asked for them by tool names and arguments/.test(n)), j.notes.join('\n'));
  });

  it('without call ids or captured output infers batches from timing and says so', () => {
    const b = new OtlpBuilder('agent', 5000);
    b.chat(0, 1000, []);
    b.tool(1010, 2000, 'a');
    b.tool(2010, 3000, 'b');
    b.chat(3010, 4000, []);
    b.tool(4010, 4500, 'c');
    b.chat(4510, 5000, []);
    const j = auditJson('t.json', auditTrace(b.json()));
    assert.deepEqual(j.turns.map((t) => t.calls), [[0, 1], [2], []]);
    assert.ok(j.tools.every((t) => t.matchedBy === 'timing'));
    assert.ok(j.notes.some((n) => /No call ids: batches inferred from timing/.test(n)), j.notes.join('\n'));
    // Calls after one turn that did not overlap: still reported, on timing evidence.
    assert.deepEqual(j.diagnostics.map((d) => d.code), ['serialized-batch']);
  });

  it('trusts call ids over wrong parent ids (parallel spans parented to the wrong turn)', () => {
    const b = new OtlpBuilder('agent', 4000);
    const t1 = b.chat(0, 1000, [['a', 'lookup', { q: 'one' }], ['b', 'lookup', { q: 'two' }]]);
    const t2 = b.chat(1600, 2000, [['c', 'fetch', { q: 'three' }]]);
    // b's span claims turn 2 as its parent, and starts after turn 2 began.
    b.tool(1010, 1500, 'lookup', { id: 'a', parent: t1 });
    b.tool(1010, 1550, 'lookup', { id: 'b', parent: t2 });
    b.tool(2010, 2500, 'fetch', { id: 'c', parent: t1 });
    b.chat(2600, 4000, []);
    const j = auditJson('t.json', auditTrace(b.json()));
    assert.deepEqual(j.turns.map((t) => t.calls), [[0, 1], [2], []]);
    assert.ok(j.notes.some((n) => /call ids were trusted over parent ids/.test(n)), j.notes.join('\n'));
  });

  it('collateral-cancellation: one failure, siblings cancelled within milliseconds', () => {
    const b = new OtlpBuilder('agent', 5000);
    b.chat(0, 500, [['x', 'fetch_page', { url: 'https://a.example' }], ['y', 'search', { q: 'cats' }], ['z', 'search', { q: 'dogs' }]]);
    b.tool(510, 1500, 'fetch_page', { id: 'x', status: 2, message: 'HTTP 500' });
    b.tool(510, 1503, 'search', { id: 'y', status: 2, message: 'asyncio.CancelledError', errorType: 'CancelledError' });
    b.tool(510, 1502, 'search', { id: 'z', status: 2, errorType: 'CancelledError' });
    b.chat(1600, 2000, []);
    const j = auditJson('t.json', auditTrace(b.json()));
    const d = j.diagnostics.find((x) => x.code === 'collateral-cancellation');
    assert.ok(d, codes(j).join());
    assert.deepEqual(d.tools, ['x', 'y', 'z']);
    assert.equal(d.lesson, 'failures');
    assert.deepEqual(j.tools.map((t) => t.status), ['failed', 'cancelled', 'cancelled']);
    assert.match(d.message, /fetch_page failed at 1.5 s \(HTTP 500\), and 2 sibling calls of turn 1 were cancelled within 3 ms/);
  });

  it('duplicate calls across turns, a retried non-idempotent call, and a hang without a timeout', () => {
    const b = new OtlpBuilder('agent', 80_000);
    b.chat(0, 500, [['a', 'get_weather', { city: 'Oslo' }], ['b', 'send_email', { to: 'x@example.com' }]]);
    b.tool(510, 900, 'get_weather', { id: 'a', args: { city: 'Oslo' }, result: { tempC: 3 } });
    b.tool(510, 2000, 'send_email', { id: 'b', args: { to: 'x@example.com' }, result: 'timeout', status: 2, message: 'timed out' });
    b.chat(2100, 2500, [['c', 'get_weather', { city: 'Oslo' }], ['d', 'send_email', { to: 'x@example.com' }], ['e', 'fetch_page', { url: 'u' }]]);
    b.tool(2510, 2900, 'get_weather', { id: 'c', args: { city: 'Oslo' }, result: { tempC: 3 } });
    b.tool(2510, 3000, 'send_email', { id: 'd', args: { to: 'x@example.com' }, result: 'sent' });
    b.tool(2510, 75_000, 'fetch_page', { id: 'e', args: { url: 'u' }, result: 'late' });
    b.chat(75_100, 80_000, []);
    const j = auditJson('t.json', auditTrace(b.json()));
    assert.deepEqual(j.diagnostics.find((d) => d.code === 'duplicate-call')?.tools, ['a', 'c']);
    assert.deepEqual(j.diagnostics.find((d) => d.code === 'retry-not-idempotent')?.tools, ['b', 'd']);
    const hang = j.diagnostics.find((d) => d.code === 'missing-timeout');
    assert.deepEqual(hang?.tools, ['e']);
    assert.match(hang?.message ?? '', /fetch_page ran for 1 min 12 s/);
    assert.equal(j.tools.find((t) => t.id === 'b')?.status, 'timed-out');
  });

  it('reads the collector file exporter format: one export request per line', () => {
    const b = new OtlpBuilder('agent', 3000);
    b.chat(0, 1000, [['a', 'one', {}], ['b', 'two', {}]]);
    b.tool(1000, 2000, 'one', { id: 'a' });
    b.tool(1000, 2000, 'two', { id: 'b' });
    const all = JSON.parse(b.json()) as { resourceSpans: [{ scopeSpans: [{ spans: unknown[] }] }] };
    const spans = all.resourceSpans[0].scopeSpans[0].spans;
    const line = (s: unknown[]): string => JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 't' }, spans: s }] }] });
    const text = `${line(spans.slice(0, 2))}\n${line(spans.slice(2))}\n`;
    const j = auditJson('t.jsonl', auditTrace(text));
    assert.deepEqual(j.turns.map((t) => t.calls), [[0, 1]]);
    assert.deepEqual(j.diagnostics, []);
  });

  it('reads span arrays in Python ReadableSpan.to_json() and OpenTelemetry JS shapes', () => {
    const py = [
      { name: 'chat', context: { trace_id: '0xabc', span_id: '0x01' }, parent_id: null, start_time: '2025-01-01T00:00:00.000000Z', end_time: '2025-01-01T00:00:01.000000Z', status: { status_code: 'UNSET' }, attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'tool_call', id: 'k1', name: 'a', arguments: {} }, { type: 'tool_call', id: 'k2', name: 'b', arguments: {} }] }]) } },
      { name: 'execute_tool a', context: { trace_id: '0xabc', span_id: '0x02' }, parent_id: '0x01', start_time: '2025-01-01T00:00:01.000000Z', end_time: '2025-01-01T00:00:02.000000Z', status: { status_code: 'OK' }, attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'a', 'gen_ai.tool.call.id': 'k1' } },
      { name: 'execute_tool b', context: { trace_id: '0xabc', span_id: '0x03' }, parent_id: '0x01', start_time: '2025-01-01T00:00:02.000250Z', end_time: '2025-01-01T00:00:03.000000Z', status: { status_code: 'OK' }, attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'b', 'gen_ai.tool.call.id': 'k2' } },
    ];
    const jp = auditJson('py.json', auditTrace(JSON.stringify(py)));
    assert.equal(jp.tools[1].startedAt, 2000.3);
    assert.deepEqual(jp.diagnostics.map((d) => d.code), ['serialized-batch']);
    const js = py.map((s) => ({
      name: s.name, kind: 0, _spanContext: { traceId: 'abc', spanId: s.context.span_id }, ...(s.parent_id ? { parentSpanContext: { traceId: 'abc', spanId: s.parent_id } } : {}),
      startTime: [Math.floor(Date.parse(s.start_time) / 1000), (Date.parse(s.start_time) % 1000) * 1e6], endTime: [Math.floor(Date.parse(s.end_time) / 1000), (Date.parse(s.end_time) % 1000) * 1e6],
      attributes: s.attributes, status: { code: 0 }, events: [],
    }));
    const jj = auditJson('js.json', auditTrace(JSON.stringify(js)));
    assert.deepEqual(jj.turns.map((t) => t.calls), [[0, 1]]);
    assert.deepEqual(jj.diagnostics.map((d) => d.code), ['serialized-batch']);
  });

  it('keeps sub-millisecond precision of string-encoded int64 nanoseconds', () => {
    assert.equal(nanos(1.25), '1735689600001250000');
    const b = new OtlpBuilder('agent', 10);
    b.chat(0, 1.25, [['a', 'x', {}]]);
    b.tool(1.5, 2.75, 'x', { id: 'a' });
    const j = auditJson('t.json', auditTrace(b.json()));
    assert.equal(j.turns[0].endedAt, 1.3);
    assert.deepEqual([j.tools[0].startedAt, j.tools[0].endedAt], [1.5, 2.8]);
  });

  it('clock skew (a call starting 2 ms before its turn ended) is replayed by the scheduler, not assumed', () => {
    const b = new OtlpBuilder('agent', 3000);
    b.chat(0, 1000, [['a', 'x', {}], ['b', 'y', {}]]);
    b.tool(998, 2000, 'x', { id: 'a' });
    b.tool(998, 2500, 'y', { id: 'b' });
    b.chat(2510, 3000, []);
    const a = auditTrace(b.json());
    assert.deepEqual(a.rebuilt.turns.map((t) => t.calls), [[0, 1], []]);
    // The replay releases each call at its turn's end: 2 ms later than it really started.
    assert.equal(Math.round(a.counterfactual.replayMs), 3002);
    assert.deepEqual(a.findings, []);
  });

  it('never-ended tool spans are unfinished, and a hang', () => {
    const b = new OtlpBuilder('agent', 60_000);
    b.chat(0, 100, [['a', 'x', {}]]);
    b.tool(110, null, 'x', { id: 'a' });
    const j = auditJson('t.json', auditTrace(b.json()));
    assert.equal(j.tools[0].status, 'unfinished');
    assert.ok(codes(j).includes('missing-timeout'));
  });
});

describe('trace audit: other inputs', () => {
  it('the OpenInference spec example (Arize-ai/openinference spec/llm_spans.md): LLM spans with a tool call', () => {
    const a = auditTrace(readFileSync(join(FIX, 'openinference-spec-llm-tool-call.json'), 'utf8'));
    assert.equal(a.rebuilt.format, 'openinference');
    assert.equal(a.rebuilt.turns.length, 2);
    assert.deepEqual(a.rebuilt.turns[0].emitted?.map((c) => [c.name, c.arguments]), [['multiply', { a: 23, b: 87 }]]);
    // -07:00 offsets and microseconds: 17.982858 → 18.517639 s.
    assert.equal(Math.round(a.rebuilt.turns[0].endedAt * 1000), 534781);
    assert.ok(a.rebuilt.notes.some((n) => /no tool spans/.test(n)));
  });

  it('a Fanout run record: ready tools that waited for a slot are a serialized batch', async () => {
    const parsed = parsePlan(JSON.stringify({ name: 'p', maxConcurrency: 1, tools: ['a', 'b', 'c'].map((id) => ({ id, kind: 'simulate', args: { durationMs: 100 } })) }), { fileName: 'p.toolplan.json' });
    assert.ok(parsed.plan);
    const record = await simulate(parsed.plan);
    const j = auditJson('r.json', auditTrace(JSON.stringify(record)));
    assert.equal(j.format, 'fanout');
    assert.equal(j.actualMs, 300);
    assert.equal(j.counterfactualMs, 100);
    const d = j.diagnostics.find((x) => x.code === 'serialized-batch');
    assert.ok(d, codes(j).join());
    assert.match(d.message, /were ready but waited for a free slot, 300 ms in all, while at most 1 ran at once/);
    // The notes agree with the finding (they used to say serialized-batch is not reported).
    const notes = auditTrace(JSON.stringify(record)).rebuilt.notes;
    assert.ok(notes.some((n) => /a call that waited for a free slot is reported as serialized-batch/.test(n)), notes.join('\n'));
    assert.ok(!notes.some((n) => /serialized-batch is not reported/.test(n)), notes.join('\n'));
  });

  it('a batch of 130,000 calls (more than a spread call can take) audits and renders', function () {
    this.timeout(60_000);
    const tools = Array.from({ length: 130_000 }, (_, i) => ({ id: `t${i}`, status: 'succeeded', queuedAt: 0, startedAt: 0, endedAt: 5, attempts: [], output: null, error: null }));
    const a = auditTrace(JSON.stringify({ status: 'succeeded', makespanMs: 5, tools }));
    assert.equal(a.rebuilt.tools.length, 130_000);
    assert.equal(a.counterfactual.counterfactualMs, 5);
    const text = renderAuditReport('big.json', a);
    assert.equal(text.split('\n').filter((l) => /^ {2}tools \d+ /.test(l)).length, 24); // 12 capped lanes × 2 timelines
  });

  it('unreadable input: positioned errors that say what to do', () => {
    const cases: [string, RegExp, number, number][] = [
      ['{\n  "resourceSpans": [\n    {"scopeSpans": [}\n  ]\n}', /a value was expected here/, 3, 21],
      ['', /The trace is empty/, 1, 1],
      ['{"hello": 1}', /Not a trace Fanout can read/, 1, 1],
      ['{"resourceSpans": []}', /has no spans/, 1, 1],
    ];
    for (const [text, re, line, column] of cases) {
      assert.throws(() => auditTrace(text), (e: unknown) => e instanceof TraceError && re.test(e.message) && e.line === line && e.column === column, text);
    }
  });

  it('the text report shows both timelines, the findings with lessons and the breakdown', () => {
    const text = renderAuditReport('t.json', auditTrace(tripTrace()), { width: 100 });
    assert.match(text, /^What happened$/m);
    assert.match(text, /^Scheduled by Fanout/m);
    assert.match(text, /^ {2}model +│/m);
    assert.match(text, /✓ 1·search_flights/);
    assert.match(text, /warning serialized-batch/);
    assert.match(text, /learn: sequential-baseline/);
    assert.match(text, /^Counterfactual {2}actual 9 s → .*serialized batches −2.01 s · missed parallelism −.* \(1 turn fewer\)$/m);
  });
});

describe('trace audit: LangSmith, Langfuse and OpenAI Agents exports', () => {
  const load = (f: string) => auditJson(f, auditTrace(readFileSync(join(FIX, f), 'utf8')));

  it('OpenAI Agents: function spans without call ids matched by name and arguments; the serialized pair', () => {
    const j = load('openai-agents-weather.json');
    assert.equal(j.format, 'openai-agents');
    assert.deepEqual(j.turns.map((t) => t.calls), [[0, 1], []]);
    assert.deepEqual(j.tools.map((t) => [t.name, t.matchedBy]), [['get_weather', 'name'], ['get_local_time', 'name']]);
    assert.deepEqual(j.diagnostics.map((d) => [d.code, d.costMs]), [['serialized-batch', 905]]);
    assert.equal(j.actualMs, 4420);
    assert.equal(j.counterfactualMs, 3515);
    assert.ok(!j.notes.some((n) => /no tool span/.test(n)), j.notes.join('\n'));
  });

  it('LangSmith: a run tree; the second lookup needed nothing from the first (a turn fewer)', () => {
    const j = load('langsmith-research-runs.json');
    assert.equal(j.format, 'langsmith');
    assert.deepEqual(j.turns.map((t) => t.calls), [[0], [1], []]);
    assert.deepEqual(j.tools.map((t) => [t.id, t.matchedBy]), [['call_lyon', 'call-id'], ['call_porto', 'call-id']]);
    assert.deepEqual(j.diagnostics.map((d) => d.code), ['missed-parallelism']);
    assert.deepEqual(j.savings, { serializedBatchMs: 0, missedParallelismMs: 2420, turnsRemoved: 1, turnsRemovedMs: 910 });
    assert.equal(j.counterfactualMs, 4880);
  });

  it('Langfuse: one fetch failed and its two siblings were cancelled', () => {
    const j = load('langfuse-fetch-trace.json');
    assert.equal(j.format, 'langfuse');
    assert.deepEqual(j.tools.map((t) => t.status), ['failed', 'cancelled', 'cancelled']);
    const d = j.diagnostics.find((x) => x.code === 'collateral-cancellation');
    assert.ok(d);
    assert.equal(d.costMs, 2386);
    assert.ok(j.notes.some((n) => /only timing evidence was used/.test(n)));
  });
});

// Traces recorded here with the real OpenTelemetry JS SDK around real work: an agent loop whose
// model and tools are HTTP endpoints of a local replay server on 127.0.0.1 (Node's fetch as the
// client), instrumented with GenAI spans and exported by the SDK's OTLP/JSON serializer.
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, context, trace } from '@opentelemetry/api';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { auditJson, auditTrace } from '../../../src/core/trace/audit';

interface ToolCall { id: string; type: 'function'; function: { name: string; arguments: string } }
interface ChatResponse { choices: { message: { role: 'assistant'; content: string | null; tool_calls?: ToolCall[] } }[] }

/** Replays a recorded chat: first the two tool calls, then the answer; tools answer after a delay. */
function replayServer(): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const send = (o: unknown, delay: number): void => void setTimeout(() => res.end(JSON.stringify(o)), delay);
      res.setHeader('content-type', 'application/json');
      if (url.pathname === '/v1/chat/completions') {
        const messages = (JSON.parse(body) as { messages: { role: string }[] }).messages;
        const answered = messages.some((m) => m.role === 'tool');
        const reply: ChatResponse = answered
          ? { choices: [{ message: { role: 'assistant', content: 'Sunny, 21 °C, and it is 14:05 in Paris.' } }] }
          : { choices: [{ message: { role: 'assistant', content: null, tool_calls: [
            { id: 'call_w', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_t', type: 'function', function: { name: 'get_time', arguments: '{"city":"Paris"}' } },
          ] } }] };
        send(reply, 40);
      } else if (url.pathname === '/tools/get_weather') send({ tempC: 21, sky: 'sunny' }, 120);
      else if (url.pathname === '/tools/get_time') send({ time: '14:05' }, 90);
      else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

/** A minimal agent loop, traced with GenAI spans; `parallel` decides how one turn's calls run. */
async function recordAgent(base: string, parallel: boolean): Promise<string> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('recorded-agent');
  const root = tracer.startSpan('invoke_agent weather', { attributes: { 'gen_ai.operation.name': 'invoke_agent' } });
  const ctx = trace.setSpan(context.active(), root);
  const messages: { role: string; content: string | null; tool_calls?: ToolCall[]; tool_call_id?: string }[] = [{ role: 'user', content: 'Weather and time in Paris?' }];
  for (let turn = 0; turn < 4; turn++) {
    const chat = tracer.startSpan('chat replay-model', { kind: SpanKind.CLIENT, attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'replay-model', 'gen_ai.input.messages': JSON.stringify(messages) } }, ctx);
    const res = (await (await fetch(`${base}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ messages }) })).json()) as ChatResponse;
    const msg = res.choices[0].message;
    chat.setAttribute('gen_ai.output.messages', JSON.stringify([msg]));
    chat.end();
    messages.push(msg);
    const calls = msg.tool_calls ?? [];
    if (calls.length === 0) break;
    const runOne = async (c: ToolCall): Promise<void> => {
      const span = tracer.startSpan(`execute_tool ${c.function.name}`, { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': c.function.name, 'gen_ai.tool.call.id': c.id, 'gen_ai.tool.call.arguments': c.function.arguments } }, ctx);
      const out = JSON.stringify(await (await fetch(`${base}/tools/${c.function.name}`, { method: 'POST', body: c.function.arguments })).json());
      span.setAttribute('gen_ai.tool.call.result', out);
      span.end();
      messages.push({ role: 'tool', tool_call_id: c.id, content: out });
    };
    if (parallel) await Promise.all(calls.map(runOne));
    else for (const c of calls) await runOne(c); // the bug the audit should find
  }
  root.end();
  await provider.forceFlush();
  const bytes = JsonTraceSerializer.serializeRequest(exporter.getFinishedSpans());
  await provider.shutdown();
  assert.ok(bytes);
  return new TextDecoder().decode(bytes);
}

describe('trace audit: traces recorded with the OpenTelemetry JS SDK around a local replay server', function () {
  this.timeout(30_000);
  let server: Server;
  let base: string;
  before(async () => ({ server, base } = await replayServer()));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('the sequential loop: serialized-batch on the turn that asked for both calls', async () => {
    const j = auditJson('recorded.json', auditTrace(await recordAgent(base, false)));
    assert.equal(j.format, 'otlp');
    assert.equal(j.turns.length, 2);
    assert.deepEqual(j.tools.map((t) => [t.id, t.turn, t.matchedBy]), [['call_w', 0, 'call-id'], ['call_t', 0, 'call-id']]);
    const d = j.diagnostics.find((x) => x.code === 'serialized-batch');
    assert.ok(d, JSON.stringify(j.diagnostics));
    // The shorter call (90 ms on the server) is what running them together saves; generous bounds.
    assert.ok((d.costMs ?? 0) > 40, String(d.costMs));
    assert.ok(j.counterfactualMs < j.actualMs);
  });

  it('the Promise.all loop: the calls overlapped, nothing to report', async () => {
    const j = auditJson('recorded.json', auditTrace(await recordAgent(base, true)));
    assert.deepEqual(j.diagnostics.map((d) => d.code), []);
    assert.deepEqual(j.tools.map((t) => t.turn), [0, 0]);
  });
});

// A large OTLP/JSON agent trace for the audit bench: one agent, `turns` model turns, each asking
// for `width` tool calls (GenAI chat / execute_tool spans with call ids, arguments and results),
// every fifth batch runs one after another; calls use a value the previous batch returned, except
// one call in every tenth turn, which needed nothing new (it was asked for late). Encoded as
// the OTLP JSON exporters write it (hex ids, string nanoseconds, KeyValue attributes).
import { seededRandom } from '../../src/core/random';

export function largeTraceText(spans: number, options: { readonly width?: number; readonly content?: boolean } = {}): string {
  const width = options.width ?? 9;
  const content = options.content ?? true;
  const turns = Math.floor(spans / (width + 1));
  const rand = seededRandom(7);
  const T0 = 1_735_689_600_000n * 1_000_000n;
  let t = 0; // ms
  let n = 0;
  const id = (): string => (++n).toString(16).padStart(16, '0');
  const traceId = '0af7651916cd43dd8448eb211c80319c';
  const ns = (ms: number): string => (T0 + BigInt(Math.round(ms * 1e6))).toString();
  const s = (k: string, v: string): string => `{"key":${JSON.stringify(k)},"value":{"stringValue":${JSON.stringify(v)}}}`;
  const parts: string[] = [];
  const span = (name: string, start: number, end: number, attrs: string[]): void => {
    parts.push(`{"traceId":"${traceId}","spanId":"${id()}","name":${JSON.stringify(name)},"kind":1,"startTimeUnixNano":"${ns(start)}","endTimeUnixNano":"${ns(end)}","attributes":[${attrs.join(',')}],"droppedAttributesCount":0,"events":[],"droppedEventsCount":0,"links":[],"droppedLinksCount":0,"status":{"code":0}}`);
  };
  let call = 0;
  for (let k = 0; k < turns; k++) {
    const latency = 300 + rand() * 900;
    // Calls use an item the previous batch returned; in every tenth turn one call needs nothing new (asked late).
    const calls = Array.from({ length: width }, (_, j) => ({ id: `call_${call + j}`, name: `tool_${j % 5}`, args: { q: k > 0 && !(k % 10 === 5 && j === 0) ? `item${call + j - width}` : `topic ${call + j}` } }));
    // Without content capture (the GenAI instrumentations' default) the output keeps the call ids only.
    const out = JSON.stringify([{ role: 'assistant', parts: calls.map((c) => ({ type: 'tool_call', id: c.id, name: c.name, ...(content ? { arguments: c.args } : {}) })) }]);
    span('chat gpt-4o', t, t + latency, [s('gen_ai.operation.name', 'chat'), s('gen_ai.request.model', 'gpt-4o'), s('gen_ai.output.messages', out)]);
    t += latency + 2;
    const serial = k % 5 === 0;
    let end = t;
    for (const c of calls) {
      const d = 20 + rand() * 400;
      const start = serial ? end : t;
      const score = Math.round(rand() * 1000);
      span(`execute_tool ${c.name}`, start, start + d, [s('gen_ai.operation.name', 'execute_tool'), s('gen_ai.tool.name', c.name), s('gen_ai.tool.call.id', c.id),
        ...(content ? [s('gen_ai.tool.call.arguments', JSON.stringify(c.args)), s('gen_ai.tool.call.result', JSON.stringify({ item: `item${call}`, score }))] : [])]);
      end = Math.max(end, start + d);
      call++;
    }
    t = end + 2;
  }
  return `{"resourceSpans":[{"resource":{"attributes":[${s('service.name', 'bench-agent')}],"droppedAttributesCount":0},"scopeSpans":[{"scope":{"name":"bench"},"spans":[${parts.join(',')}]}]}]}`;
}

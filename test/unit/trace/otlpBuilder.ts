// Builds OTLP/JSON export requests for tests, encoded as the proto3 JSON mapping writes them
// (hex ids, int64 nanoseconds as decimal strings, KeyValue/AnyValue attributes).
export const T0_MS = 1_735_689_600_000; // 2025-01-01T00:00:00Z

type Attr = string | number | boolean;

export interface SpanInit {
  readonly name: string;
  readonly start: number;
  readonly end: number | null;
  readonly attrs?: Readonly<Record<string, Attr>>;
  readonly parent?: string | null;
  readonly status?: 0 | 1 | 2;
  readonly message?: string;
}

export function nanos(ms: number): string {
  const whole = Math.floor(ms);
  return (BigInt(T0_MS + whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6))).toString();
}

function anyValue(v: Attr): Record<string, unknown> {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
}

export class OtlpBuilder {
  private n = 0;
  readonly spans: Record<string, unknown>[] = [];
  readonly traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  readonly root: string;

  constructor(rootName = 'invoke_agent demo', end = 0) {
    this.root = this.add({ name: rootName, start: 0, end, parent: null, attrs: { 'gen_ai.operation.name': 'invoke_agent' } });
  }

  add(s: SpanInit): string {
    const spanId = (++this.n).toString(16).padStart(16, '0');
    this.spans.push({
      traceId: this.traceId, spanId, ...(s.parent === null ? {} : { parentSpanId: s.parent ?? this.root }), name: s.name, kind: 1,
      startTimeUnixNano: nanos(s.start), ...(s.end === null ? {} : { endTimeUnixNano: nanos(s.end) }),
      attributes: Object.entries(s.attrs ?? {}).map(([key, v]) => ({ key, value: anyValue(v) })),
      status: { code: s.status ?? 0, ...(s.message ? { message: s.message } : {}) },
    });
    return spanId;
  }

  /** A chat span whose output asked for these calls ([id, name, args]). */
  chat(start: number, end: number, calls: readonly (readonly [string | undefined, string, unknown])[], input?: string): string {
    const parts = calls.map(([id, name, args]) => ({ type: 'tool_call', ...(id ? { id } : {}), name, arguments: args }));
    return this.add({
      name: 'chat gpt-4o', start, end,
      attrs: {
        'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o',
        'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: parts.length > 0 ? parts : [{ type: 'text', content: 'done' }] }]),
        ...(input ? { 'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: input }] }]) } : {}),
      },
    });
  }

  tool(start: number, end: number | null, name: string, opts: { id?: string; args?: unknown; result?: unknown; status?: 0 | 1 | 2; message?: string; errorType?: string; parent?: string } = {}): string {
    return this.add({
      name: `execute_tool ${name}`, start, end, status: opts.status ?? 0, ...(opts.message ? { message: opts.message } : {}), ...(opts.parent ? { parent: opts.parent } : {}),
      attrs: {
        'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': name,
        ...(opts.id ? { 'gen_ai.tool.call.id': opts.id } : {}),
        ...(opts.args !== undefined ? { 'gen_ai.tool.call.arguments': JSON.stringify(opts.args) } : {}),
        ...(opts.result !== undefined ? { 'gen_ai.tool.call.result': JSON.stringify(opts.result) } : {}),
        ...(opts.errorType ? { 'error.type': opts.errorType } : {}),
      },
    });
  }

  json(): string {
    return JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'test-agent' } }] }, scopeSpans: [{ scope: { name: 'test' }, spans: this.spans }] }] }, null, 1);
  }
}

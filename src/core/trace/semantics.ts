// What a span means for the audit, from the attribute vocabularies agent traces use:
// - OpenTelemetry GenAI semantic conventions: gen_ai.operation.name (chat, execute_tool,
//   invoke_agent…), gen_ai.tool.name / gen_ai.tool.call.id / .arguments / .result,
//   gen_ai.input.messages / gen_ai.output.messages (parts with type tool_call), and the older
//   event form (gen_ai.choice, gen_ai.tool.message);
// - OpenInference (Phoenix): openinference.span.kind LLM/TOOL/AGENT/CHAIN, tool.name,
//   tool_call.id, llm.output_messages.N.message.tool_calls.M.tool_call.*, input.value/output.value;
// - OpenLLMetry (gen_ai.completion.N.tool_calls.M.*, traceloop.span.kind) and the Vercel AI SDK
//   (ai.toolCall.*, ai.response.toolCalls), which many GenAI traces in the wild still carry.
import type { JsonValue } from '../plan/types';
import { attrString, indices, type Attrs } from './attributes';
import type { EmittedCall, TraceSpan, Writable } from './model';
import { isObject, maybeJson, str } from './values';

export interface SpanEvent {
  readonly name: string;
  readonly attrs: Attrs;
  /** The log body of event-style GenAI records (when an exporter put it on the event). */
  readonly body?: unknown;
}

/** What the vocabularies say about a span: the meaning fields of TraceSpan, plus which vocabulary said it. */
export type SpanMeaning = Pick<TraceSpan, 'role' | 'toolName' | 'callId' | 'arguments' | 'result' | 'emitted' | 'input' | 'model'> & {
  /** Which vocabulary said so: lets the reader name the format (otlp vs openinference). */
  readonly vocabulary: 'genai' | 'openinference' | 'openllmetry' | 'vercel-ai' | 'none';
};

const MODEL_OPS = new Set(['chat', 'text_completion', 'generate_content', 'completion', 'responses']);
const AGENT_OPS = new Set(['invoke_agent', 'create_agent', 'invoke_workflow']);

export function spanMeaning(name: string, a: Attrs, events: readonly SpanEvent[], kindHint?: string): SpanMeaning {
  const oiKind = (attrString(a, 'openinference.span.kind') ?? kindHint)?.toUpperCase();
  if (oiKind) return openInference(oiKind, a);
  const op = attrString(a, 'gen_ai.operation.name');
  if (op === 'execute_tool') return genAiTool(a);
  if (op && MODEL_OPS.has(op)) return genAiModel(a, events);
  if (op && AGENT_OPS.has(op)) return { role: 'agent', vocabulary: 'genai' };
  const vercel = attrString(a, 'ai.operationId');
  if (vercel) return vercelAi(vercel, a);
  const tl = attrString(a, 'traceloop.span.kind');
  if (tl === 'tool') return { role: 'tool', vocabulary: 'openllmetry', toolName: attrString(a, 'traceloop.entity.name') ?? name, ...content(maybeJson(a['traceloop.entity.input']), maybeJson(a['traceloop.entity.output'])) };
  if (tl === 'agent' || tl === 'workflow') return { role: 'agent', vocabulary: 'openllmetry' };
  const reqType = attrString(a, 'llm.request.type');
  // Without an operation name, a span naming its provider (gen_ai.system, since semconv 1.37
  // gen_ai.provider.name) and a requested model is a model call: the semantic conventions' own
  // tool-call example (test/fixtures/traces/otel-semconv-tool-call.otlp.json) omits the name on its second chat span.
  if (reqType === 'chat' || reqType === 'completion' || (op === undefined && (attrString(a, 'gen_ai.system') ?? attrString(a, 'gen_ai.provider.name')) && attrString(a, 'gen_ai.request.model'))) {
    return genAiModel(a, events);
  }
  if (op) return { role: 'other', vocabulary: 'genai' };
  return { role: 'other', vocabulary: 'none' };
}

function content(args: JsonValue | undefined, result: JsonValue | undefined): { arguments?: JsonValue; result?: JsonValue } {
  return { ...(args !== undefined ? { arguments: args } : {}), ...(result !== undefined ? { result } : {}) };
}

/** Built by assignment, not spreads: this runs for every tool span of traces with 100k spans. */
function genAiTool(a: Attrs): SpanMeaning {
  const toolName = attrString(a, 'gen_ai.tool.name');
  const callId = attrString(a, 'gen_ai.tool.call.id');
  const m: Writable<SpanMeaning> = { role: 'tool', vocabulary: 'genai' };
  if (toolName) m.toolName = toolName;
  if (callId) m.callId = callId;
  const args = maybeJson(a['gen_ai.tool.call.arguments'] ?? a['gen_ai.tool.input']);
  const result = maybeJson(a['gen_ai.tool.call.result'] ?? a['gen_ai.tool.output']);
  if (args !== undefined) m.arguments = args;
  if (result !== undefined) m.result = result;
  return m;
}

function genAiModel(a: Attrs, events: readonly SpanEvent[]): SpanMeaning {
  const emitted: EmittedCall[] = [];
  const input: JsonValue[] = [];
  // Current conventions: gen_ai.output.messages (JSON text or a structured attribute).
  const out = maybeJson(a['gen_ai.output.messages']);
  if (Array.isArray(out)) for (const m of out) collectMessageCalls(m, emitted);
  // OpenLLMetry / older conventions: gen_ai.completion.N.tool_calls.M.{id,name,arguments}.
  if (emitted.length === 0) {
    for (const n of indices(a, 'gen_ai.completion')) {
      for (const m of indices(a, `gen_ai.completion.${n}.tool_calls`)) {
        const p = `gen_ai.completion.${n}.tool_calls.${m}`;
        const name = attrString(a, `${p}.name`);
        if (!name) continue;
        emitted.push(call(name, attrString(a, `${p}.id`), a[`${p}.arguments`]));
      }
    }
  }
  // Event form: gen_ai.choice events carrying { message: { tool_calls } } (body or attributes).
  if (emitted.length === 0) {
    for (const e of events) {
      if (e.name !== 'gen_ai.choice') continue;
      const body = isObject(e.body) ? e.body : maybeJson(e.attrs['message'] ?? e.attrs['gen_ai.event.content']);
      const msg = isObject(body) && isObject(body.message) ? body.message : body;
      if (msg !== undefined) collectMessageCalls(msg, emitted);
      const tc = maybeJson(e.attrs['tool_calls'] ?? e.attrs['message.tool_calls']);
      if (Array.isArray(tc)) for (const c of tc) collectOpenAICall(c, emitted);
    }
  }
  const inMsgs = maybeJson(a['gen_ai.input.messages'] ?? a['gen_ai.prompt']);
  if (inMsgs !== undefined) input.push(inMsgs);
  for (const n of indices(a, 'gen_ai.prompt')) {
    const c = a[`gen_ai.prompt.${n}.content`];
    if (typeof c === 'string') input.push(c);
  }
  for (const e of events) {
    if (!e.name.startsWith('gen_ai.') || e.name === 'gen_ai.choice') continue;
    const c = e.body ?? e.attrs['content'] ?? e.attrs['gen_ai.event.content'];
    if (c !== undefined) input.push(c as JsonValue);
  }
  const model = attrString(a, 'gen_ai.response.model') ?? attrString(a, 'gen_ai.request.model');
  return {
    role: 'model', vocabulary: attrString(a, 'llm.request.type') ? 'openllmetry' : 'genai',
    ...(emitted.length > 0 || out !== undefined ? { emitted } : {}),
    ...(input.length > 0 ? { input } : {}),
    ...(model ? { model } : {}),
  };
}

/** Calls inside one message in the shapes providers and conventions use. */
function collectMessageCalls(m: unknown, into: EmittedCall[]): void {
  if (!isObject(m)) return;
  if (Array.isArray(m.parts)) {
    for (const p of m.parts) {
      if (isObject(p) && p.type === 'tool_call' && typeof p.name === 'string') into.push(call(p.name, str(p.id), p.arguments));
    }
  }
  if (Array.isArray(m.tool_calls)) for (const c of m.tool_calls) collectOpenAICall(c, into);
  if (Array.isArray(m.content)) {
    for (const p of m.content) {
      if (isObject(p) && p.type === 'tool_use' && typeof p.name === 'string') into.push(call(p.name, str(p.id), p.input));
    }
  }
}

function collectOpenAICall(c: unknown, into: EmittedCall[]): void {
  if (!isObject(c)) return;
  const f = isObject(c.function) ? c.function : c;
  if (typeof f.name === 'string') into.push(call(f.name, str(c.id) ?? str(c.call_id), f.arguments));
}

function call(name: string, id: string | undefined, args: unknown): EmittedCall {
  const parsed = maybeJson(args);
  const c: Writable<EmittedCall> = { name };
  if (id) c.id = id;
  if (parsed !== undefined) c.arguments = parsed;
  return c;
}

function openInference(kind: string, a: Attrs): SpanMeaning {
  const input = maybeJson(a['input.value']);
  const output = maybeJson(a['output.value']);
  if (kind === 'TOOL') {
    const toolName = attrString(a, 'tool.name') ?? attrString(a, 'tool_call.function.name');
    const callId = attrString(a, 'tool_call.id');
    const args = maybeJson(a['tool_call.function.arguments']) ?? input;
    return { role: 'tool', vocabulary: 'openinference', ...(toolName ? { toolName } : {}), ...(callId ? { callId } : {}), ...content(args, output) };
  }
  if (kind === 'LLM') {
    const emitted: EmittedCall[] = [];
    let sawOutput = false;
    for (const n of indices(a, 'llm.output_messages')) {
      sawOutput = true;
      const p = `llm.output_messages.${n}.message.tool_calls`;
      for (const m of indices(a, p)) {
        const q = `${p}.${m}.tool_call`;
        const name = attrString(a, `${q}.function.name`);
        if (name) emitted.push(call(name, attrString(a, `${q}.id`), a[`${q}.function.arguments`]));
      }
    }
    const inputs: JsonValue[] = [];
    if (input !== undefined) inputs.push(input);
    for (const n of indices(a, 'llm.input_messages')) {
      const c = a[`llm.input_messages.${n}.message.content`];
      if (typeof c === 'string') inputs.push(c);
    }
    const model = attrString(a, 'llm.model_name');
    return {
      role: 'model', vocabulary: 'openinference',
      ...(sawOutput || output !== undefined ? { emitted } : {}),
      ...(inputs.length > 0 ? { input: inputs } : {}), ...(model ? { model } : {}),
    };
  }
  if (kind === 'AGENT') return { role: 'agent', vocabulary: 'openinference' };
  return { role: 'other', vocabulary: 'openinference' };
}

function vercelAi(op: string, a: Attrs): SpanMeaning {
  if (op === 'ai.toolCall') {
    const toolName = attrString(a, 'ai.toolCall.name');
    const callId = attrString(a, 'ai.toolCall.id');
    return { role: 'tool', vocabulary: 'vercel-ai', ...(toolName ? { toolName } : {}), ...(callId ? { callId } : {}), ...content(maybeJson(a['ai.toolCall.args'] ?? a['ai.toolCall.input']), maybeJson(a['ai.toolCall.result'] ?? a['ai.toolCall.output'])) };
  }
  if (/\.do(Generate|Stream)$/.test(op)) {
    const emitted: EmittedCall[] = [];
    const tc = maybeJson(a['ai.response.toolCalls']);
    if (Array.isArray(tc)) {
      for (const c of tc) {
        if (isObject(c) && typeof c.toolName === 'string') emitted.push(call(c.toolName, str(c.toolCallId), c.args ?? c.input));
      }
    }
    const input = maybeJson(a['ai.prompt.messages'] ?? a['ai.prompt']);
    const model = attrString(a, 'ai.model.id') ?? attrString(a, 'gen_ai.request.model');
    return { role: 'model', vocabulary: 'vercel-ai', ...(tc !== undefined || a['ai.response.text'] !== undefined ? { emitted } : {}), ...(input !== undefined ? { input } : {}), ...(model ? { model } : {}) };
  }
  return { role: /^ai\.(generateText|streamText|generateObject|streamObject)$/.test(op) ? 'agent' : 'other', vocabulary: 'vercel-ai' };
}

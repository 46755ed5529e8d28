import { get, type PNode } from '../tree';
import type { Diagnostic, JsonValue } from '../types';
import { arr, buildTools, capPerCode, count, failure, importedPlan, namelessCall, obj, rangeOf, str, strValue, type ArrayNode, type CallDraft } from './common';
import { CallCollector, field, text, type AssembledStream } from './streamAssembly';
import type { StreamEvent } from './streamEvents';
import type { ImportContext, ImportResult, TreeImporter } from './types';

/**
 * Vercel AI SDK tool calls: `toolCalls` of a generateText result (`{ toolCallId, toolName,
 * input | args }`; with `stepIndex`, the last step's), `steps[].toolCalls` (the last step with
 * calls), `tool-call` content parts, and UI messages whose `parts` are `tool-<name>`,
 * `dynamic-tool` or v4 `tool-invocation` parts (a list of UI messages: the last assistant message
 * with tool parts). Streams (the UI message stream and the v4 data stream) are assembled in
 * assembleVercelStream.
 */
export const vercelAiImporter: TreeImporter = {
  format: 'vercel-ai',
  detect(root) {
    if (root.type === 'array') return root.items.slice(0, 50).some((i) => isCall(i) || isToolPart(i) || hasToolParts(i));
    if (root.type !== 'object') return false;
    const calls = arr(root, 'toolCalls');
    if (calls && calls.items.some(isCall)) return true;
    if (arr(root, 'steps')?.items.some((s) => arr(s, 'toolCalls'))) return true;
    if (arr(root, 'content')?.items.some(isCall)) return true;
    if (arr(root, 'messages')?.items.some(hasToolParts)) return true;
    return hasToolParts(root) || isCall(root);
  },
  import(root, ctx) {
    if (root.type === 'array') {
      if (root.items.some(hasToolParts)) return fromUiMessages(root, root, ctx);
      if (root.items.some(isToolPart)) return fromParts(root, root, ctx);
      return fromCalls(root.items.filter(isCall), root, ctx, '');
    }
    const calls = arr(root, 'toolCalls');
    if (calls && calls.items.length > 0) return fromCalls(lastStep(calls.items), root, ctx, '');
    const steps = arr(root, 'steps');
    if (steps) {
      for (let i = steps.items.length - 1; i >= 0; i--) {
        const c = arr(steps.items[i], 'toolCalls');
        if (c && c.items.length > 0) return fromCalls(c.items, root, ctx, ` · step ${i + 1} of ${steps.items.length}`);
      }
      return failure(ctx, root, `None of the ${count(steps.items.length, 'step')} of this AI SDK result has toolCalls: the model answered in text.`);
    }
    const content = arr(root, 'content');
    if (content && content.items.some(isCall)) return fromCalls(content.items.filter(isCall), root, ctx, '');
    const messages = arr(root, 'messages');
    if (messages) return fromUiMessages(messages, root, ctx);
    if (isCall(root)) return fromCalls([root], root, ctx, '');
    return fromParts(arr(root, 'parts')!, root, ctx);
  },
};

function isCall(n: PNode): boolean {
  return !!str(n, 'toolCallId') && !!str(n, 'toolName') && (strValue(n, 'type') ?? 'tool-call') === 'tool-call';
}

function isToolPart(n: PNode): boolean {
  const t = strValue(n, 'type') ?? '';
  return (t.startsWith('tool-') && t !== 'tool-call' && t !== 'tool-result' && !!str(n, 'toolCallId')) || t === 'dynamic-tool' || (t === 'tool-invocation' && !!obj(n, 'toolInvocation'));
}

function hasToolParts(n: PNode): boolean {
  return !!arr(n, 'parts')?.items.some(isToolPart);
}

/** Calls of a generateText `toolCalls` list that carry `stepIndex`: the last step's. */
function lastStep(items: readonly PNode[]): PNode[] {
  let max = -1;
  for (const i of items) { const s = get(i, 'stepIndex'); if (s?.type === 'number') max = Math.max(max, s.value); }
  return max < 0 ? [...items] : items.filter((i) => { const s = get(i, 'stepIndex'); return s?.type !== 'number' || s.value === max; });
}

function fromUiMessages(messages: ArrayNode, root: PNode, ctx: ImportContext): ImportResult {
  for (let i = messages.items.length - 1; i >= 0; i--) {
    const m = messages.items[i];
    if (strValue(m, 'role') === 'assistant' && hasToolParts(m)) return fromParts(arr(m, 'parts')!, root, ctx);
  }
  return failure(ctx, root, `No assistant UI message here (${count(messages.items.length, 'message')}) has tool parts. Select the messages of a chat whose last assistant message called tools.`);
}

function fromParts(parts: ArrayNode, root: PNode, ctx: ImportContext): ImportResult {
  const drafts: CallDraft[] = [];
  const nameless: Diagnostic[] = [];
  for (const p of parts.items) {
    if (!isToolPart(p)) continue;
    const t = strValue(p, 'type')!;
    const inv = t === 'tool-invocation' ? obj(p, 'toolInvocation')! : p;
    const named = t === 'tool-invocation' || t === 'dynamic-tool';
    const name = named ? strValue(inv, 'toolName') : t.slice('tool-'.length);
    if (!name || name.trim() === '') {
      nameless.push(named
        ? namelessCall(ctx, get(inv, 'toolName'), inv, `This ${t} part`, '{ "type": "dynamic-tool", "toolName": "weather", "toolCallId": "call_1", "state": "input-available", "input": { "city": "Paris" } }')
        : namelessCall(ctx, get(p, 'type'), p, 'This tool part ("type": "tool-")', '{ "type": "tool-weather", "toolCallId": "call_1", "state": "input-available", "input": { "city": "Paris" } }'));
      continue;
    }
    const id = str(inv, 'toolCallId');
    const args = get(inv, 'input') ?? get(inv, 'args');
    drafts.push({ name, node: p, argsField: 'input', ...(id ? { providerId: id } : {}), ...(args ? { argsNode: args } : {}) });
  }
  return finish(drafts, root, ctx, '', nameless);
}

function fromCalls(items: readonly PNode[], root: PNode, ctx: ImportContext, suffix: string): ImportResult {
  const drafts: CallDraft[] = [];
  const nameless: Diagnostic[] = [];
  for (const c of items) {
    const name = strValue(c, 'toolName');
    if (!name || name.trim() === '') {
      nameless.push(namelessCall(ctx, get(c, 'toolName'), c, 'This AI SDK tool call', '{ "type": "tool-call", "toolCallId": "call_1", "toolName": "weather", "input": { "city": "Paris" } }'));
      continue;
    }
    const id = str(c, 'toolCallId');
    const args = get(c, 'input') ?? get(c, 'args');
    drafts.push({ name, node: c, argsField: 'input', ...(id ? { providerId: id } : {}), ...(args ? { argsNode: args } : {}) });
  }
  return finish(drafts, root, ctx, suffix, nameless);
}

function finish(drafts: CallDraft[], root: PNode, ctx: ImportContext, suffix: string, nameless: readonly Diagnostic[] = []): ImportResult {
  if (drafts.length === 0) return failure(ctx, root, nameless.length > 0 ? 'No usable AI SDK tool calls here: every one is missing its tool name.' : 'No usable AI SDK tool calls here: each needs toolCallId and toolName, e.g. { "type": "tool-call", "toolCallId": "call_1", "toolName": "weather", "input": { "city": "Paris" } }.', nameless);
  const built = buildTools(drafts, ctx);
  return { plan: importedPlan('vercel-ai', `AI SDK tool calls (${drafts.length})${suffix}`, built.tools, rangeOf(ctx, root)), diagnostics: capPerCode([...nameless, ...built.diagnostics]) };
}

const STREAM_TYPES = new Set(['start', 'start-step', 'finish-step', 'finish', 'text-start', 'text-delta', 'text-end', 'tool-input-start', 'tool-input-delta', 'tool-input-available', 'tool-output-available', 'tool-call', 'tool-result', 'reasoning-start', 'reasoning-delta', 'reasoning-end']);

/** A UI message stream part (`{ type: 'tool-input-start', … }`) or a v4 data-stream line (`9:`, `b:`, `c:`). */
export function isVercelStreamEvent(e: StreamEvent): boolean {
  if (e.name !== undefined && /^[0-9a-k]$/.test(e.name)) return true;
  return STREAM_TYPES.has(text(e.data, 'type') ?? '');
}

/**
 * The AI SDK's stream protocols. UI message stream: `tool-input-start` (toolCallId, toolName),
 * `tool-input-delta` (inputTextDelta), `tool-input-available` (the whole input: closes the call).
 * v4 data stream: `b:` starts a call, `c:` carries argsTextDelta, `9:` is the whole call (closes).
 * Full-stream parts (`tool-call` with a JSON `input` string) close their call too.
 */
export function assembleVercelStream(events: readonly StreamEvent[]): AssembledStream {
  const calls = new CallCollector();
  let complete = false;
  let stopReason: string | undefined;
  for (const ev of events) {
    const d = ev.data;
    const code = ev.name !== undefined && /^[0-9a-k]$/.test(ev.name) ? ev.name : undefined;
    const type = code ? `v4:${code}` : text(d, 'type') ?? '';
    const id = text(d, 'toolCallId') ?? text(d, 'id') ?? '';
    switch (type) {
      case 'tool-input-start':
      case 'v4:b':
        calls.open(id, ev, text(d, 'toolName') ?? '').id ??= id;
        break;
      case 'tool-input-delta':
      case 'v4:c': {
        const call = calls.get(id);
        const piece = text(d, 'inputTextDelta') ?? text(d, 'argsTextDelta') ?? text(d, 'delta');
        if (call && piece) calls.append(call, piece, ev, false);
        break;
      }
      case 'tool-input-available':
      case 'tool-call':
      case 'v4:9': {
        const call = calls.open(id, ev, text(d, 'toolName') ?? '');
        call.id ??= id;
        if (call.name === '') call.name = text(d, 'toolName') ?? '';
        const whole: JsonValue | undefined = field(d, 'input') ?? field(d, 'args');
        call.pieces.length = 0;
        if (typeof whole === 'string') call.pieces.push(whole);
        else if (whole !== undefined) call.argsValue = whole;
        calls.close(call, ev);
        break;
      }
      case 'finish':
      case 'v4:d':
        complete = true;
        stopReason = text(d, 'finishReason') ?? stopReason;
        break;
      case 'finish-step':
      case 'v4:e':
        stopReason = text(d, 'finishReason') ?? stopReason;
        break;
      default:
        break;
    }
  }
  return { format: 'vercel-ai', title: 'AI SDK stream', calls: calls.order, complete, ...(stopReason ? { stopReason } : {}), diagnostics: [] };
}

import { get, type PNode } from '../tree';
import type { Diagnostic } from '../types';
import { arr, buildTools, capPerCode, count, failure, importedPlan, namelessCall, obj, rangeOf, str, strValue, type ArrayNode, type CallDraft } from './common';
import type { ImportContext, ImportResult, TreeImporter } from './types';

const AI_TYPES = new Set(['ai', 'AIMessage', 'AIMessageChunk']);

/**
 * LangChain / LangGraph messages: an `AIMessage` as a dict (`{ content, tool_calls: [{ name, args,
 * id, type: 'tool_call' }] }`), lc-serialized (`{ lc: 1, type: 'constructor', id: [...,
 * 'AIMessage'], kwargs }`), `messages_to_dict` form (`{ type: 'ai', data }`), a list of messages,
 * a LangGraph thread state (`{ values: { messages } }`, or a list of states: the first is the
 * latest), LangSmith `generations`. The last AI message with tool_calls is the batch.
 */
export const langchainImporter: TreeImporter = {
  format: 'langchain',
  detect(root) {
    if (root.type === 'array') return root.items.slice(0, 50).some((m) => isLcMessage(m) || !!messagesOf(m) || isLcToolCall(m));
    if (root.type !== 'object') return false;
    if (messagesOf(root)) return (messagesOf(root) as ArrayNode).items.some((m) => isLcMessage(m));
    if (arr(root, 'generations')) return true;
    return isLcMessage(root);
  },
  import(root, ctx) {
    if (root.type === 'array' && root.items.some(isLcToolCall) && !root.items.some(isLcMessage)) {
      const message: PNode = { type: 'object', offset: root.offset, length: root.length, properties: [{ key: 'tool_calls', keyOffset: root.offset, keyLength: 0, value: root }] };
      return fromMessage(message, root, root, ctx);
    }
    const messages = root.type === 'array'
      ? (root.items.length > 0 && messagesOf(root.items[0]) ? messagesOf(root.items[0])! : root)
      : messagesOf(root) ?? generations(root) ?? ({ type: 'array', offset: root.offset, length: root.length, items: [root] } as ArrayNode);
    for (let i = messages.items.length - 1; i >= 0; i--) {
      const m = unwrap(messages.items[i]);
      if (isAi(m) && (arr(m, 'tool_calls')?.items.length ?? 0) > 0) return fromMessage(m, messages.items[i], root, ctx);
    }
    return failure(ctx, root, `No AI message here (${count(messages.items.length, 'message')}) has tool_calls. Select an AIMessage with tool_calls (or the thread state / message list that ends with one).`);
  },
};

/** The message itself: lc-serialized → kwargs, messages_to_dict → data. */
function unwrap(node: PNode): PNode {
  if (get(node, 'lc') && strValue(node, 'type') === 'constructor') return obj(node, 'kwargs') ?? node;
  const data = obj(node, 'data');
  if (data && AI_TYPES.has(strValue(node, 'type') ?? '')) return data;
  return node;
}

function lcClass(node: PNode): string | undefined {
  const id = arr(node, 'id');
  const last = id?.items[id.items.length - 1];
  return last?.type === 'string' ? last.value : undefined;
}

function isAi(m: PNode): boolean {
  const t = strValue(m, 'type');
  return t === undefined || AI_TYPES.has(t) || strValue(m, 'role') === 'assistant';
}

/** `{ name, args, id?, type: 'tool_call' }`: one entry of AIMessage.tool_calls. */
function isLcToolCall(node: PNode): boolean {
  return !!str(node, 'name') && get(node, 'args') !== undefined && !obj(node, 'function') && (strValue(node, 'type') ?? 'tool_call') === 'tool_call';
}

function isLcMessage(node: PNode): boolean {
  if (get(node, 'lc') && strValue(node, 'type') === 'constructor') return /Message/.test(lcClass(node) ?? '');
  const m = unwrap(node);
  const calls = arr(m, 'tool_calls');
  if (calls?.items.some(isLcToolCall)) return true;
  const t = strValue(node, 'type');
  return (t === 'ai' || t === 'human' || t === 'tool' || t === 'system') && (get(node, 'content') !== undefined || !!obj(node, 'data'));
}

function messagesOf(node: PNode): ArrayNode | undefined {
  return arr(obj(node, 'values'), 'messages') ?? arr(node, 'messages');
}

function generations(root: PNode): ArrayNode | undefined {
  const g = arr(root, 'generations');
  const first = g?.items[0];
  const list = first?.type === 'array' ? first.items : g?.items ?? [];
  const messages = list.map((x) => get(x, 'message')).filter((x): x is PNode => !!x);
  return messages.length ? { type: 'array', offset: root.offset, length: root.length, items: messages } : undefined;
}

function fromMessage(message: PNode, node: PNode, root: PNode, ctx: ImportContext): ImportResult {
  const calls = arr(message, 'tool_calls')!;
  const drafts: CallDraft[] = [];
  const nameless: Diagnostic[] = [];
  for (const c of calls.items) {
    const name = str(c, 'name');
    if (!name || name.value.trim() === '') {
      nameless.push(namelessCall(ctx, get(c, 'name'), c, 'This tool call', '{ "name": "multiply", "args": { "a": 3, "b": 12 }, "id": "call_1", "type": "tool_call" }'));
      continue;
    }
    const id = str(c, 'id');
    const args = get(c, 'args');
    drafts.push({ name: name.value, node: c, argsField: 'args', ...(id ? { providerId: id } : {}), ...(args ? { argsNode: args } : {}) });
  }
  if (drafts.length === 0) return failure(ctx, calls, 'No usable tool_calls: every one is missing its name.', nameless);
  const built = buildTools(drafts, ctx);
  const cls = lcClass(node);
  return { plan: importedPlan('langchain', `LangChain tool calls (${drafts.length})${cls ? ` · ${cls}` : ''}`, built.tools, rangeOf(ctx, root)), diagnostics: capPerCode([...nameless, ...built.diagnostics]) };
}

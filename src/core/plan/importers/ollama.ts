import { get, type PNode } from '../tree';
import type { Diagnostic } from '../types';
import { arr, buildTools, capPerCode, count, failure, importedPlan, namelessCall, obj, rangeOf, str, strValue, type ArrayNode, type CallDraft } from './common';
import type { ImportContext, ImportResult, TreeImporter } from './types';

/**
 * Ollama `/api/chat`: `{ model, created_at, message: { role, content, tool_calls }, done }`, where
 * each call is `{ function: { name, arguments: {…} } }`: arguments are an object, and calls have no
 * ids (the name gives a stable one), unlike OpenAI. Also a conversation `{ messages }` whose
 * tool_calls have object arguments, and JSON lines of streamed chunks (the calls arrive whole).
 */
export const ollamaImporter: TreeImporter = {
  format: 'ollama',
  detect(root) {
    if (root.type === 'array') return root.items.some((m) => hasOllamaCalls(m));
    if (root.type !== 'object') return false;
    const message = obj(root, 'message');
    if (message && (get(root, 'created_at') || get(root, 'done') || get(root, 'done_reason')) && !get(root, 'finish_reason')) return true;
    const messages = arr(root, 'messages');
    if (messages) return messages.items.some(hasOllamaCalls);
    return hasOllamaCalls(root);
  },
  import(root, ctx) {
    if (root.type === 'array') return fromConversation(root, root, ctx, '');
    const message = obj(root, 'message');
    const model = strValue(root, 'model');
    const suffix = model ? ` · ${model.slice(0, 60)}` : '';
    if (message) return fromMessage(message, root, ctx, suffix, strValue(root, 'done_reason'));
    const messages = arr(root, 'messages');
    if (messages) return fromConversation(messages, root, ctx, suffix);
    return fromMessage(root, root, ctx, '', undefined);
  },
};

/** tool_calls whose function.arguments is an object: Ollama's shape (OpenAI's is a JSON string). */
function hasOllamaCalls(m: PNode): boolean {
  const calls = arr(m, 'tool_calls');
  return !!calls && calls.items.some((c) => obj(obj(c, 'function'), 'arguments') !== undefined && !str(c, 'type'));
}

function fromConversation(messages: ArrayNode, root: PNode, ctx: ImportContext, suffix: string): ImportResult {
  for (let i = messages.items.length - 1; i >= 0; i--) {
    const m = messages.items[i];
    if (strValue(m, 'role') === 'assistant' && (arr(m, 'tool_calls')?.items.length ?? 0) > 0) return fromMessage(m, root, ctx, suffix, undefined);
  }
  return failure(ctx, root, `No assistant message in this Ollama conversation (${count(messages.items.length, 'message')}) has tool_calls.`);
}

function fromMessage(message: PNode, root: PNode, ctx: ImportContext, suffix: string, doneReason: string | undefined): ImportResult {
  const calls = arr(message, 'tool_calls');
  if (!calls || calls.items.length === 0) {
    return failure(ctx, root, `This Ollama response has no tool_calls${doneReason ? ` (done_reason is "${doneReason}")` : ''}: the model answered in text. Pass tools to /api/chat with a model that supports tool calling, and select the response whose message has tool_calls.`);
  }
  const drafts: CallDraft[] = [];
  const nameless: Diagnostic[] = [];
  for (const c of calls.items) {
    const fn = obj(c, 'function');
    const name = str(fn, 'name');
    if (!name || name.value.trim() === '') {
      nameless.push(namelessCall(ctx, get(fn, 'name'), fn ?? c, 'This Ollama tool call\'s function', '{ "function": { "name": "get_current_weather", "arguments": { "location": "Paris, FR" } } }'));
      continue;
    }
    const id = str(c, 'id');
    const args = get(fn, 'arguments');
    drafts.push({ name: name.value, node: c, argsField: 'arguments', ...(id ? { providerId: id } : {}), ...(args ? { argsNode: args } : {}) });
  }
  if (drafts.length === 0) return failure(ctx, calls, 'No usable tool_calls: every one is missing function.name.', nameless);
  const built = buildTools(drafts, ctx);
  return { plan: importedPlan('ollama', `Ollama tool calls (${drafts.length})${suffix}`, built.tools, rangeOf(ctx, root)), diagnostics: capPerCode([...nameless, ...built.diagnostics]) };
}

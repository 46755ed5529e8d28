import { makeDiagnostic } from '../diagnostics';
import { get, type PNode } from '../tree';
import type { Diagnostic } from '../types';
import {
  arr, buildTools, capPerCode, count, failure, importedPlan, modelSuffix, obj, rangeOf, str, strValue,
  type ArrayNode, type CallDraft, type ObjectNode,
} from './common';
import type { ImportContext, ImportResult, TreeImporter } from './types';

/**
 * OpenAI Chat Completions tool calls. Accepted shapes:
 * - an assistant message `{ role: 'assistant', content, tool_calls: [...] }` (or legacy `function_call`);
 * - a whole response `{ object: 'chat.completion', choices: [{ message }] }`. Choices are
 *   alternative samples of one turn (n > 1), not one batch, so the first choice that has tool
 *   calls is imported and the plan name says which one;
 * - a bare `tool_calls` array;
 * - a conversation: an array of messages or a request body `{ messages: [...] }`. The LAST
 *   assistant message with tool calls is the batch about to run.
 * `arguments` is a JSON string; see readArguments for what happens when a model breaks it.
 */
export const openaiImporter: TreeImporter = {
  format: 'openai',
  detect(root) {
    if (root.type === 'array') {
      const first = firstObject(root);
      return !!first && (isToolCall(first) || typeof strValue(first, 'role') === 'string');
    }
    if (root.type !== 'object') return false;
    if (get(root, 'tool_calls') || obj(root, 'function_call')) return true;
    if (arr(root, 'choices') || strValue(root, 'object') === 'chat.completion') return true;
    const messages = arr(root, 'messages');
    if (messages) return messages.items.some((m) => typeof strValue(m, 'role') === 'string');
    return strValue(root, 'role') === 'assistant';
  },
  import: importOpenAI,
};

function importOpenAI(root: PNode, ctx: ImportContext): ImportResult {
  if (root.type === 'array') {
    const first = firstObject(root);
    if (first && isToolCall(first)) return fromCalls(root, root, ctx, '');
    return fromConversation(root, root, ctx, '');
  }
  if (root.type !== 'object') return failure(ctx, root, 'Expected an OpenAI message, response or tool_calls list.');
  const choices = arr(root, 'choices');
  if (choices) return fromResponse(root, choices, ctx);
  const messages = arr(root, 'messages');
  if (messages && !get(root, 'tool_calls')) return fromConversation(messages, root, ctx, modelSuffix(root));
  return fromMessage(root, ctx, modelSuffix(root), undefined);
}

function fromResponse(root: ObjectNode, choices: ArrayNode, ctx: ImportContext): ImportResult {
  const suffix = modelSuffix(root);
  const usable = choices.items.filter((c) => c.type === 'object');
  if (usable.length === 0) {
    return failure(ctx, choices, 'This OpenAI response has no choices. Select a chat.completion whose choices[0].message has tool_calls (finish_reason "tool_calls").');
  }
  const k = usable.findIndex((c) => hasCalls(get(c, 'message')));
  if (k === -1 && (strValue(root, 'object') === 'chat.completion.chunk' || usable.some((c) => get(c, 'delta')))) {
    return failure(ctx, root, 'This is one streaming chunk (chat.completion.chunk): its tool call arguments arrive in pieces. Join the stream into the final message (the SDK\'s final completion, or concatenate each tool call\'s arguments by index) and select that.');
  }
  if (k === -1) {
    const c0 = usable[0];
    const reason = strValue(c0, 'finish_reason');
    const where = get(c0, 'message') ?? c0;
    return failure(ctx, where, `This OpenAI response has no tool calls${reason ? ` (finish_reason is "${reason}")` : ''}: the model answered in text. Select a response whose finish_reason is "tool_calls", or the assistant message that has tool_calls.`);
  }
  const choice = usable[k];
  const which = usable.length > 1 ? ` · choice ${k + 1} of ${usable.length}` : '';
  return fromMessage(get(choice, 'message') as ObjectNode, ctx, suffix + which, strValue(choice, 'finish_reason'));
}

function fromConversation(messages: ArrayNode, root: PNode, ctx: ImportContext, suffix: string): ImportResult {
  for (let i = messages.items.length - 1; i >= 0; i--) {
    const m = messages.items[i];
    if (strValue(m, 'role') === 'assistant' && hasCalls(m)) return fromMessage(m as ObjectNode, ctx, suffix, undefined);
  }
  return failure(ctx, root, `No assistant message in this conversation (${count(messages.items.length, 'message')}) has tool_calls. Select a conversation that ends with the model's tool calls, or the assistant message itself.`);
}

function fromMessage(message: ObjectNode, ctx: ImportContext, suffix: string, finishReason: string | undefined): ImportResult {
  const calls = arr(message, 'tool_calls');
  if (calls && calls.items.length > 0) return fromCalls(calls, message, ctx, suffix, finishReason);
  const legacy = obj(message, 'function_call');
  if (legacy) return fromCalls({ type: 'array', offset: legacy.offset, length: legacy.length, items: [legacy] }, message, ctx, suffix, finishReason);
  const role = strValue(message, 'role');
  return failure(ctx, message, `This OpenAI ${role && role !== 'assistant' ? `${role} ` : ''}message has no tool_calls${finishReason ? ` (finish_reason is "${finishReason}")` : ''}. Select an assistant message whose finish_reason is "tool_calls": its tool_calls list is the batch Fanout analyzes.`);
}

function fromCalls(calls: ArrayNode, container: PNode, ctx: ImportContext, suffix: string, finishReason?: string): ImportResult {
  const diagnostics: Diagnostic[] = [];
  const drafts: CallDraft[] = [];
  for (const item of calls.items) {
    const draft = readCall(item, ctx, diagnostics);
    if (draft) drafts.push(draft);
  }
  if (drafts.length === 0) {
    return failure(ctx, calls, `${calls.items.length === 1 ? 'The entry' : `None of the ${calls.items.length} entries`} here ${calls.items.length === 1 ? 'cannot' : 'can'} be read as an OpenAI tool call (each problem is listed). An OpenAI tool call looks like { "id": "call_1", "type": "function", "function": { "name": "get_weather", "arguments": "{}" } }.`, diagnostics);
  }
  const built = buildTools(drafts, ctx);
  if (finishReason === 'length') {
    diagnostics.push(makeDiagnostic({
      code: 'parse-error', severity: 'warning', range: rangeOf(ctx, calls),
      message: 'This choice stopped at the token limit (finish_reason "length"), so the last call\'s arguments may be cut off. Raise max_tokens and retry before running this batch.',
    }));
  }
  const plan = importedPlan('openai', `OpenAI tool calls (${drafts.length})${suffix}`, built.tools, rangeOf(ctx, container));
  return { plan, diagnostics: capPerCode([...diagnostics, ...built.diagnostics]) };
}

function readCall(item: PNode, ctx: ImportContext, diagnostics: Diagnostic[]): CallDraft | undefined {
  // Reports a malformed call (an error: there is nothing to run) and leaves it out of the batch.
  const reject = (message: string, at: PNode = item): undefined => {
    diagnostics.push(makeDiagnostic({ code: 'schema', range: rangeOf(ctx, at), message }));
    return undefined;
  };
  if (item.type !== 'object') {
    return reject('A tool call must be an object like { "id": "call_1", "type": "function", "function": { "name": "…", "arguments": "{…}" } }.');
  }
  const type = strValue(item, 'type');
  const providerId = str(item, 'id');
  if (type === 'custom') {
    // GPT-5 custom tools: free-form text input instead of JSON arguments.
    const custom = obj(item, 'custom');
    const name = strValue(custom, 'name');
    if (!name) return reject('This custom tool call has no custom.name. Add the tool\'s name, e.g. "custom": { "name": "run_sql", "input": "…" }.');
    return { name, node: item, argsField: 'input', argsMode: 'freeform', ...opt('providerId', providerId), ...opt('argsNode', get(custom, 'input')) };
  }
  if (type !== undefined && type !== 'function') {
    return reject(`Tool call type "${type}" is not one Fanout imports. Use "type": "function" (or "custom").`, get(item, 'type'));
  }
  // A tool_calls entry has { function: {name, arguments} }; a legacy function_call is {name, arguments} itself.
  const fn = obj(item, 'function') ?? (str(item, 'name') ? item : undefined);
  if (!fn) return reject('This tool call has no "function". Write it as { "id": "call_1", "type": "function", "function": { "name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\"}" } }.');
  const nameNode = get(fn, 'name');
  if (nameNode?.type !== 'string' || nameNode.value.trim() === '') {
    return reject('This tool call has no function name. Add "name": "<the function to call>" to its "function" object.', nameNode ?? fn);
  }
  return { name: nameNode.value, node: item, argsField: 'arguments', ...opt('providerId', providerId), ...opt('argsNode', get(fn, 'arguments')) };
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

function hasCalls(message: PNode | undefined): boolean {
  const calls = arr(message, 'tool_calls');
  return (!!calls && calls.items.length > 0) || !!obj(message, 'function_call');
}

function isToolCall(node: PNode): boolean {
  return !!obj(node, 'function') || strValue(node, 'type') === 'function' || (strValue(node, 'type') === 'custom' && !!obj(node, 'custom'));
}

function firstObject(node: ArrayNode): PNode | undefined {
  return node.items.find((i) => i.type === 'object');
}

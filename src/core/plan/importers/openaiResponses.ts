import { get, nullObject, toValue, type PNode } from '../tree';
import type { Diagnostic, JsonValue } from '../types';
import { makeDiagnostic } from '../diagnostics';
import { arr, buildTools, capPerCode, count, failure, importedPlan, modelSuffix, rangeOf, str, strValue, unwrapParallelCalls, type ArrayNode, type CallDraft } from './common';
import type { ImportContext, ImportResult, TreeImporter } from './types';

/**
 * Items the client executes although they are not functions: the model asks the client to run a
 * shell command, apply a patch, or act on a computer. They are calls of the batch, imported as
 * shell-like tools named by their item type with the action as args (simulated unless bound).
 */
export const CLIENT_EXECUTED_ITEMS = new Set(['local_shell_call', 'shell_call', 'apply_patch_call', 'computer_call']);
/** Output items the client runs: the batch. */
const CALL_TYPES = new Set(['function_call', 'custom_tool_call', ...CLIENT_EXECUTED_ITEMS]);
/** Hosted tools: OpenAI ran them before the response arrived. Named in a note, never imported. */
export const HOSTED_ITEMS = new Set(['web_search_call', 'file_search_call', 'code_interpreter_call', 'image_generation_call', 'mcp_call', 'mcp_list_tools', 'tool_search_call']);
/** Items that OpenAI runs itself (hosted tools) or that only carry text: not part of the batch. */
const OTHER_ITEM_TYPES = new Set(['message', 'reasoning', 'mcp_approval_request', 'item_reference', ...HOSTED_ITEMS]);

/**
 * A client-executed item's args: `command` as one string when the action has one (local_shell's
 * argv, shell_call's commands), plus the whole action/operation as the provider sent it.
 */
export function clientItemArgs(item: JsonValue | undefined): JsonValue {
  const out = nullObject<JsonValue>();
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return out;
  const o = item as { readonly [k: string]: JsonValue };
  const action = o.action ?? o.operation ?? null;
  const a = action !== null && typeof action === 'object' && !Array.isArray(action) ? (action as { readonly [k: string]: JsonValue }) : undefined;
  const argv = a?.command ?? a?.commands;
  if (Array.isArray(argv) && argv.every((x) => typeof x === 'string')) out.command = (argv as string[]).join(a?.commands ? '\n' : ' ');
  else if (typeof argv === 'string') out.command = argv;
  if (a && typeof a.working_directory === 'string') out.cwd = a.working_directory;
  if (action !== null) out[o.operation !== undefined && o.action === undefined ? 'operation' : 'action'] = action;
  return out;
}
/** Items sent back to the model: they close one turn's batch in a conversation (`input` list). */
const TURN_BOUNDARY_TYPES = new Set(['function_call_output', 'custom_tool_call_output', 'computer_call_output', 'local_shell_call_output', 'mcp_approval_response']);

/**
 * OpenAI Responses API `function_call` output items, in a response `{ object: 'response', output }`,
 * a bare list of items (mixed with message/reasoning items), or a request `{ input: [...] }` that
 * carries a conversation. In a list that spans several turns, the batch is the last run of calls
 * between two things sent to the model (a user message or a *_call_output item).
 */
export const openaiResponsesImporter: TreeImporter = {
  format: 'openai-responses',
  detect(root) {
    if (root.type === 'array') return looksLikeItems(root);
    if (root.type !== 'object') return false;
    if (strValue(root, 'object') === 'response') return true;
    const output = arr(root, 'output');
    if (output && looksLikeItems(output)) return true;
    const input = arr(root, 'input');
    return !!input && input.items.some((i) => CALL_TYPES.has(strValue(i, 'type') ?? ''));
  },
  import(root, ctx) {
    if (root.type === 'array') return fromItems(root, root, ctx, '');
    const list = arr(root, 'output') ?? arr(root, 'input');
    if (!list) {
      return failure(ctx, root, 'This OpenAI response has no "output" list. Select the whole response (object "response") or its output items.');
    }
    return fromItems(list, root, ctx, modelSuffix(root));
  },
};

function looksLikeItems(list: ArrayNode): boolean {
  return list.items.some((i) => {
    const t = strValue(i, 'type') ?? '';
    return CALL_TYPES.has(t) || TURN_BOUNDARY_TYPES.has(t) || (OTHER_ITEM_TYPES.has(t) && t !== 'item_reference');
  });
}

function fromItems(list: ArrayNode, root: PNode, ctx: ImportContext, suffix: string): ImportResult {
  // Find the last batch: the calls after the last boundary that precedes the last call.
  let last = -1;
  for (let i = list.items.length - 1; i >= 0; i--) {
    if (CALL_TYPES.has(strValue(list.items[i], 'type') ?? '')) { last = i; break; }
  }
  if (last === -1) {
    const status = strValue(root, 'status');
    const hosted = hostedItems(list, 0, list.items.length - 1);
    return failure(ctx, root, `This Responses output has no function_call items (${describeItems(list)})${status && status !== 'completed' ? `; its status is "${status}"` : ''}.${hosted ? ` ${hosted}` : ''} Select a response whose output includes function_call items: those are the batch Fanout analyzes.`);
  }
  let first = last;
  while (first > 0 && !isBoundary(list.items[first - 1])) first--;
  const diagnostics: Diagnostic[] = [];
  const drafts: CallDraft[] = [];
  for (let i = first; i <= last; i++) {
    const item = list.items[i];
    const type = strValue(item, 'type') ?? '';
    if (!CALL_TYPES.has(type)) continue;
    if (CLIENT_EXECUTED_ITEMS.has(type)) {
      const providerId = str(item, 'call_id') ?? str(item, 'id');
      drafts.push({ name: type, node: item, argsField: 'action', argsValue: clientItemArgs(toValue(item)), ...(providerId ? { providerId } : {}) });
      continue;
    }
    const name = get(item, 'name');
    if (name?.type !== 'string' || name.value.trim() === '') {
      diagnostics.push(makeDiagnostic({ code: 'schema', range: rangeOf(ctx, name ?? item),
        message: `This ${type} item has no name. Add "name": "<the function to call>".` }));
      continue;
    }
    // call_id is what the matching function_call_output refers to; `id` (fc_…) identifies the item.
    const providerId = str(item, 'call_id') ?? str(item, 'id');
    const custom = type === 'custom_tool_call';
    const argsNode = get(item, custom ? 'input' : 'arguments');
    drafts.push({
      name: name.value, node: item, argsField: custom ? 'input' : 'arguments', argsMode: custom ? 'freeform' : 'json',
      ...(providerId ? { providerId } : {}), ...(argsNode ? { argsNode } : {}),
    });
  }
  if (drafts.length === 0) return failure(ctx, list, 'No usable function_call items: each needs a name, e.g. { "type": "function_call", "call_id": "call_1", "name": "get_weather", "arguments": "{}" }.', diagnostics);
  const hosted = hostedItems(list, first, last);
  if (hosted) diagnostics.push(makeDiagnostic({ code: 'parse-error', severity: 'info', range: rangeOf(ctx, list), message: hosted }));
  const built = buildTools(unwrapParallelCalls(drafts, ctx, diagnostics), ctx);
  const plan = importedPlan('openai-responses', `OpenAI function calls (${drafts.length})${suffix}`, built.tools, rangeOf(ctx, root));
  return { plan, diagnostics: capPerCode([...diagnostics, ...built.diagnostics]) };
}

function isBoundary(item: PNode): boolean {
  const type = strValue(item, 'type');
  if (type !== undefined && TURN_BOUNDARY_TYPES.has(type)) return true;
  // Easy input messages have no type; a user/system/developer message starts a new turn.
  const role = strValue(item, 'role');
  return (type === undefined || type === 'message') && role !== undefined && role !== 'assistant';
}

function describeItems(list: ArrayNode): string {
  if (list.items.length === 0) return 'the list is empty';
  const byType = new Map<string, number>();
  for (const i of list.items) {
    const t = strValue(i, 'type') ?? 'untyped';
    byType.set(t, (byType.get(t) ?? 0) + 1);
  }
  return `only ${[...byType].slice(0, 5).map(([t, n]) => `${n} × ${t}`).join(', ')}`;
}

/** "2 hosted tool calls (web_search_call, mcp_call) already ran on OpenAI's side…", or undefined. */
function hostedItems(list: ArrayNode, from: number, to: number): string | undefined {
  const names: string[] = [];
  for (let i = Math.max(0, from - 50); i <= to && i < list.items.length; i++) {
    const t = strValue(list.items[i], 'type');
    if (t !== undefined && HOSTED_ITEMS.has(t)) names.push(t);
  }
  if (names.length === 0) return undefined;
  return `${count(names.length, 'hosted tool call')} (${[...new Set(names)].join(', ')}) already ran on OpenAI's side: they are not part of the batch the client runs.`;
}

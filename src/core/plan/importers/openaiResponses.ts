import { get, type PNode } from '../tree';
import type { Diagnostic } from '../types';
import { makeDiagnostic } from '../diagnostics';
import { arr, buildTools, capPerCode, failure, importedPlan, modelSuffix, rangeOf, str, strValue, type ArrayNode, type CallDraft } from './common';
import type { ImportContext, ImportResult, TreeImporter } from './types';

/** Output items the client runs: the batch. */
const CALL_TYPES = new Set(['function_call', 'custom_tool_call']);
/**
 * Items that OpenAI runs itself (hosted tools) or that only carry text. They are already done
 * when the response arrives, so they are not part of the batch the client is about to run.
 */
const OTHER_ITEM_TYPES = new Set([
  'message', 'reasoning', 'web_search_call', 'file_search_call', 'code_interpreter_call', 'image_generation_call',
  'mcp_call', 'mcp_list_tools', 'mcp_approval_request', 'computer_call', 'local_shell_call', 'item_reference',
]);
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
    return failure(ctx, root, `This Responses output has no function_call items (${describeItems(list)})${status && status !== 'completed' ? `; its status is "${status}"` : ''}. Select a response whose output includes function_call items: those are the batch Fanout analyzes.`);
  }
  let first = last;
  while (first > 0 && !isBoundary(list.items[first - 1])) first--;
  const diagnostics: Diagnostic[] = [];
  const drafts: CallDraft[] = [];
  for (let i = first; i <= last; i++) {
    const item = list.items[i];
    const type = strValue(item, 'type') ?? '';
    if (!CALL_TYPES.has(type)) continue;
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
  const built = buildTools(drafts, ctx);
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

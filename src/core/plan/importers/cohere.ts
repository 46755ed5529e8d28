import { get, type PNode } from '../tree';
import type { Diagnostic } from '../types';
import { arr, buildTools, capPerCode, failure, importedPlan, namelessCall, obj, rangeOf, str, strValue, type CallDraft } from './common';
import type { ImportContext, ImportResult, TreeImporter } from './types';

/**
 * Cohere chat: v2 `{ message: { role: 'assistant', tool_plan, tool_calls: [{ id, type: 'function',
 * function: { name, arguments: "<JSON>" } }] }, finish_reason: 'TOOL_CALL' }`, or one v2 message;
 * and v1 `{ text, tool_calls: [{ name, parameters }] }`. The `tool_plan` becomes each call's
 * description (it is the model's stated plan for the batch).
 */
export const cohereImporter: TreeImporter = {
  format: 'cohere',
  detect(root) {
    if (root.type !== 'object') return false;
    const message = obj(root, 'message');
    if (message && (get(message, 'tool_plan') || /^[A-Z_]+$/.test(strValue(root, 'finish_reason') ?? ''))) return true;
    if (get(root, 'tool_plan') && arr(root, 'tool_calls')) return true;
    // v1: tool_calls of { name, parameters }.
    const calls = arr(root, 'tool_calls');
    return !!calls && calls.items.some((c) => !!str(c, 'name') && !!obj(c, 'parameters'));
  },
  import(root, ctx) {
    const message = obj(root, 'message') ?? root;
    return fromMessage(message, root, ctx, strValue(root, 'finish_reason'));
  },
};

function fromMessage(message: PNode, root: PNode, ctx: ImportContext, finish: string | undefined): ImportResult {
  const calls = arr(message, 'tool_calls');
  if (!calls || calls.items.length === 0) {
    return failure(ctx, root, `This Cohere response has no tool_calls${finish ? ` (finish_reason is "${finish}")` : ''}: the model answered in text. Select a response whose finish_reason is "TOOL_CALL".`);
  }
  const plan = strValue(message, 'tool_plan')?.trim();
  const drafts: CallDraft[] = [];
  const nameless: Diagnostic[] = [];
  for (const c of calls.items) {
    const fn = obj(c, 'function');
    const name = str(fn ?? c, 'name');
    if (!name || name.value.trim() === '') {
      nameless.push(namelessCall(ctx, get(fn ?? c, 'name'), c, fn ? 'This Cohere tool call\'s function' : 'This Cohere tool call',
        fn ? '{ "id": "get_weather_1", "type": "function", "function": { "name": "get_weather", "arguments": "{\\"location\\":\\"Toronto\\"}" } }' : '{ "name": "query_daily_sales_report", "parameters": { "day": "2023-09-29" } }'));
      continue;
    }
    const id = str(c, 'id');
    const args = fn ? get(fn, 'arguments') : get(c, 'parameters');
    drafts.push({ name: name.value, node: c, argsField: fn ? 'arguments' : 'parameters', ...(id ? { providerId: id } : {}), ...(args ? { argsNode: args } : {}) });
  }
  if (drafts.length === 0) return failure(ctx, calls, 'No usable tool_calls: every one is missing its function name.', nameless);
  const built = buildTools(drafts, ctx);
  const tools = plan ? built.tools.map((t) => ({ ...t, description: plan })) : built.tools;
  return { plan: importedPlan('cohere', `Cohere tool calls (${drafts.length})`, tools, rangeOf(ctx, root)), diagnostics: capPerCode([...nameless, ...built.diagnostics]) };
}

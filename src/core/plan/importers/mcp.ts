import { makeDiagnostic } from '../diagnostics';
import { toValue, type PNode } from '../tree';
import type { Diagnostic, JsonValue } from '../types';
import { buildTools, capPerCode, count, importedPlan, type CallDraft } from './common';
import { field, text } from './streamAssembly';
import type { ImportContext, ImportResult, TreeImporter } from './types';

/** One JSON-RPC message of a log, with where it stands in the source. */
export interface McpMessage {
  readonly value: JsonValue;
  readonly offset: number;
  readonly length: number;
}

/** Log lines often wrap the message: `{ direction, message }`, `{ type, data }`, `{ payload }`. */
export function rpcOf(v: JsonValue): JsonValue | undefined {
  if (text(v, 'jsonrpc') !== undefined || text(v, 'method') !== undefined) return v;
  for (const k of ['message', 'data', 'payload', 'request']) {
    const inner = field(v, k);
    if (inner !== undefined && text(inner, 'jsonrpc') !== undefined) return inner;
  }
  return undefined;
}

/**
 * MCP `tools/call` JSON-RPC requests: one, a list, or a client log of messages (requests,
 * results, notifications; JSON lines or a JSON list): every tools/call request is a call, with
 * `params.name` and `params.arguments`, id from the JSON-RPC id. Results and other methods are
 * skipped (a result only says a call was answered).
 */
export const mcpImporter: TreeImporter = {
  format: 'mcp',
  detect(root) {
    const items = root.type === 'array' ? root.items.slice(0, 50) : [root];
    return items.some((i) => i.type === 'object' && rpcOf(toValue(i)) !== undefined);
  },
  import(root, ctx) {
    const items = root.type === 'array' ? root.items : [root];
    return importMcp(items.map((i: PNode) => ({ value: toValue(i), offset: i.offset, length: i.length })), ctx, { offset: root.offset, length: root.length });
  },
};

export function importMcp(messages: readonly McpMessage[], ctx: ImportContext, whole: { offset: number; length: number }): ImportResult {
  const drafts: CallDraft[] = [];
  const diagnostics: Diagnostic[] = [];
  const methods = new Map<string, number>();
  for (const m of messages) {
    const rpc = rpcOf(m.value);
    const method = text(rpc, 'method');
    if (method === undefined) continue;
    if (method !== 'tools/call') { methods.set(method, (methods.get(method) ?? 0) + 1); continue; }
    const params = field(rpc, 'params');
    const name = text(params, 'name');
    const node: PNode = { type: 'null', offset: m.offset, length: m.length };
    if (!name) {
      diagnostics.push(makeDiagnostic({ code: 'schema', range: ctx.lines.range(m.offset, m.length), message: 'This tools/call request has no params.name, so there is no tool to call. Write { "jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": { "name": "get_weather", "arguments": { … } } }.' }));
      continue;
    }
    const id = field(rpc, 'id');
    const args = field(params, 'arguments');
    drafts.push({ name, node, argsField: 'arguments', argsValue: args ?? null, ...(typeof id === 'string' || typeof id === 'number' ? { callId: String(id) } : {}) });
  }
  if (drafts.length === 0) {
    const seen = methods.size ? ` (it has ${[...methods].slice(0, 5).map(([k, n]) => `${n} × ${k}`).join(', ')})` : '';
    return { format: 'mcp', diagnostics: [...diagnostics, makeDiagnostic({ code: 'parse-error', range: ctx.lines.range(whole.offset, whole.length),
      message: `This MCP log${seen} has no tools/call requests. Select the client's tools/call requests (JSON-RPC "method": "tools/call").` })] };
  }
  const built = buildTools(drafts, ctx);
  return { plan: importedPlan('mcp', `MCP tool calls (${count(drafts.length, 'call')})`, built.tools, ctx.lines.range(whole.offset, whole.length)), diagnostics: capPerCode([...diagnostics, ...built.diagnostics]) };
}

import { makeDiagnostic } from '../diagnostics';
import { get, type PNode } from '../tree';
import type { Diagnostic } from '../types';
import { arr, buildTools, capPerCode, count, failure, importedPlan, modelSuffix, rangeOf, str, strValue, type ArrayNode, type CallDraft } from './common';
import type { ImportContext, ImportResult, TreeImporter } from './types';

/** Blocks the client runs. */
const CLIENT_CALL = 'tool_use';
/**
 * Blocks Anthropic runs on its servers (web search, code execution, web fetch, MCP connector).
 * They are never client calls, with or without their result yet: a pending one (stop_reason
 * "pause_turn", or programmatic tool calling waiting for the client's calls) is still run by
 * Anthropic, so it is named in an info, not imported.
 */
const SERVER_CALLS = new Set(['server_tool_use', 'mcp_tool_use']);
/** Block types that only Anthropic payloads have: enough to tell an Anthropic conversation apart. */
const MARKERS = new Set(['tool_use', 'server_tool_use', 'mcp_tool_use', 'tool_result', 'thinking', 'redacted_thinking']);
const BLOCK_TYPES = new Set([...MARKERS, 'text', 'image', 'document', 'search_result', 'container_upload']);

/**
 * Anthropic Messages API `tool_use` content blocks: in an assistant message
 * `{ role: 'assistant', content: [...] }`, a response `{ type: 'message', stop_reason, content }`,
 * a bare content array, or a conversation (`{ messages: [...] }` or an array of messages), where
 * the LAST assistant message with tool_use blocks is the batch about to run.
 */
export const anthropicImporter: TreeImporter = {
  format: 'anthropic',
  detect(root) {
    if (root.type === 'array') {
      const first = root.items.find((i) => i.type === 'object');
      if (!first) return false;
      if (strValue(first, 'role') !== undefined) return isConversation(root);
      return isBlock(first);
    }
    if (root.type !== 'object') return false;
    const messages = arr(root, 'messages');
    if (messages) return isConversation(messages);
    const content = arr(root, 'content');
    if (strValue(root, 'type') === 'message' && (content || get(root, 'stop_reason'))) return true;
    return !!content && (strValue(root, 'role') ?? 'assistant') === 'assistant' && content.items.some(isBlock);
  },
  import(root, ctx) {
    if (root.type === 'array') {
      const first = root.items.find((i) => i.type === 'object');
      if (first && strValue(first, 'role') !== undefined) return fromConversation(root, root, ctx, '');
      return fromContent(root, root, ctx, '', undefined);
    }
    const messages = arr(root, 'messages');
    if (messages) return fromConversation(messages, root, ctx, modelSuffix(root));
    return fromMessage(root, ctx, modelSuffix(root));
  },
};

function isBlock(node: PNode): boolean {
  const t = strValue(node, 'type');
  return t !== undefined && (BLOCK_TYPES.has(t) || t.endsWith('_tool_result'));
}

function isConversation(messages: ArrayNode): boolean {
  return messages.items.some((m) => {
    const content = arr(m, 'content');
    return !!content && content.items.some((b) => {
      const t = strValue(b, 'type');
      return t !== undefined && (MARKERS.has(t) || t.endsWith('_tool_result'));
    });
  });
}

function fromConversation(messages: ArrayNode, root: PNode, ctx: ImportContext, suffix: string): ImportResult {
  for (let i = messages.items.length - 1; i >= 0; i--) {
    const m = messages.items[i];
    const content = arr(m, 'content');
    if (strValue(m, 'role') === 'assistant' && content && pendingCalls(content).length > 0) return fromMessage(m, ctx, suffix);
  }
  return failure(ctx, root, `No assistant message in this conversation (${count(messages.items.length, 'message')}) has tool_use blocks. Select a conversation that ends with the model's tool calls, or a message whose stop_reason is "tool_use".`);
}

function fromMessage(message: PNode, ctx: ImportContext, suffix: string): ImportResult {
  const content = arr(message, 'content');
  const stop = strValue(message, 'stop_reason');
  if (!content) {
    const role = strValue(message, 'role');
    return failure(ctx, message, `This Anthropic ${role ?? ''}${role ? ' ' : ''}message has no tool_use blocks (its content is ${get(message, 'content') ? 'plain text' : 'missing'}). Select a message whose stop_reason is "tool_use": its content list holds the tool_use blocks Fanout analyzes.`);
  }
  return fromContent(content, message, ctx, suffix, stop);
}

function fromContent(content: ArrayNode, container: PNode, ctx: ImportContext, suffix: string, stop: string | undefined): ImportResult {
  const blocks = pendingCalls(content);
  if (blocks.length === 0) {
    const done = content.items.filter((b) => SERVER_CALLS.has(strValue(b, 'type') ?? '')).length;
    const already = done ? ` Its ${count(done, 'server tool call')} already ran on Anthropic's servers (the results are in the message).` : '';
    return failure(ctx, container, `This Anthropic message has no tool_use blocks${stop ? ` (stop_reason is "${stop}")` : ''}: select a message whose stop_reason is "tool_use".${already}`);
  }
  const diagnostics: Diagnostic[] = [];
  const drafts: CallDraft[] = [];
  for (const block of blocks) {
    const name = get(block, 'name');
    const type = strValue(block, 'type') ?? CLIENT_CALL;
    if (name?.type !== 'string' || name.value.trim() === '') {
      diagnostics.push(makeDiagnostic({ code: 'schema', range: rangeOf(ctx, name ?? block),
        message: `This ${type} block has no name, so there is no tool to call. Add "name": "<the tool's name>", e.g. { "type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": { "city": "Paris" } }.` }));
      continue;
    }
    const providerId = str(block, 'id');
    const input = get(block, 'input');
    drafts.push({ name: name.value, node: block, argsField: 'input', ...(providerId ? { providerId } : {}), ...(input ? { argsNode: input } : {}) });
  }
  if (drafts.length === 0) return failure(ctx, content, 'No usable tool_use blocks: every one is missing its name.', diagnostics);
  const built = buildTools(drafts, ctx);
  const serverPending = pendingServerCalls(content);
  if (serverPending > 0) {
    diagnostics.push(makeDiagnostic({ code: 'parse-error', severity: 'info', range: rangeOf(ctx, content),
      message: `This message also has ${count(serverPending, 'server tool call')} (server_tool_use / mcp_tool_use) without a result yet: Anthropic runs those itself, so they are not part of the client's batch.` }));
  }
  if (stop === 'max_tokens') {
    diagnostics.push(makeDiagnostic({ code: 'parse-error', severity: 'warning', range: rangeOf(ctx, content),
      message: 'This message stopped at the token limit (stop_reason "max_tokens"), so the last tool_use may be incomplete. Raise max_tokens and retry before running this batch.' }));
  }
  const plan = importedPlan('anthropic', `Anthropic tool calls (${drafts.length})${suffix}`, built.tools, rangeOf(ctx, container));
  return { plan, diagnostics: capPerCode([...diagnostics, ...built.diagnostics]) };
}

/** The client's calls: tool_use blocks only. */
function pendingCalls(content: ArrayNode): PNode[] {
  return content.items.filter((b) => strValue(b, 'type') === CLIENT_CALL);
}

/** Server tool blocks with no result in the message yet: Anthropic will run them. */
function pendingServerCalls(content: ArrayNode): number {
  const answered = new Set<string>();
  for (const r of content.items) {
    const rt = strValue(r, 'type');
    const ref = strValue(r, 'tool_use_id');
    if (rt && rt.endsWith('_tool_result') && ref !== undefined) answered.add(ref);
  }
  return content.items.filter((b) => SERVER_CALLS.has(strValue(b, 'type') ?? '') && !answered.has(strValue(b, 'id') ?? '')).length;
}

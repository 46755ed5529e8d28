import { makeDiagnostic } from '../diagnostics';
import { get, type PNode } from '../tree';
import type { Diagnostic } from '../types';
import { arr, buildTools, capPerCode, count, failure, importedPlan, obj, rangeOf, str, strValue, type ArrayNode, type CallDraft } from './common';
import type { ImportContext, ImportResult, TreeImporter } from './types';

/**
 * Amazon Bedrock Converse `toolUse` content blocks: a response `{ output: { message }, stopReason }`,
 * one message `{ role: 'assistant', content: [{ toolUse: { toolUseId, name, input } }] }`, a bare
 * content list, or a conversation (`{ messages }` or a list of messages) with `toolResult` blocks:
 * the last assistant message with toolUse blocks.
 */
export const bedrockImporter: TreeImporter = {
  format: 'bedrock',
  detect(root) {
    if (root.type === 'array') return root.items.some((i) => isBlock(i) || hasBlocks(i));
    if (root.type !== 'object') return false;
    if (obj(get(root, 'output'), 'message') && (get(root, 'stopReason') || hasBlocks(get(get(root, 'output'), 'message')))) return true;
    const messages = arr(root, 'messages');
    if (messages) return messages.items.some(hasBlocks);
    return hasBlocks(root) || isBlock(root);
  },
  import(root, ctx) {
    if (root.type === 'array') {
      if (root.items.some(hasBlocks)) return fromConversation(root, root, ctx);
      return fromContent(root, root, ctx, '', undefined);
    }
    const message = obj(get(root, 'output'), 'message');
    if (message) return fromMessage(message, root, ctx, strValue(root, 'stopReason'));
    const messages = arr(root, 'messages');
    if (messages) return fromConversation(messages, root, ctx);
    if (isBlock(root)) return fromContent({ type: 'array', offset: root.offset, length: root.length, items: [root] }, root, ctx, '', undefined);
    return fromMessage(root, root, ctx, undefined);
  },
};

function isBlock(node: PNode): boolean {
  return !!obj(node, 'toolUse') || !!obj(node, 'toolResult');
}

function hasBlocks(node: PNode | undefined): boolean {
  const content = arr(node, 'content');
  return !!content && content.items.some(isBlock);
}

function fromConversation(messages: ArrayNode, root: PNode, ctx: ImportContext): ImportResult {
  for (let i = messages.items.length - 1; i >= 0; i--) {
    const m = messages.items[i];
    if (strValue(m, 'role') === 'assistant' && arr(m, 'content')?.items.some((b) => !!obj(b, 'toolUse'))) return fromMessage(m, root, ctx, undefined);
  }
  return failure(ctx, root, `No assistant message in this Bedrock conversation (${count(messages.items.length, 'message')}) has toolUse blocks. Select a Converse response whose stopReason is "tool_use", or the conversation that ends with it.`);
}

function fromMessage(message: PNode, root: PNode, ctx: ImportContext, stop: string | undefined): ImportResult {
  const content = arr(message, 'content');
  if (!content) return failure(ctx, message, 'This Bedrock message has no content list. Select the Converse response (output.message.content holds the toolUse blocks).');
  return fromContent(content, root, ctx, '', stop);
}

function fromContent(content: ArrayNode, container: PNode, ctx: ImportContext, suffix: string, stop: string | undefined): ImportResult {
  const blocks = content.items.filter((b) => !!obj(b, 'toolUse'));
  if (blocks.length === 0) {
    return failure(ctx, container, `This Bedrock message has no toolUse blocks${stop ? ` (stopReason is "${stop}")` : ''}: the model answered in text. Select a Converse response whose stopReason is "tool_use".`);
  }
  const diagnostics: Diagnostic[] = [];
  const drafts: CallDraft[] = [];
  for (const b of blocks) {
    const tu = obj(b, 'toolUse')!;
    const name = str(tu, 'name');
    if (!name || name.value.trim() === '') {
      diagnostics.push(makeDiagnostic({ code: 'schema', range: rangeOf(ctx, tu), message: 'This toolUse block has no name. Add "name": "<the tool>", e.g. { "toolUse": { "toolUseId": "tooluse_1", "name": "top_song", "input": { "sign": "WZPZ" } } }.' }));
      continue;
    }
    const id = str(tu, 'toolUseId');
    const input = get(tu, 'input');
    drafts.push({ name: name.value, node: b, argsField: 'input', ...(id ? { providerId: id } : {}), ...(input ? { argsNode: input } : {}) });
  }
  if (drafts.length === 0) return failure(ctx, content, 'No usable toolUse blocks: every one is missing its name.', diagnostics);
  const built = buildTools(drafts, ctx);
  if (stop === 'max_tokens') {
    diagnostics.push(makeDiagnostic({ code: 'parse-error', severity: 'warning', range: rangeOf(ctx, content), message: 'This response stopped at the token limit (stopReason "max_tokens"), so the last toolUse may be incomplete. Raise maxTokens and retry before running this batch.' }));
  }
  const plan = importedPlan('bedrock', `Bedrock tool calls (${drafts.length})${suffix}`, built.tools, rangeOf(ctx, container));
  return { plan, diagnostics: capPerCode([...diagnostics, ...built.diagnostics]) };
}

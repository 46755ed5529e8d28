import { makeDiagnostic } from '../diagnostics';
import { assembleAnthropicStream, isAnthropicEvent } from './anthropicStream';
import { assembleBedrockStream, isBedrockStreamEvent } from './bedrockStream';
import { assembleGeminiStream, isGeminiChunk } from './geminiStream';
import { assembleOpenAIStream, isOpenAIChunk } from './openaiStream';
import { assembleResponsesStream, isResponsesEvent } from './responsesStream';
import { importMcp, rpcOf } from './mcp';
import { streamPlan, text } from './streamAssembly';
import { assembleVercelStream, isVercelStreamEvent } from './vercelAi';
import { parseJsonTree } from '../tree';
import { TREE_IMPORTERS } from './index';
import { readStream, type StreamSyntax } from './streamEvents';
import type { ImportContext, ImportResult } from './types';

/**
 * A recorded stream (SSE, JSON lines): read its events, tell which provider's stream it is from
 * the first events that say so, and assemble its calls (README "Streams"). `base` is where the
 * stream text starts in ctx.text (after a Markdown fence).
 */
export function importStream(body: string, base: number, syntax: StreamSyntax, ctx: ImportContext): ImportResult {
  const read = readStream(body, syntax);
  if (base) for (const e of read.events) (e as { offset: number }).offset += base;
  if (base) for (const b of read.bad) (b as { offset: number }).offset += base;
  if (read.events.length === 0) {
    const b = read.bad[0];
    return { diagnostics: [makeDiagnostic({ code: 'parse-error', range: ctx.lines.range(b?.offset ?? base, b?.length ?? 0),
      message: b ? b.message : 'This recorded stream has no events. Record the whole response stream (every `data:` line) and try again.' })] };
  }
  const probe = read.events.slice(0, 50);
  if (probe.some((e) => isOpenAIChunk(e.data))) return streamPlan(assembleOpenAIStream(read.events, read.done), read, ctx);
  if (probe.some((e) => isResponsesEvent(e.data))) return streamPlan(assembleResponsesStream(read.events, read.done, ctx), read, ctx);
  if (probe.some((e) => isAnthropicEvent(e.data))) return streamPlan(assembleAnthropicStream(read.events, ctx), read, ctx);
  if (probe.some((e) => isVercelStreamEvent(e))) return streamPlan(assembleVercelStream(read.events), read, ctx);
  if (probe.some((e) => isBedrockStreamEvent(e.data))) return streamPlan(assembleBedrockStream(read.events), read, ctx);
  if (probe.some((e) => isGeminiChunk(e.data))) return streamPlan(assembleGeminiStream(read.events, ctx), read, ctx);
  if (probe.some((e) => rpcOf(e.data) !== undefined)) {
    return importMcp(read.events.map((e) => ({ value: e.data, offset: e.offset, length: e.length })), ctx, { offset: base, length: body.length });
  }
  // JSON lines of whole payloads (an Ollama or Gemini stream sends whole calls per chunk; a log
  // of responses): the last line that a tree importer reads as calls.
  for (let i = read.events.length - 1; i >= Math.max(0, read.events.length - 200); i--) {
    const e = read.events[i];
    const tree = parseJsonTree(ctx.text.slice(e.offset, e.offset + e.length).replace(/^data: ?/, ''));
    if (!tree.ok) continue;
    const shift = ctx.text.slice(e.offset, e.offset + e.length).startsWith('data:') ? ctx.text.slice(e.offset).match(/^data: ?/)![0].length : 0;
    const root = shiftTree(tree.root, e.offset + shift);
    for (const imp of TREE_IMPORTERS) {
      if (!imp.detect(root)) continue;
      const r = imp.import(root, ctx);
      if (r.plan) return r;
      break;
    }
  }
  const first = read.events[0];
  const kind = text(first.data, 'type') ?? text(first.data, 'object') ?? first.name;
  return { diagnostics: [makeDiagnostic({ code: 'parse-error', range: ctx.lines.range(first.offset, first.length),
    message: `This looks like a recorded stream (${read.events.length} event${read.events.length === 1 ? '' : 's'}${kind ? `, the first of type "${kind.slice(0, 60)}"` : ''}), but not one Fanout reads. Streams Fanout assembles: OpenAI Chat Completions chunks, OpenAI Responses events, Anthropic Messages events, AI SDK UI-message and data streams, Bedrock ConverseStream events, MCP JSON-RPC logs, and JSON lines of whole responses (Ollama, Gemini).` })] };
}

function shiftTree(node: import('../tree').PNode, by: number): import('../tree').PNode {
  switch (node.type) {
    case 'object': return { ...node, offset: node.offset + by, properties: node.properties.map((p) => ({ ...p, keyOffset: p.keyOffset + by, value: shiftTree(p.value, by) })) };
    case 'array': return { ...node, offset: node.offset + by, items: node.items.map((i) => shiftTree(i, by)) };
    default: return { ...node, offset: node.offset + by };
  }
}

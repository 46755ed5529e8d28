// A local stand-in for the OpenAI and Anthropic APIs on 127.0.0.1 (the one place a stand-in is
// right: the providers cannot be reached from here). It replays recorded responses (recordings/,
// in the shapes the providers document for parallel tool calls) and checks each follow-up request
// the way the providers do: every tool call answered exactly once, ids paired, no stray results,
// and for Anthropic every tool_result in the one user message right after the tool_use turn,
// before any text. A bad follow-up gets the provider's 400 error, so the official SDK throws.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

export const recording = (name: string): Obj => JSON.parse(readFileSync(join(__dirname, 'recordings', `${name}.json`), 'utf8')) as Obj;

export interface ReceivedRequest {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Obj;
  /** The status the server answered with (400 when the follow-up broke a provider rule). */
  readonly status: number;
  readonly problem?: string;
}

/** A streamed reply (`"stream": true`): when its first and last events were written, on performance.now(). */
export interface StreamedReply {
  readonly path: string;
  readonly events: number;
  firstEventAt: number;
  lastEventAt: number;
}

export interface ReplayServer {
  readonly server: Server;
  /** Streamed replies, in request order. */
  readonly streams: StreamedReply[];
  /** e.g. http://127.0.0.1:41234 — OpenAI's baseURL is this + '/v1', Anthropic's is this. */
  readonly origin: string;
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);

/** OpenAI Chat: an assistant message with tool_calls must be followed by one tool message per call id. */
export function checkOpenAIFollowUp(messages: readonly Json[]): string | null {
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (!isObj(m) || m.role !== 'assistant' || !Array.isArray(m.tool_calls) || m.tool_calls.length === 0) continue;
    const ids = m.tool_calls.map((c) => (isObj(c) ? String(c.id) : ''));
    const answered: string[] = [];
    let j = i + 1;
    for (; j < messages.length; j++) {
      const t = messages[j];
      if (!isObj(t) || t.role !== 'tool') break;
      if (typeof t.content !== 'string' && !Array.isArray(t.content)) return `messages[${j}].content must be a string or an array of content parts.`;
      if (typeof t.tool_call_id !== 'string') return `messages[${j}].tool_call_id is missing.`;
      if (!ids.includes(t.tool_call_id)) return `Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'. (messages[${j}].tool_call_id ${t.tool_call_id})`;
      if (answered.includes(t.tool_call_id)) return `Duplicate tool message for tool_call_id ${t.tool_call_id} (messages[${j}]).`;
      answered.push(t.tool_call_id);
    }
    const missing = ids.filter((id) => !answered.includes(id));
    if (missing.length) return `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${missing.join(', ')}`;
  }
  for (let j = 0; j < messages.length; j++) {
    const t = messages[j];
    if (isObj(t) && t.role === 'tool') {
      const prev = messages.slice(0, j).reverse().find((m) => isObj(m) && m.role !== 'tool');
      if (!isObj(prev) || !Array.isArray(prev.tool_calls)) return `Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'. (messages[${j}])`;
    }
  }
  return null;
}

/** Anthropic: each tool_use turn is followed by one user message whose tool_result blocks (first) answer each id once. */
export function checkAnthropicFollowUp(messages: readonly Json[]): string | null {
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (!isObj(m) || m.role !== 'assistant' || !Array.isArray(m.content)) continue;
    const ids = m.content.filter((b) => isObj(b) && b.type === 'tool_use').map((b) => String((b as Obj).id));
    if (ids.length === 0) continue;
    const next = messages[i + 1];
    if (!isObj(next) || next.role !== 'user' || !Array.isArray(next.content)) {
      return `messages.${i + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${ids.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
    }
    const blocks = next.content;
    let seenOther = false;
    const answered: string[] = [];
    for (let k = 0; k < blocks.length; k++) {
      const b = blocks[k];
      if (!isObj(b)) return `messages.${i + 1}.content.${k}: a content block must be an object.`;
      if (b.type !== 'tool_result') {
        seenOther = true;
        continue;
      }
      if (seenOther) return `messages.${i + 1}.content.${k}: tool_result blocks must come first in the user message, before any other content.`;
      const id = String(b.tool_use_id);
      if (!ids.includes(id)) return `messages.${i + 1}.content.${k}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
      if (answered.includes(id)) return `messages.${i + 1}.content.${k}: duplicate tool_result for tool_use_id ${id}.`;
      if ('is_error' in b && typeof b.is_error !== 'boolean') return `messages.${i + 1}.content.${k}.is_error: expected a boolean.`;
      if (typeof b.content !== 'string' && !Array.isArray(b.content) && b.content !== undefined) return `messages.${i + 1}.content.${k}.content: expected a string or content blocks.`;
      answered.push(id);
    }
    const missing = ids.filter((id) => !answered.includes(id));
    if (missing.length) return `messages.${i + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
  }
  return null;
}

/** Responses: every function_call_output answers a call of the previous response, each call once. */
export function checkResponsesFollowUp(input: readonly Json[], previous: Obj | undefined): string | null {
  const ids = arr(previous?.output).filter((o) => isObj(o) && o.type === 'function_call').map((o) => String((o as Obj).call_id));
  const answered: string[] = [];
  for (const [k, item] of input.entries()) {
    if (!isObj(item) || item.type !== 'function_call_output') continue;
    const id = String(item.call_id);
    if (!ids.includes(id)) return `No tool call found for function call output with call_id ${id} (input[${k}]).`;
    if (answered.includes(id)) return `Duplicate function_call_output for call_id ${id} (input[${k}]).`;
    if (typeof item.output !== 'string' && !Array.isArray(item.output)) return `input[${k}].output must be a string.`;
    answered.push(id);
  }
  const missing = ids.filter((id) => !answered.includes(id));
  if (missing.length) return `No tool output found for function call ${missing.join(', ')}.`;
  return null;
}

/** A recorded SSE stream (recordings/*.sse) as its events, each written whole with its blank line. */
const sseEvents = (name: string): string[] =>
  readFileSync(join(__dirname, 'recordings', `${name}.sse`), 'utf8').split(/\n\n+/).filter((e) => e.trim() !== '').map((e) => `${e}\n\n`);

/**
 * Starts the server on 127.0.0.1 (a free port). `delayMs` is the model's latency per request.
 * A request with `"stream": true` (the first turn) is answered with the recorded SSE stream
 * (recordings/*.sse, the same calls as the JSON recordings), one event every `eventDelayMs`: a
 * model generating at a steady rate.
 */
export function startReplayServer(delayMs = 5, { eventDelayMs = 20 }: { eventDelayMs?: number } = {}): Promise<ReplayServer> {
  const requests: ReceivedRequest[] = [];
  const streams: StreamedReply[] = [];
  const responses = new Map<string, Obj>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      let body: Obj = {};
      try {
        const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Json;
        if (isObj(parsed)) body = parsed;
      } catch {
        // Checked below as a missing field.
      }
      let status = 200;
      let reply: Obj;
      let problem: string | null = null;
      if (path === '/v1/chat/completions') {
        const messages = arr(body.messages);
        problem = checkOpenAIFollowUp(messages);
        reply = problem ? { error: { message: problem, type: 'invalid_request_error', param: 'messages', code: null } }
          : messages.some((m) => isObj(m) && m.role === 'tool') ? recording('openai-chat-final') : recording('openai-chat-tool-calls');
      } else if (path === '/v1/messages') {
        const messages = arr(body.messages);
        problem = checkAnthropicFollowUp(messages);
        reply = problem ? { type: 'error', error: { type: 'invalid_request_error', message: problem } }
          : messages.some((m) => isObj(m) && Array.isArray(m.content) && m.content.some((b) => isObj(b) && b.type === 'tool_result')) ? recording('anthropic-final') : recording('anthropic-tool-use');
      } else if (path === '/v1/responses') {
        const input = arr(body.input);
        const previous = typeof body.previous_response_id === 'string' ? responses.get(body.previous_response_id) : undefined;
        if (typeof body.previous_response_id === 'string' && !previous) problem = `Previous response with id '${body.previous_response_id}' not found.`;
        else if (previous) problem = checkResponsesFollowUp(input, previous);
        reply = problem ? { error: { message: problem, type: 'invalid_request_error', param: 'input', code: null } }
          : previous ? recording('responses-final') : recording('responses-function-calls');
        if (!problem) responses.set(String(reply.id), reply);
      } else {
        status = 404;
        reply = { error: { message: `no such endpoint ${path}`, type: 'invalid_request_error' } };
      }
      if (problem) status = 400;
      requests.push({ path, headers: req.headers, body, status, ...(problem ? { problem } : {}) });
      const streamed = !problem && body.stream === true
        ? { '/v1/chat/completions': 'openai-chat-tool-calls', '/v1/messages': 'anthropic-tool-use', '/v1/responses': 'responses-function-calls' }[path]
        : undefined;
      if (streamed) {
        const events = sseEvents(streamed);
        const log: StreamedReply = { path, events: events.length, firstEventAt: 0, lastEventAt: 0 };
        streams.push(log);
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...(path === '/v1/messages' ? { 'request-id': `req_${requests.length}` } : { 'x-request-id': `req_${requests.length}` }) });
          let k = 0;
          const next = (): void => {
            if (k === 0) log.firstEventAt = performance.now();
            res.write(events[k++]);
            if (k < events.length) {
              setTimeout(next, eventDelayMs);
              return;
            }
            log.lastEventAt = performance.now();
            res.end();
          };
          next();
        }, delayMs);
        return;
      }
      setTimeout(() => {
        res.writeHead(status, { 'content-type': 'application/json', ...(path === '/v1/messages' ? { 'request-id': `req_${requests.length}` } : { 'x-request-id': `req_${requests.length}` }) });
        res.end(JSON.stringify(reply));
      }, delayMs);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve({ server, origin, requests, streams, close: () => new Promise<void>((r) => server.close(() => r())) });
    });
  });
}

// The `http` runner: one request with the global fetch, cancelled through the run's signal.
//
// Output passed to dependents (`${id.output}`): the response body — parsed when the response's
// content-type is JSON (application/json or any +json type), else the text. Status and size go
// to the run log. A status of 400 or more fails the tool.
import { performance } from 'node:perf_hooks';
import type { JsonValue } from '../plan/types';
import type { RunnerContext, ToolRunner } from '../engine/types';
import { TRUNCATION_MARK } from '../engine/valueSize';
import {
  CappedBuffer, DEFAULT_OUTPUT_CAP_BYTES, abortError, formatBytes, optionalString, optionalStringMap,
  requireString, shorten,
} from './common';

export interface HttpRunnerOptions {
  /** Cap on the response body read; past it the body is cancelled, not downloaded. Default 1 MiB. */
  readonly maxBodyBytes?: number;
}

const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function createHttpRunner(options: HttpRunnerOptions = {}): ToolRunner {
  const cap = options.maxBodyBytes ?? DEFAULT_OUTPUT_CAP_BYTES;
  return {
    async run(ctx: RunnerContext): Promise<JsonValue> {
      if (ctx.signal.aborted) throw abortError(ctx.signal);
      const request = buildRequest(ctx);
      const label = `${request.method} ${request.url.href}`;
      const startedAt = performance.now(); // wall time: this is real I/O whatever clock the run uses

      let response: Response;
      try {
        response = await fetch(request.url, {
          method: request.method, headers: request.headers, body: request.body, signal: ctx.signal, redirect: 'follow',
        });
      } catch (error) {
        if (ctx.signal.aborted) throw abortError(ctx.signal);
        throw new Error(`${label} failed: ${networkReason(error)}`);
      }

      let body: CappedBuffer;
      try {
        body = await readCapped(response, cap);
      } catch (error) {
        if (ctx.signal.aborted) throw abortError(ctx.signal);
        throw new Error(`${label}: the response body could not be read: ${networkReason(error)}`);
      }
      const ms = Math.round(performance.now() - startedAt);
      const text = body.text();
      const contentType = response.headers.get('content-type') ?? '';
      ctx.log?.(`http: ${label} → ${response.status} ${response.statusText} in ${ms} ms, ${formatBytes(body.totalBytes)}` +
        (contentType ? ` (${contentType})` : ''));
      if (body.truncated) ctx.log?.(`http: body truncated to the first ${formatBytes(cap)}`);

      if (response.status >= 400) {
        const snippet = text.trim() === '' ? '(empty body)' : shorten(text.trim().replace(/\s+/g, ' '), 300);
        throw new HttpStatusError(`${label} returned HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}: ${snippet}`, response.status, response.headers);
      }
      if (isJsonType(contentType) && !body.truncated) {
        if (text.trim() === '') return null;
        try {
          return JSON.parse(text) as JsonValue;
        } catch (error) {
          ctx.log?.(`http: content-type says JSON but the body does not parse (${(error as Error).message}); passing it on as text`);
        }
      }
      // The cap stopped the download: the kept part, marked, so no dependent mistakes it for all.
      return body.truncated ? `${text}\n${TRUNCATION_MARK} the body passed the ${formatBytes(cap)} an http tool keeps; the rest was not downloaded]` : text;
    },
  };
}

export const httpRunner: ToolRunner = createHttpRunner();

/**
 * A response with status ≥ 400. It carries the status and headers as the official SDKs' API
 * errors do, so a 429/503 with Retry-After pauses the resource and times the retry (README
 * "Rate limits", engine/rateLimit.ts).
 */
export class HttpStatusError extends Error {
  constructor(message: string, readonly status: number, readonly headers: Headers) {
    super(message);
    this.name = 'HttpStatusError';
  }
}

interface HttpRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Headers;
  readonly body: string | undefined;
}

function buildRequest(ctx: RunnerContext): HttpRequest {
  const raw = requireString('http', ctx.args, 'url', '{ url: "https://example.com/api" }');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`http tool: args.url ${JSON.stringify(shorten(raw, 120))} is not an absolute URL; write it in full, e.g. "https://example.com/api".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`http tool: only http: and https: URLs are allowed (got ${url.protocol} in ${JSON.stringify(shorten(raw, 120))}).`);
  }
  if (url.username !== '' || url.password !== '') {
    // fetch refuses them anyway; saying so here keeps the password out of error messages and logs.
    throw new Error('http tool: args.url must not contain a user name or password; send credentials in args.headers (e.g. "authorization").');
  }
  const method = (optionalString('http', ctx.args, 'method') ?? 'GET').toUpperCase();
  if (!METHOD.test(method)) throw new Error(`http tool: args.method ${JSON.stringify(shorten(method, 40))} is not an HTTP method, e.g. "GET" or "POST".`);

  const headers = new Headers();
  for (const [name, value] of optionalStringMap('http', ctx.args, 'headers') ?? []) {
    if (value === null) continue;
    try {
      headers.set(name, value);
    } catch {
      throw new Error(`http tool: args.headers has an invalid header ${JSON.stringify(shorten(name, 60))}: names are tokens and values cannot contain line breaks.`);
    }
  }

  const rawBody = ctx.args['body'];
  let body: string | undefined;
  if (rawBody !== undefined && rawBody !== null) {
    if (method === 'GET' || method === 'HEAD') {
      throw new Error(`http tool: a ${method} request cannot have a body; use method "POST" (or another method) to send args.body.`);
    }
    if (typeof rawBody === 'string') {
      body = rawBody;
    } else {
      body = JSON.stringify(rawBody);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
  }
  return { url, method, headers, body };
}

async function readCapped(response: Response, cap: number): Promise<CappedBuffer> {
  const buffer = new CappedBuffer(cap);
  if (!response.body) return buffer;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!buffer.push(value)) {
      // Stop downloading: the cap is a promise about memory and time, not just about the output.
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return buffer;
}

function isJsonType(contentType: string): boolean {
  const essence = contentType.split(';')[0]!.trim().toLowerCase();
  return essence === 'application/json' || essence.endsWith('+json');
}

/** undici reports "fetch failed" and puts the useful part (ECONNREFUSED, ENOTFOUND…) in `cause`. */
function networkReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = (error as Error & { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return typeof code === 'string' && !cause.message.includes(code) ? `${cause.message} (${code})` : cause.message;
  }
  return error.message;
}

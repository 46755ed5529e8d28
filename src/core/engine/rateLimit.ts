// Rate limits as providers signal them (DESIGN §8, README "Rate limits"): an error that carries an
// HTTP status 429 (Too Many Requests) or 503 (Service Unavailable), and often a Retry-After header.
// The shapes read here are the official SDKs' API errors (openai and @anthropic-ai/sdk: `status`,
// `headers` as a `Headers` or a plain object) and the http runner's HttpStatusError, which has the
// same two fields. Anything else is an ordinary failure.

/** What a failed attempt says about the rate limit of its resource. */
export interface RateLimitSignal {
  readonly status: 429 | 503;
  /** The wait the server asked for, in ms (Retry-After or retry-after-ms), when it said one. */
  readonly retryAfterMs?: number;
}

/** The statuses that mean "too much, slow down" rather than "this call is wrong". */
function isRateLimitStatus(s: unknown): s is 429 | 503 {
  return s === 429 || s === 503;
}

/**
 * The rate-limit signal in a thrown value, or undefined. `nowMs` (wall time, ms since the epoch)
 * turns a Retry-After HTTP date into a wait.
 */
export function rateLimitSignal(err: unknown, nowMs: number = Date.now()): RateLimitSignal | undefined {
  if (err === null || typeof err !== 'object') return undefined;
  const e = err as { readonly status?: unknown; readonly statusCode?: unknown; readonly headers?: unknown };
  const status = e.status ?? e.statusCode;
  if (!isRateLimitStatus(status)) return undefined;
  const retryAfterMs = retryAfterFromHeaders(e.headers, nowMs);
  return retryAfterMs === undefined ? { status } : { status, retryAfterMs };
}

/**
 * The wait in `retry-after-ms` (OpenAI's header, honoured by its SDK) or `Retry-After` (RFC 9110
 * §10.2.3: delay-seconds or an HTTP-date), in ms; undefined when neither is there or readable.
 */
export function retryAfterFromHeaders(headers: unknown, nowMs: number = Date.now()): number | undefined {
  const ms = headerValue(headers, 'retry-after-ms');
  if (ms !== undefined) {
    const n = Number(ms.trim());
    if (ms.trim() !== '' && Number.isFinite(n) && n >= 0) return n;
  }
  const ra = headerValue(headers, 'retry-after');
  return ra === undefined ? undefined : parseRetryAfter(ra, nowMs);
}

/** A Retry-After value in ms: "120" (seconds; a fraction is accepted) or an HTTP-date (0 if past). */
export function parseRetryAfter(value: string, nowMs: number = Date.now()): number | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  // An HTTP-date always names the weekday and the month ("Wed, 21 Oct 2015 07:28:00 GMT"), so a
  // bare number or a stray word never parses as a date here.
  if (!/[A-Za-z]{3}/.test(v)) return undefined;
  const at = Date.parse(v);
  if (!Number.isFinite(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** One header of a `Headers`, a Map-like or a plain object (names compared case-insensitively). */
function headerValue(headers: unknown, name: string): string | undefined {
  if (headers === null || typeof headers !== 'object') return undefined;
  const h = headers as { get?: unknown };
  if (typeof h.get === 'function') {
    const v: unknown = (h.get as (n: string) => unknown).call(headers, name);
    return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
  }
  for (const [k, v] of Object.entries(headers as Record<string, unknown>)) {
    if (k.toLowerCase() !== name) continue;
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return String(v);
    if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  }
  return undefined;
}

/** Seconds for a message: "0.25 s", "2 s", "90 s". */
export function formatWait(ms: number): string {
  const s = ms / 1000;
  return `${s >= 10 ? Math.round(s) : Math.round(s * 100) / 100} s`;
}

import { makeDiagnostic } from '../../plan/diagnostics';
import type { Diagnostic, JsonValue, ToolSpec } from '../../plan/types';
import type { RuleContext } from '../analyze';
import { toolRange } from './common';
import { isDestructive, retryRepeatsEffect, safetyTarget } from '../../plan/safety';

/**
 * HTTP methods that are not idempotent (RFC 9110 §9.2.2): repeating them can repeat the effect.
 * PUT and DELETE are idempotent by definition, so retrying them is safe and not reported.
 */
const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PATCH']);
/** Headers that make a POST safe to retry: the server drops a repeated key. */
const IDEMPOTENCY_HEADER = /^(x-)?idempotency[-_]?key$/i;

/**
 * retry-not-idempotent: retries on a tool whose effect may happen twice. A timed-out attempt may
 * still have succeeded on the other side, so a retry writes again (a duplicated row, a double
 * charge, an appended line twice).
 */
export function retryNotIdempotentRule(ctx: RuleContext): Diagnostic[] {
  const { plan } = ctx;
  const out: Diagnostic[] = [];
  for (const t of plan.tools) {
    const retries = t.retries ?? plan.defaults.retries ?? 0;
    if (retries <= 0) continue;
    const method = t.kind === 'http' ? httpMethod(t) : undefined;
    const unsafeHttp = method !== undefined && UNSAFE_METHODS.has(method) && !hasIdempotencyKey(t.args.headers);
    const writes = t.writes.length > 0 && !(t.kind === 'http' && hasIdempotencyKey(t.args.headers));
    // MCP tools and functions: their annotations say whether a repeat repeats the effect.
    const target = safetyTarget(t);
    const annotated = !unsafeHttp && !writes && target !== undefined && retryRepeatsEffect(t.annotations);
    if (!unsafeHttp && !writes && !annotated) continue;
    const source = t.retries !== undefined ? `retries: ${retries}` : `defaults.retries: ${retries}`;
    const effect = unsafeHttp ? `is an HTTP ${method}`
      : annotated ? `calls ${callName(t)}, which its annotations mark as ${t.annotations?.idempotentHint === true ? 'destructive' : isDestructive(t.annotations) ? 'destructive and not idempotent' : 'not idempotent'}`
        : `writes ${t.writes.map((w) => `'${w}'`).join(', ')}`;
    const blank = unsafeHttp ? blankIdempotencyKey(t.args.headers) : undefined;
    const fixHow = unsafeHttp
      ? blank !== undefined ? `Its ${blank} header has no value, and an empty key cannot tell one request from another: give it a value unique to this request (e.g. "order-1042-status-note"), or set "retries": 0.`
        : 'Send an Idempotency-Key header so the server ignores repeats, or set "retries": 0.'
      : annotated ? `Fanout does not retry it, except after a 429 (README "Calls that must not run twice"): set "retries": 0 to say so, or ${t.annotations?.idempotentHint === true ? 'state that it is not destructive (annotations.destructiveHint: false)' : 'state that it is idempotent (annotations.idempotentHint: true)'} if a repeat is harmless.`
        : 'Make the write idempotent (write to a temporary file and rename, upsert instead of insert), or set "retries": 0.';
    out.push(makeDiagnostic({
      code: 'retry-not-idempotent',
      range: toolRange(t, 'retries', unsafeHttp ? 'args' : 'writes'),
      tools: [t.id],
      message: `Tool '${t.id}' ${effect} and is retried (${source}): an attempt that timed out may still have taken effect, so a retry can do it twice. ${fixHow}`,
      suggestion: 'Only retry idempotent calls: reads, PUT/DELETE, or writes keyed by an idempotency key.',
    }));
  }
  return out;
}

function callName(t: ToolSpec): string {
  if (t.kind === 'mcp') return `'${String(t.args.tool)}' on MCP server '${String(t.args.server)}'`;
  return `'${typeof t.args.export === 'string' ? t.args.export : 'default'}' of module '${String(t.args.module)}'`;
}

function httpMethod(t: ToolSpec): string {
  const m = t.args.method;
  return typeof m === 'string' && m.trim() ? m.trim().toUpperCase() : 'GET';
}

/**
 * A key the server can tell repeats apart by: an empty (or blank) key names no request, so it
 * deduplicates nothing — or, to a server that keys on it, turns every later request into a repeat.
 */
function hasIdempotencyKey(headers: JsonValue | undefined): boolean {
  return idempotencyHeaders(headers).some(([, v]) => (typeof v === 'string' && v.trim() !== '') || typeof v === 'number');
}

function blankIdempotencyKey(headers: JsonValue | undefined): string | undefined {
  return idempotencyHeaders(headers).find(([, v]) => !(typeof v === 'string' && v.trim() !== '') && typeof v !== 'number')?.[0];
}

function idempotencyHeaders(headers: JsonValue | undefined): [string, JsonValue][] {
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) return [];
  return Object.entries(headers).filter(([h]) => IDEMPOTENCY_HEADER.test(h));
}

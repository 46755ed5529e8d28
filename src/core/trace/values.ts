// Small decoders every reader shares: times in the encodings the formats use (OTLP's
// string-encoded int64 nanoseconds, HrTime pairs, ISO 8601 with micro/nanoseconds), JSON text that
// may or may not be JSON, and plain-object guards. Kept free of any one format's vocabulary.
import type { JsonObject, JsonValue } from '../plan/types';

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * Unix nanoseconds → ms. OTLP/JSON writes int64 as a decimal string (the proto3 JSON mapping),
 * which a double cannot hold exactly: the last six digits are split off so sub-ms precision
 * survives. Numbers and protobufjs LongBits ({ low, high }) are accepted too.
 */
export function nanosToMs(v: unknown): number {
  if (typeof v === 'string') {
    // Up to 21 digits (all of OTLP's): the digits summed as they are read, both parts exact in a
    // double (under 2^53), so the same number as Number() of the two slices, without the regular
    // expression and the slices, twice per span.
    const n = v.length;
    if (n > 6 && n <= 21) {
      let hi = 0;
      let lo = 0;
      for (let i = 0; i < n; i++) {
        const d = v.charCodeAt(i) - 48;
        if (d < 0 || d > 9) return NaN;
        if (i < n - 6) hi = hi * 10 + d;
        else lo = lo * 10 + d;
      }
      return hi + lo / 1e6;
    }
    if (!/^\d+$/.test(v)) return NaN;
    if (v.length <= 6) return Number(v) / 1e6;
    return Number(v.slice(0, -6)) + Number(v.slice(-6)) / 1e6;
  }
  if (typeof v === 'number') return v / 1e6;
  if (isObject(v) && typeof v.low === 'number' && typeof v.high === 'number') {
    return ((v.high >>> 0) * 4294967296 + (v.low >>> 0)) / 1e6;
  }
  return NaN;
}

/** OpenTelemetry JS HrTime: [seconds, nanoseconds]. */
export function hrTimeToMs(v: unknown): number {
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number') return v[0] * 1000 + v[1] / 1e6;
  return NaN;
}

/**
 * ISO 8601 → ms, keeping the fraction beyond milliseconds (Python writes microseconds, some
 * exporters nanoseconds; Date.parse would drop them). Without a zone the time is taken as UTC,
 * as LangSmith writes it. Also accepts epoch numbers (seconds or ms, told apart by size).
 */
export function isoToMs(v: unknown): number {
  if (typeof v === 'number') return v < 1e11 ? v * 1000 : v > 1e14 ? v / 1e6 : v;
  if (typeof v !== 'string') return NaN;
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})?$/i.exec(v.trim());
  if (!m) return NaN;
  const zone = m[4] === undefined ? 'Z' : m[4].toUpperCase() === 'Z' ? 'Z' : m[4].length === 5 ? `${m[4].slice(0, 3)}:${m[4].slice(3)}` : m[4];
  const base = Date.parse(`${m[1]}T${m[2].length === 5 ? `${m[2]}:00` : m[2]}${zone}`);
  if (Number.isNaN(base)) return NaN;
  return base + (m[3] ? Number(`0.${m[3]}`) * 1000 : 0);
}

/** Text that holds JSON (arguments, results, messages) → the value; anything else stays as it is. */
export function maybeJson(v: unknown): JsonValue | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') {
    const t = v.trim();
    if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
      try {
        return JSON.parse(t) as JsonValue;
      } catch {
        return v;
      }
    }
    return v;
  }
  return v as JsonValue;
}

export function asJsonObject(v: unknown): JsonObject | undefined {
  return isObject(v) ? (v as JsonObject) : undefined;
}

/** A span's words for cancellation (asyncio.CancelledError, AbortError, "cancelled by …"). */
export function looksCancelled(text: string | undefined): boolean {
  return text !== undefined && /cancel|abort/i.test(text);
}

/** The largest number (−Infinity for none). A loop: spreading 100k arguments overflows the stack. */
export function maxOf(xs: readonly number[]): number {
  let m = -Infinity;
  for (const x of xs) if (x > m) m = x;
  return m;
}

// Span attributes as one flat record, whatever the encoding: OTLP/JSON KeyValue lists with
// AnyValue (stringValue, intValue as a string-encoded int64, doubleValue, boolValue, arrayValue,
// kvlistValue, bytesValue), plain objects (Python's ReadableSpan.to_json, OpenTelemetry JS
// ReadableSpan, Phoenix exports) and nested objects that stand for dotted keys (Phoenix writes
// `{"llm": {"output_messages": [...]}}` for `llm.output_messages.0...`).
import type { JsonValue } from '../plan/types';
import { isObject } from './values';

export type Attrs = Readonly<Record<string, unknown>>;

/** One OTLP AnyValue → a plain JSON value. */
export function anyValue(v: unknown): unknown {
  if (!isObject(v)) return v;
  if ('stringValue' in v) return v.stringValue;
  if ('intValue' in v) {
    const x = v.intValue;
    return typeof x === 'string' ? Number(x) : x;
  }
  if ('doubleValue' in v) {
    const x = v.doubleValue;
    return typeof x === 'string' ? Number(x) : x; // "NaN", "Infinity" per the proto3 JSON mapping
  }
  if ('boolValue' in v) return v.boolValue;
  if ('arrayValue' in v) {
    const a = isObject(v.arrayValue) && Array.isArray(v.arrayValue.values) ? v.arrayValue.values : [];
    return a.map(anyValue);
  }
  if ('kvlistValue' in v) {
    const out = Object.create(null) as Record<string, unknown>; // keys are data: `__proto__` too
    const list = isObject(v.kvlistValue) && Array.isArray(v.kvlistValue.values) ? v.kvlistValue.values : [];
    for (const kv of list) if (isObject(kv) && typeof kv.key === 'string') out[kv.key] = anyValue(kv.value);
    return out;
  }
  if ('bytesValue' in v) return v.bytesValue;
  return undefined; // an empty AnyValue
}

/** Attributes in any of the encodings above → a flat record (dotted keys added for nested values). */
export function readAttributes(raw: unknown): Attrs {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  if (Array.isArray(raw)) {
    for (const kv of raw) {
      if (!isObject(kv) || typeof kv.key !== 'string') continue;
      const value = anyValue(kv.value);
      out[kv.key] = value;
      if (typeof value === 'object' && value !== null) flattenInto(out, kv.key, value, 0);
    }
  } else if (isObject(raw)) {
    for (const key of Object.keys(raw)) {
      const value = raw[key];
      out[key] = value;
      if (typeof value === 'object' && value !== null) flattenInto(out, key, value, 0);
    }
  }
  return out;
}

function flattenInto(out: Record<string, unknown>, prefix: string, value: object, depth: number): void {
  if (depth > 8) return;
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  for (const [k, v] of entries) {
    const key = `${prefix}.${k}`;
    if (!(key in out)) out[key] = v;
    if (typeof v === 'object' && v !== null) flattenInto(out, key, v, depth + 1);
  }
}

export function attrString(a: Attrs, key: string): string | undefined {
  const v = a[key];
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

export function attrValue(a: Attrs, key: string): JsonValue | undefined {
  const v = a[key];
  return v === undefined ? undefined : (v as JsonValue);
}

/**
 * Indexed attributes `prefix.N.rest…` (OpenInference's llm.output_messages.0.message…,
 * OpenLLMetry's gen_ai.completion.0.tool_calls.1…): the distinct N in numeric order.
 */
export function indices(a: Attrs, prefix: string): number[] {
  const seen = new Set<number>();
  const p = `${prefix}.`;
  for (const key of Object.keys(a)) {
    if (!key.startsWith(p)) continue;
    const rest = key.slice(p.length);
    const dot = rest.indexOf('.');
    const n = Number(dot === -1 ? rest : rest.slice(0, dot));
    if (Number.isInteger(n) && n >= 0) seen.add(n);
  }
  return [...seen].sort((x, y) => x - y);
}

// Command results can be anything (URIs, class instances, cycles, functions). Run records must be
// JSON: this turns a value into the closest JSON-safe one. Pure: no 'vscode'.
import type { JsonValue } from '../../core/plan/types';

const MAX_DEPTH = 20;
const MAX_ITEMS = 1000;
const MAX_STRING = 100_000;

export function toJsonSafe(value: unknown): JsonValue {
  return convert(value, 0, new WeakSet<object>());
}

function convert(v: unknown, depth: number, seen: WeakSet<object>): JsonValue {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'string':
      return v.length > MAX_STRING ? `${v.slice(0, MAX_STRING)}…` : v;
    case 'number':
      return Number.isFinite(v) ? v : null;
    case 'boolean':
      return v;
    case 'bigint':
      return v.toString();
    case 'function':
    case 'symbol':
      return null;
    default:
      break;
  }
  const o = v as object;
  if (seen.has(o)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (o instanceof Date) return Number.isNaN(o.getTime()) ? null : o.toISOString();
  if (o instanceof Error) return { name: o.name, message: o.message };
  if (o instanceof Uint8Array) return `[${o.byteLength} bytes]`;
  // vscode.Uri, vscode.Position, … : prefer what the object says about itself.
  const toJSON = (o as { toJSON?: unknown }).toJSON;
  const isUri = typeof (o as { scheme?: unknown }).scheme === 'string' && typeof (o as { toString?: unknown }).toString === 'function' && typeof (o as { fsPath?: unknown }).fsPath === 'string';
  if (isUri) return String(o);
  seen.add(o);
  try {
    if (typeof toJSON === 'function' && !(o instanceof Map) && !(o instanceof Set)) {
      const j: unknown = toJSON.call(o);
      if (j !== o) return convert(j, depth + 1, seen);
    }
    if (Array.isArray(o) || o instanceof Set) {
      const items = Array.from(o as Iterable<unknown>);
      const out = items.slice(0, MAX_ITEMS).map((x) => convert(x, depth + 1, seen));
      if (items.length > MAX_ITEMS) out.push(`…${items.length - MAX_ITEMS} more`);
      return out;
    }
    const entries: [string, unknown][] = o instanceof Map ? [...o].map(([k, x]) => [String(k), x]) : Object.entries(o);
    const out: Record<string, JsonValue> = {};
    for (const [k, x] of entries.slice(0, MAX_ITEMS)) {
      if (typeof x === 'function' || x === undefined) continue;
      out[k] = convert(x, depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(o);
  }
}

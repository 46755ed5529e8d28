// How big a value would be as JSON text, without writing it. Output passing can make values that
// are small in memory and enormous as text: `["${a.output}", "${a.output}"]` repeated down a chain
// shares one array twice per step (2^40 leaves after 40 tools), and `${a.output}${a.output}`
// doubles a string at each step. Writing such a value (dedupe keys, the run record, --json) throws
// V8's "Invalid string length" or runs out of memory, so sizes are measured first.
import type { JsonValue } from '../plan/types';

/** Deeper values are not measured (nor written: JSON.stringify would overflow the stack). */
export const MAX_JSON_DEPTH = 1000;

export interface SizeOptions {
  /** Spaces per level, as in JSON.stringify(value, null, indent). Default 0 (compact). */
  readonly indent?: number;
  /** Default MAX_JSON_DEPTH. */
  readonly maxDepth?: number;
  /**
   * Count the escapes strings need (default true). Off, strings count by their length: reading
   * every character of a 1 MB output that 2,000 tools reference costs seconds, and a bound on
   * growth does not need the exact figure.
   */
  readonly escapes?: boolean;
}

const NEEDS_ESCAPE = /[\u0000-\u001f"\\\u2028\u2029\ud800-\udfff]/;
const ESCAPES = /[\u0000-\u001f"\\]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function stringSize(s: string, budget: number, escapes: boolean): number {
  const plain = s.length + 2;
  if (!escapes || plain > budget || !NEEDS_ESCAPE.test(s)) return plain;
  let extra = 0;
  for (const m of s.matchAll(ESCAPES)) {
    const c = m[0].charCodeAt(0);
    // \" \\ \n \t … take 2 characters, other control characters and lone surrogates \uXXXX 6.
    extra += c === 0x22 || c === 0x5c || c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d ? 1 : 5;
  }
  return plain + extra;
}

function isPrimitive(v: JsonValue): v is string | number | boolean | null {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function primitiveSize(v: string | number | boolean | null, budget: number, escapes: boolean): number {
  if (v === null) return 4;
  if (typeof v === 'string') return stringSize(v, budget, escapes);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v).length : 4;
  return v ? 4 : 5;
}

/**
 * The length of `JSON.stringify(value, null, indent)`, or Infinity as soon as it passes `limit`,
 * or NaN when the value is nested deeper than maxDepth. Shared objects and arrays are measured
 * once per depth, so the work is bounded by the distinct values, not by their expansion.
 */
export function jsonSizeWithin(value: JsonValue, limit: number, options: SizeOptions = {}): number {
  const escapes = options.escapes ?? true;
  // A text or number output (most tool outputs, once per call in the record): no memo, no closure.
  if (isPrimitive(value)) {
    const n = primitiveSize(value, limit, escapes);
    return n > limit ? Infinity : n;
  }
  const indent = options.indent ?? 0;
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  const seen = new WeakMap<object, Map<number, number>>();
  let tooDeep = false;
  const size = (v: JsonValue, budget: number, depth: number): number => {
    if (isPrimitive(v)) return primitiveSize(v, budget, escapes);
    if (depth >= maxDepth) {
      tooDeep = true;
      return Infinity;
    }
    const memo = seen.get(v)?.get(indent === 0 ? 0 : depth);
    if (memo !== undefined) return memo;
    // Per item: the separator, and with an indent a newline and the item's indentation.
    const perItem = 1 + (indent > 0 ? 1 + indent * (depth + 1) : 0);
    let n = 2;
    let k = 0;
    if (Array.isArray(v)) {
      for (const x of v) {
        n += perItem + size(x, budget - n - perItem, depth + 1);
        k++;
        if (n > budget) return Infinity;
      }
    } else {
      for (const [key, x] of Object.entries(v as Record<string, JsonValue>)) {
        n += perItem + stringSize(key, Infinity, escapes) + (indent > 0 ? 2 : 1);
        n += size(x, budget - n, depth + 1);
        k++;
        if (n > budget) return Infinity;
      }
    }
    // One separator fewer than items; the closing bracket on its own indented line.
    if (k > 0) n += -1 + (indent > 0 ? 1 + indent * depth : 0);
    let byDepth = seen.get(v);
    if (!byDepth) seen.set(v, (byDepth = new Map()));
    byDepth.set(indent === 0 ? 0 : depth, n);
    return n;
  };
  const n = size(value, limit, 0);
  if (tooDeep) return NaN;
  return n > limit ? Infinity : n;
}

/**
 * Characters of tool outputs one run record keeps, in the order tools finish (recordBuilder.ts
 * bounds each as it arrives, so the run never holds more): as much as a whole plan file.
 * Past it, or for an output nested deeper than MAX_JSON_DEPTH, the record holds a marked
 * truncation; dependents still got the whole output during the run. README "Input limits".
 */
export const MAX_RECORD_OUTPUT_CHARS = 64 * 1024 * 1024;

/** The text every truncation carries, so a reader can find it. */
export const TRUNCATION_MARK = '…[truncated by fanout:';

export interface BoundedOutput {
  readonly value: JsonValue;
  /** Characters of the budget it takes. */
  readonly chars: number;
  readonly truncated: boolean;
}

/** `value` when it fits `budget` characters of JSON, else a marked truncation of it. */
export function boundOutput(value: JsonValue, budget: number): BoundedOutput {
  const chars = jsonSizeWithin(value, Math.max(0, budget));
  if (Number.isFinite(chars)) return { value, chars, truncated: false };
  const why = Number.isNaN(chars)
    ? `the output is nested more than ${MAX_JSON_DEPTH} levels deep`
    : `a run record keeps ${MAX_RECORD_OUTPUT_CHARS / (1024 * 1024)} Mi characters of outputs in all, and this one does not fit`;
  const mark = `${TRUNCATION_MARK} ${why}; the tools that referenced it received it whole]`;
  if (typeof value === 'string' && !Number.isNaN(chars)) {
    const keep = Math.max(0, budget - mark.length - 8);
    const text = `${value.slice(0, keep)}${mark}`;
    return { value: text, chars: text.length + 2, truncated: true };
  }
  return { value: mark, chars: mark.length + 2, truncated: true };
}

/**
 * Characters of one error or reason text that a run event or record carries to the editor (plan
 * view, output channel): a tool can fail with a 100 MB message, and postMessage would copy it whole.
 */
export const MAX_LISTENER_TEXT_CHARS = 16 * 1024;

/** `text` when it has at most `max` characters, else its start with a marked truncation. */
export function boundText(text: string, max: number = MAX_LISTENER_TEXT_CHARS): string {
  if (text.length <= max) return text;
  const mark = `${TRUNCATION_MARK} ${text.length.toLocaleString('en-US')} characters, the first ${max.toLocaleString('en-US')} shown]`;
  return `${text.slice(0, max)}${mark}`;
}

// A call's arguments as one short line for tooltips: `{"city":"Paris","unit":"celsius"}`.
// Written with a budget rather than JSON.stringify-then-cut, so a tool with megabytes of
// arguments costs the budget, not the megabytes, each time a view is built.
import type { JsonValue } from '../plan/types';

/** Longest summary a view shows; the rest is cut with "…". */
export const ARGS_SUMMARY_MAX_CHARS = 200;

/** Compact JSON of `value`, at most `max` characters (the last one "…" when cut). */
export function summariseArgs(value: JsonValue, max: number = ARGS_SUMMARY_MAX_CHARS): string {
  // Collect one character past the budget: enough to know whether the whole value fits.
  const limit = max + 1;
  const out: string[] = [];
  let used = 0;
  const push = (piece: string): boolean => {
    if (used + piece.length >= limit) {
      out.push(piece.slice(0, limit - used));
      used = limit;
      return false;
    }
    out.push(piece);
    used += piece.length;
    return true;
  };
  const write = (v: JsonValue): boolean => {
    if (v === null || typeof v !== 'object') return push(JSON.stringify(v) ?? 'null');
    if (Array.isArray(v)) {
      if (!push('[')) return false;
      for (let i = 0; i < v.length; i++) if ((i > 0 && !push(',')) || !write(v[i] as JsonValue)) return false;
      return push(']');
    }
    if (!push('{')) return false;
    // Array.isArray does not narrow a readonly array out of the union.
    const obj = v as { readonly [key: string]: JsonValue };
    let first = true;
    for (const k of Object.keys(obj)) {
      if ((!first && !push(',')) || !push(`${JSON.stringify(k)}:`) || !write(obj[k] as JsonValue)) return false;
      first = false;
    }
    return push('}');
  };
  write(value);
  const text = out.join('');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

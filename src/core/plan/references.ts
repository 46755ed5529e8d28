import type { JsonValue } from './types';

/** `${id.output}` or `${id.output.a.b}`: the id, then an optional dotted path. */
export const REFERENCE_PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_-]*)\.output((?:\.[A-Za-z0-9_-]+)*)\}/g;

export interface OutputReference {
  readonly id: string;
  readonly path: readonly string[];
  /** The whole `${…}` text. */
  readonly text: string;
}

/** Every output reference in any string inside a JSON value, in document order. */
export function findReferences(value: JsonValue): OutputReference[] {
  const out: OutputReference[] = [];
  // Iterative walk: plan args may be deeply nested and must never overflow the stack.
  const stack: JsonValue[] = [value];
  while (stack.length > 0) {
    const v = stack.pop() as JsonValue;
    if (typeof v === 'string') {
      if (v.includes('${')) {
        for (const m of v.matchAll(REFERENCE_PATTERN)) {
          out.push({ id: m[1], path: m[2] ? m[2].slice(1).split('.') : [], text: m[0] });
        }
      }
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    } else if (v !== null && typeof v === 'object') {
      const vals = Object.values(v as Record<string, JsonValue>);
      for (let i = vals.length - 1; i >= 0; i--) stack.push(vals[i]);
    }
  }
  return out;
}

/** Ids referenced by a tool's args, deduplicated, in first-seen order. */
export function referencedIds(value: JsonValue): string[] {
  return [...new Set(findReferences(value).map((r) => r.id))];
}

/**
 * Whether any string inside `v` contains '${': an allocation-free screen before the reference
 * scan, which most tools (no references at all) can skip. False positives are fine.
 */
export function mayContainReference(v: JsonValue, depth: number): boolean {
  if (typeof v === 'string') return v.includes('${');
  if (v === null || typeof v !== 'object') return false;
  if (depth > 100) return true; // deeper: let the (non-recursive) reference scan decide
  if (Array.isArray(v)) {
    for (let k = 0; k < v.length; k++) if (mayContainReference(v[k] as JsonValue, depth + 1)) return true;
    return false;
  }
  for (const k in v) if (mayContainReference((v as Record<string, JsonValue>)[k], depth + 1)) return true;
  return false;
}


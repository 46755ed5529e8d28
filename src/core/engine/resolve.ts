// Output passing: `${id.output}` / `${id.output.a.b}` in string arguments, resolved when the
// dependent starts (DESIGN §2).
import type { JsonObject, JsonValue } from '../plan/types';
import { REFERENCE_PATTERN } from '../plan/references';
import { MAX_JSON_DEPTH, jsonSizeWithin } from './valueSize';

/** An output that can be referenced: `found: false` when the tool has no output to offer. */
export type OutputLookup = (id: string) => { readonly found: true; readonly value: JsonValue } | { readonly found: false };

export type Resolved = { readonly ok: true; readonly args: JsonObject } | { readonly ok: false; readonly error: string };

class ReferenceError_ extends Error {}

const WHOLE = new RegExp(`^${REFERENCE_PATTERN.source}$`);

/** True when any string inside `value` contains a reference (cheap pre-check per tool). */
export function hasReferences(value: JsonValue): boolean {
  const stack: JsonValue[] = [value];
  while (stack.length > 0) {
    const v = stack.pop() as JsonValue;
    if (typeof v === 'string') {
      if (v.includes('${') && new RegExp(REFERENCE_PATTERN.source).test(v)) return true;
    } else if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
    } else if (v !== null && typeof v === 'object') {
      for (const x of Object.values(v as Record<string, JsonValue>)) stack.push(x);
    }
  }
  return false;
}

/**
 * Replaces every reference in `args`. A string that is exactly one reference becomes the raw value
 * (object, number, …); inside a longer string, strings are inserted as they are and everything
 * else as JSON. A missing tool output or path is an error naming the reference and what exists.
 * `keep(id)` leaves references to that tool as text (simulation of tools with no real output).
 */
export function resolveArgs(args: JsonObject, lookup: OutputLookup, keep?: (id: string) => boolean): Resolved {
  let resolved: JsonObject;
  try {
    resolved = resolveValue(args, lookup, keep, 0) as JsonObject;
  } catch (e) {
    if (e instanceof ReferenceError_) return { ok: false, error: e.message };
    throw e;
  }
  // A reference alone keeps its value without copying it, but the same output passed on twice
  // per tool down a chain doubles at every step: measured (sharing counted once) before anything
  // writes it out (dedupe keys, the run record, --json).
  const size = jsonSizeWithin(resolved, MAX_ARGS_CHARS, { escapes: false });
  if (Number.isNaN(size)) {
    return {
      ok: false,
      error: `the arguments would be nested more than ${MAX_JSON_DEPTH} levels deep once the outputs they reference are put in. ` +
        'Reference a part of the output nearer its top (${id.output.field}).',
    };
  }
  if (size === Infinity) {
    return {
      ok: false,
      error: `the arguments would be more than ${formatSize(MAX_ARGS_CHARS)} as JSON once the outputs they reference are put in ` +
        '(an output referenced more than once, or down a chain of tools that each pass it on twice, multiplies). ' +
        'Reference a smaller part of the output (${id.output.field}), or fewer copies of it.',
    };
  }
  return { ok: true, args: resolved };
}

/**
 * The most an argument set may hold once references are substituted, as JSON characters: as much
 * as a whole plan file (MAX_PLAN_BYTES). README "Input limits".
 */
export const MAX_ARGS_CHARS = 64 * 1024 * 1024;

function formatSize(chars: number): string {
  return chars >= 1024 * 1024 ? `${+(chars / (1024 * 1024)).toFixed(1)} Mi characters` : `${chars} characters`;
}

const MAX_DEPTH = 200;

function resolveValue(v: JsonValue, lookup: OutputLookup, keep: ((id: string) => boolean) | undefined, depth: number): JsonValue {
  if (depth > MAX_DEPTH) throw new ReferenceError_(`arguments are nested more than ${MAX_DEPTH} levels deep`);
  if (typeof v === 'string') return v.includes('${') ? resolveString(v, lookup, keep) : v;
  if (Array.isArray(v)) return v.map((x: JsonValue) => resolveValue(x, lookup, keep, depth + 1));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, x] of Object.entries(v as Record<string, JsonValue>)) {
      const value = resolveValue(x, lookup, keep, depth + 1);
      // An argument key "__proto__" is a key like any other: assigning it would set the prototype.
      if (k === '__proto__') Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
      else out[k] = value;
    }
    return out;
  }
  return v;
}

function resolveString(s: string, lookup: OutputLookup, keep: ((id: string) => boolean) | undefined): JsonValue {
  const whole = WHOLE.exec(s);
  if (whole) {
    if (keep?.(whole[1])) return s;
    return valueAt(whole[1], whole[2], s, lookup);
  }
  // Pieces are measured before they are joined: `${a.output}${a.output}` down a chain doubles a
  // string per tool, and joining past V8's string limit throws instead of failing the tool.
  let total = s.length;
  const pieces = new Map<string, string>();
  for (const m of s.matchAll(new RegExp(REFERENCE_PATTERN.source, 'g'))) {
    const [text, id, path] = m;
    if (keep?.(id)) continue;
    let piece = pieces.get(text);
    if (piece === undefined) {
      const value = valueAt(id, path, text, lookup);
      if (typeof value === 'string') piece = value;
      else {
        const size = jsonSizeWithin(value, MAX_ARGS_CHARS, { escapes: false });
        if (Number.isNaN(size)) throw new ReferenceError_(`${text}: the value is nested more than ${MAX_JSON_DEPTH} levels deep to be written into text. Reference a part of it nearer its top.`);
        if (size === Infinity) total = Infinity;
        else piece = JSON.stringify(value);
      }
      if (piece !== undefined) pieces.set(text, piece);
    }
    total += (piece?.length ?? Infinity) - text.length;
    if (total > MAX_ARGS_CHARS) {
      throw new ReferenceError_(`${clip(s)}: this text would be more than ${formatSize(MAX_ARGS_CHARS)} long once the outputs it references are put in. ` +
        'Reference a smaller part of the output (${id.output.field}), or pass it alone as the whole value ("${id.output}"), which is not copied.');
    }
  }
  return s.replace(new RegExp(REFERENCE_PATTERN.source, 'g'), (text: string, id: string) => (keep?.(id) ? text : (pieces.get(text) as string)));
}

function valueAt(id: string, dottedPath: string, text: string, lookup: OutputLookup): JsonValue {
  const out = lookup(id);
  if (!out.found) throw new ReferenceError_(`${text}: tool '${id}' has no output (it did not succeed before this tool started).`);
  let v: JsonValue = out.value;
  const path = dottedPath ? dottedPath.slice(1).split('.') : [];
  for (let k = 0; k < path.length; k++) {
    const key = path[k];
    const at = k === 0 ? `the output of '${id}'` : `'${id}.output.${path.slice(0, k).join('.')}'`;
    if (Array.isArray(v)) {
      const idx = /^\d+$/.test(key) ? Number(key) : NaN;
      if (!(idx < v.length)) throw new ReferenceError_(`${text}: ${at} is an array of ${v.length} item(s), so it has no item '${key}'.`);
      v = v[idx] as JsonValue;
    } else if (v !== null && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, key)) {
      v = (v as Record<string, JsonValue>)[key];
    } else {
      const what = v === null ? 'null' : typeof v === 'object' ? `an object with fields ${fieldList(v as Record<string, JsonValue>)}` : `${typeof v} ${clip(JSON.stringify(v))}`;
      throw new ReferenceError_(`${text}: ${at} is ${what}, so it has no field '${key}'.`);
    }
  }
  return v;
}

function fieldList(o: Record<string, JsonValue>): string {
  const keys = Object.keys(o);
  if (keys.length === 0) return '(none)';
  const shown = keys.slice(0, 8).map((k) => `'${k}'`).join(', ');
  return keys.length > 8 ? `${shown}, …` : shown;
}

/** A canonical text for a call (kind + args with sorted keys): equal calls get equal keys. */
export function callKey(kind: string, args: JsonValue): string {
  return `${kind}\u0000${canonical(args)}`;
}

function canonical(v: JsonValue): string {
  if (Array.isArray(v)) return `[${v.map((x: JsonValue) => canonical(x)).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, JsonValue>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** A value shown in an error: a whole HTTP body or file would bury the message. */
function clip(text: string): string {
  return text.length <= 80 ? text : `${text.slice(0, 77)}…`;
}

import * as jsonc from 'jsonc-parser';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { JsonValue } from './types';

/**
 * A JSON-shaped value that remembers where it stands in the source. JSON and YAML both become
 * this, so the native parser and the importers read one tree and report positions the same way.
 */
export type PNode =
  | { readonly type: 'object'; readonly offset: number; readonly length: number; readonly properties: readonly PProperty[] }
  | { readonly type: 'array'; readonly offset: number; readonly length: number; readonly items: readonly PNode[] }
  | { readonly type: 'string'; readonly offset: number; readonly length: number; readonly value: string }
  | { readonly type: 'number'; readonly offset: number; readonly length: number; readonly value: number }
  | { readonly type: 'boolean'; readonly offset: number; readonly length: number; readonly value: boolean }
  | { readonly type: 'null'; readonly offset: number; readonly length: number };

export interface PProperty {
  readonly key: string;
  readonly keyOffset: number;
  readonly keyLength: number;
  readonly value: PNode;
  /**
   * YAML only: a top-level key whose value defines an anchor (`common: &sim {…}`), i.e. a place to
   * keep shared settings for `<<: *sim` or `*sim`. Schema checks do not call it unknown.
   */
  readonly anchorHolder?: boolean;
}

export interface TreeError {
  readonly message: string;
  readonly offset: number;
  readonly length: number;
}

export type TreeResult = { readonly ok: true; readonly root: PNode } | { readonly ok: false; readonly errors: readonly TreeError[] };

/** Nesting deeper than this is refused before parsing: real plans are a few levels deep, and recursion must not overflow. */
export const MAX_DEPTH = 64;

export function property(node: PNode | undefined, key: string): PProperty | undefined {
  if (!node || node.type !== 'object') return undefined;
  // Last one wins, as in JSON.parse; duplicate keys are reported by the native parser.
  for (let i = node.properties.length - 1; i >= 0; i--) if (node.properties[i].key === key) return node.properties[i];
  return undefined;
}

export function get(node: PNode | undefined, key: string): PNode | undefined {
  return property(node, key)?.value;
}

/**
 * An empty object with a null prototype, so keys like `__proto__` stay data. Made this way rather
 * than with Object.create(null), which V8 builds in dictionary mode: about 3x the memory and
 * several times slower to fill, for every tool's args on large plans.
 */
export function nullObject<T>(): Record<string, T> {
  return Object.setPrototypeOf({}, null) as Record<string, T>;
}

/** Plain JSON value of a node. Objects have a null prototype so keys like `__proto__` stay data. */
export function toValue(node: PNode): JsonValue {
  switch (node.type) {
    case 'object': {
      const out = nullObject<JsonValue>();
      for (const p of node.properties) out[p.key] = toValue(p.value);
      return out;
    }
    case 'array':
      return node.items.map(toValue);
    case 'null':
      return null;
    default:
      return node.value;
  }
}

/** Deepest bracket nesting outside strings; a cheap guard run before any recursive parser. */
export function bracketDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === inString) inString = 0;
      continue;
    }
    if (c === 34 /* " */) inString = 34;
    else if (c === 91 || c === 123) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 93 || c === 125) depth = Math.max(0, depth - 1);
  }
  return max;
}

export function parseJsonTree(text: string): TreeResult {
  // Plain JSON (the common case, and every large plan) goes through a strict one-pass reader;
  // anything else (comments, trailing commas, errors, exotic whitespace) through jsonc-parser,
  // which gives the same tree for plain JSON and explains every error.
  const fast = strictJsonTree(text);
  if (fast) return { ok: true, root: fast };
  // Builds PNodes straight from jsonc-parser's visitor: one pass, no intermediate tree.
  type Frame = { kind: 'object'; offset: number; props: PProperty[]; key?: { key: string; offset: number; length: number } } | { kind: 'array'; offset: number; items: PNode[] };
  const stack: Frame[] = [];
  const errors: TreeError[] = [];
  let root: PNode | undefined;
  const add = (node: PNode) => {
    const top = stack[stack.length - 1];
    if (!top) root = node;
    else if (top.kind === 'array') top.items.push(node);
    else if (top.key) {
      top.props.push({ key: top.key.key, keyOffset: top.key.offset, keyLength: top.key.length, value: node });
      top.key = undefined;
    }
  };
  jsonc.visit(text, {
    onObjectBegin: (offset) => { stack.push({ kind: 'object', offset, props: [] }); },
    onObjectProperty: (key, offset, length) => {
      const top = stack[stack.length - 1];
      if (top?.kind === 'object') top.key = { key, offset, length };
    },
    onObjectEnd: (offset, length) => {
      const f = stack.pop();
      if (f?.kind === 'object') add({ type: 'object', offset: f.offset, length: offset + length - f.offset, properties: f.props });
    },
    onArrayBegin: (offset) => { stack.push({ kind: 'array', offset, items: [] }); },
    onArrayEnd: (offset, length) => {
      const f = stack.pop();
      if (f?.kind === 'array') add({ type: 'array', offset: f.offset, length: offset + length - f.offset, items: f.items });
    },
    onLiteralValue: (value: unknown, offset, length) => {
      if (typeof value === 'string') add({ type: 'string', offset, length, value });
      else if (typeof value === 'number') {
        if (!Number.isFinite(value)) errors.push({ message: nonFiniteMessage(text.slice(offset, offset + Math.min(length, 40))), offset, length });
        add({ type: 'number', offset, length, value });
      } else if (typeof value === 'boolean') add({ type: 'boolean', offset, length, value });
      else add({ type: 'null', offset, length });
    },
    onError: (error, offset, length) => {
      // A truncated file makes jsonc report one "close it" error per open bracket, all at the same
      // spot; the first says it all, and the others only bury it.
      if (errors.length > 0 && errors[errors.length - 1].offset === offset) return;
      const name = jsonc.printParseErrorCode(error);
      const atEnd = offset >= text.trimEnd().length;
      const message = atEnd && (name === 'CloseBraceExpected' || name === 'CloseBracketExpected')
        ? "Invalid JSON: the text ends before every object and list is closed. Add the missing '}' / ']' at the end, or restore the cut-off part."
        : jsonErrorMessage(name);
      errors.push({ message, offset, length });
    },
  }, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  if (errors.length > 0 || !root) return { ok: false, errors: errors.length ? errors : [{ message: jsonErrorMessage('ValueExpected'), offset: 0, length: 0 }] };
  return { ok: true, root };
}

// A strict JSON reader (RFC 8259 grammar, whitespace limited to space, tab, CR and LF) that
// builds the same PNodes as the jsonc-parser path, offsets and lengths included, but scans each
// character once with no token objects or callbacks. It gives up (undefined) at the first thing
// outside that grammar, leaving the input to jsonc-parser and its error messages.
let src = '';
let pos = 0;
const BAIL = { bail: true } as const;

/** Deeper than this, the reader leaves the input to jsonc-parser (parse.ts refuses deeper plans anyway). */
const STRICT_MAX_DEPTH = 256;

function strictJsonTree(text: string): PNode | undefined {
  src = text;
  pos = 0;
  try {
    skipSpace();
    const root = readValue(0);
    skipSpace();
    return root !== BAIL && pos === src.length ? (root as PNode) : undefined;
  } finally {
    src = '';
  }
}

function skipSpace(): void {
  const s = src;
  let i = pos;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
  }
  pos = i;
}

/** Whether a literal or number may end at `i`: the end, whitespace, or a delimiter. */
function delimiterAt(i: number): boolean {
  if (i >= src.length) return true;
  const c = src.charCodeAt(i);
  return c === 44 || c === 93 || c === 125 || c === 32 || c === 10 || c === 13 || c === 9 || c === 58;
}

function readValue(depth: number): PNode | typeof BAIL {
  if (pos >= src.length) return BAIL;
  const start = pos;
  const c = src.charCodeAt(pos);
  switch (c) {
    case 123: { // {
      if (depth >= STRICT_MAX_DEPTH) return BAIL;
      pos++;
      const properties: PProperty[] = [];
      skipSpace();
      if (src.charCodeAt(pos) === 125) {
        pos++;
        return { type: 'object', offset: start, length: pos - start, properties };
      }
      for (;;) {
        if (src.charCodeAt(pos) !== 34) return BAIL;
        const keyOffset = pos;
        const key = readString();
        if (key === undefined) return BAIL;
        const keyLength = pos - keyOffset;
        skipSpace();
        if (src.charCodeAt(pos) !== 58) return BAIL;
        pos++;
        skipSpace();
        const value = readValue(depth + 1);
        if (value === BAIL) return BAIL;
        properties.push({ key, keyOffset, keyLength, value: value as PNode });
        skipSpace();
        const d = src.charCodeAt(pos);
        if (d === 44) {
          pos++;
          skipSpace();
        } else if (d === 125) {
          pos++;
          return { type: 'object', offset: start, length: pos - start, properties };
        } else return BAIL;
      }
    }
    case 91: { // [
      if (depth >= STRICT_MAX_DEPTH) return BAIL;
      pos++;
      const items: PNode[] = [];
      skipSpace();
      if (src.charCodeAt(pos) === 93) {
        pos++;
        return { type: 'array', offset: start, length: pos - start, items };
      }
      for (;;) {
        const value = readValue(depth + 1);
        if (value === BAIL) return BAIL;
        items.push(value as PNode);
        skipSpace();
        const d = src.charCodeAt(pos);
        if (d === 44) {
          pos++;
          skipSpace();
        } else if (d === 93) {
          pos++;
          return { type: 'array', offset: start, length: pos - start, items };
        } else return BAIL;
      }
    }
    case 34: { // "
      const value = readString();
      if (value === undefined) return BAIL;
      return { type: 'string', offset: start, length: pos - start, value };
    }
    case 116: // t
      if (src.startsWith('true', pos) && delimiterAt(pos + 4)) {
        pos += 4;
        return { type: 'boolean', offset: start, length: 4, value: true };
      }
      return BAIL;
    case 102: // f
      if (src.startsWith('false', pos) && delimiterAt(pos + 5)) {
        pos += 5;
        return { type: 'boolean', offset: start, length: 5, value: false };
      }
      return BAIL;
    case 110: // n
      if (src.startsWith('null', pos) && delimiterAt(pos + 4)) {
        pos += 4;
        return { type: 'null', offset: start, length: 4 };
      }
      return BAIL;
    default: {
      const end = numberEnd(pos);
      if (end < 0 || !delimiterAt(end)) return BAIL;
      const value = Number(src.slice(start, end));
      // 1e999 is Infinity: left to the jsonc path, which reports it at its position.
      if (!Number.isFinite(value)) return BAIL;
      pos = end;
      return { type: 'number', offset: start, length: end - start, value };
    }
  }
}

/** End of a JSON number starting at `i` (-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?), or -1. */
function numberEnd(i: number): number {
  const s = src;
  if (s.charCodeAt(i) === 45) i++;
  let c = s.charCodeAt(i);
  if (c === 48) i++;
  else if (c >= 49 && c <= 57) {
    i++;
    while (isDigit(s.charCodeAt(i))) i++;
  } else return -1;
  if (s.charCodeAt(i) === 46) {
    i++;
    if (!isDigit(s.charCodeAt(i))) return -1;
    while (isDigit(s.charCodeAt(i))) i++;
  }
  c = s.charCodeAt(i);
  if (c === 101 || c === 69) {
    i++;
    c = s.charCodeAt(i);
    if (c === 43 || c === 45) i++;
    if (!isDigit(s.charCodeAt(i))) return -1;
    while (isDigit(s.charCodeAt(i))) i++;
  }
  return i;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Reads the string at `pos` (on its opening quote) and moves past it; undefined when not strict JSON. */
function readString(): string | undefined {
  const s = src;
  const start = pos;
  let i = start + 1;
  let escaped = false;
  for (;;) {
    if (i >= s.length) return undefined;
    const c = s.charCodeAt(i);
    if (c === 34) break;
    if (c < 32) return undefined;
    if (c === 92) {
      escaped = true;
      i += 2;
    } else i++;
  }
  pos = i + 1;
  if (!escaped) return s.slice(start + 1, i);
  try {
    const v: unknown = JSON.parse(s.slice(start, i + 1));
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

function jsonErrorMessage(name: string): string {
  switch (name) {
    case 'InvalidSymbol': return 'Invalid JSON: unexpected character. Check for a missing quote or a stray character.';
    case 'InvalidNumberFormat': return 'Invalid JSON number. Numbers are written like 800 or 1.5, without leading zeros or units.';
    case 'PropertyNameExpected': return 'Invalid JSON: expected a property name in double quotes.';
    case 'ValueExpected': return 'Invalid JSON: a value is missing here.';
    case 'ColonExpected': return "Invalid JSON: expected ':' after the property name.";
    case 'CommaExpected': return "Invalid JSON: expected ',' between items. Add the missing comma.";
    case 'CloseBraceExpected': return "Invalid JSON: expected '}' to close the object.";
    case 'CloseBracketExpected': return "Invalid JSON: expected ']' to close the array.";
    case 'EndOfFileExpected': return 'Invalid JSON: unexpected text after the end of the value. A plan is one JSON object.';
    case 'UnexpectedEndOfComment': return 'Invalid JSON: a /* comment */ is not closed.';
    case 'UnexpectedEndOfString': return 'Invalid JSON: a string is not closed. Add the closing double quote.';
    case 'UnexpectedEndOfNumber': return 'Invalid JSON: a number is cut off.';
    case 'InvalidUnicode': return 'Invalid JSON: bad \\u escape in a string.';
    case 'InvalidEscapeCharacter': return 'Invalid JSON: bad escape in a string. Use \\\\ for a backslash.';
    case 'InvalidCharacter': return 'Invalid JSON: control character inside a string. Escape it (\\n, \\t).';
    default: return 'Invalid JSON.';
  }
}

export function parseYamlTree(text: string): TreeResult {
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, strict: true });
  } catch (err) {
    return { ok: false, errors: [{ message: `Invalid YAML: ${err instanceof Error ? err.message : String(err)}`, offset: 0, length: 0 }] };
  }
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({ message: `Invalid YAML: ${firstLine(e.message)}`, offset: e.pos[0], length: Math.max(0, e.pos[1] - e.pos[0]) })),
    };
  }
  const state: YamlState = { doc, nodes: 0, aliased: 0, aliasedChars: 0, memo: new Map(), sizes: new WeakMap(), chars: new WeakMap(), numberErrors: [] };
  const root = fromYaml(doc.contents as YamlNode | null, state, 0);
  if (!root) return { ok: false, errors: [{ message: 'The YAML document is empty.', offset: 0, length: 0 }] };
  if ('error' in root) return { ok: false, errors: [root.error] };
  if (state.numberErrors.length > 0) return { ok: false, errors: state.numberErrors };
  return { ok: true, root };
}

/** Values (nodes) one YAML document may hold once every alias is expanded; documented in README "Limits". */
export const MAX_YAML_NODES = 2_000_000;
/**
 * Values that aliases may add in total: far above `<<: *defaults` on every tool of a big plan, far
 * below an alias bomb ("billion laughs"), whose expansion would otherwise reach every later step
 * (canonical forms, output passing, printing).
 */
export const MAX_ALIAS_EXPANSION = 100_000;
/**
 * Characters (strings and keys) that aliases may add in total: a handful of values holding a long
 * string, aliased a few thousand times, stays under MAX_ALIAS_EXPANSION and would still expand to
 * gigabytes. A quarter of the largest plan file (MAX_PLAN_BYTES); README "Limits".
 */
export const MAX_ALIAS_CHARS = 16 * 1024 * 1024;

interface YamlState {
  readonly doc: Document.Parsed;
  nodes: number;
  aliased: number;
  aliasedChars: number;
  /** Each anchored node is converted once; its aliases share the (immutable) PNode. */
  readonly memo: Map<YamlNode, { readonly node: PNode; readonly height: number } | { readonly error: TreeError }>;
  readonly sizes: WeakMap<PNode, number>;
  readonly chars: WeakMap<PNode, number>;
  readonly numberErrors: TreeError[];
}

/** Values in `node` once expanded, memoised so shared subtrees are counted in linear time. */
function expandedSize(node: PNode, sizes: WeakMap<PNode, number>): number {
  if (node.type !== 'object' && node.type !== 'array') return 1;
  const known = sizes.get(node);
  if (known !== undefined) return known;
  let n = 1;
  if (node.type === 'object') for (const p of node.properties) n += expandedSize(p.value, sizes);
  else for (const item of node.items) n += expandedSize(item, sizes);
  sizes.set(node, n);
  return n;
}

/** Characters of the strings and keys in `node` once expanded, memoised like expandedSize. */
function expandedChars(node: PNode, chars: WeakMap<PNode, number>): number {
  if (node.type === 'string') return node.value.length;
  if (node.type !== 'object' && node.type !== 'array') return 1;
  const known = chars.get(node);
  if (known !== undefined) return known;
  let n = 0;
  if (node.type === 'object') for (const p of node.properties) n += p.key.length + expandedChars(p.value, chars);
  else for (const item of node.items) n += expandedChars(item, chars);
  chars.set(node, n);
  return n;
}

function heightOf(node: PNode): number {
  if (node.type === 'object') return 1 + node.properties.reduce((m, p) => Math.max(m, heightOf(p.value)), 0);
  if (node.type === 'array') return 1 + node.items.reduce((m, v) => Math.max(m, heightOf(v)), 0);
  return 0;
}

function fromYaml(node: YamlNode | null, state: YamlState, depth: number): PNode | { error: TreeError } | undefined {
  if (!node) return undefined;
  const [start, , end] = node.range ?? [0, 0, 0];
  const offset = start;
  const length = Math.max(0, end - start);
  if (++state.nodes > MAX_YAML_NODES) {
    return { error: { message: `The YAML holds more than ${MAX_YAML_NODES.toLocaleString('en-US')} values; split the plan into smaller ones.`, offset, length } };
  }
  if (depth > MAX_DEPTH) {
    return { error: { message: `The YAML is nested more than ${MAX_DEPTH} levels deep here (aliases count as the levels they expand to). Flatten this value.`, offset, length } };
  }
  if (isAlias(node)) {
    const target = node.resolve(state.doc) as YamlNode | undefined;
    if (!target) {
      return { error: { message: `Invalid YAML: the alias '*${node.source}' has no anchor. Define '&${node.source}' on a value above it, or fix the name.`, offset, length } };
    }
    let done = state.memo.get(target);
    if (!done) {
      // Guards the recursion of a self-referencing anchor (`a: &a [*a]`) while it is converted.
      state.memo.set(target, { error: { message: `Invalid YAML: the alias '*${node.source}' refers to the value that contains it, which would never end. Point it at another anchor.`, offset, length } });
      const v = fromYaml(target, state, depth + 1);
      done = !v ? { node: { type: 'null', offset, length: 0 }, height: 0 } : 'error' in v ? v : { node: v, height: heightOf(v) };
      state.memo.set(target, done);
    }
    if ('error' in done) return done;
    if (depth + done.height > MAX_DEPTH) {
      return { error: { message: `The alias '*${node.source}' nests its value more than ${MAX_DEPTH} levels deep. Flatten the anchored value or alias a smaller part of it.`, offset, length } };
    }
    state.aliased += expandedSize(done.node, state.sizes);
    if (state.aliased > MAX_ALIAS_EXPANSION) {
      return { error: { message: `The alias '*${node.source}' takes the values aliases expand to past ${MAX_ALIAS_EXPANSION.toLocaleString('en-US')} (aliases of aliases multiply, as in a "billion laughs" document). Write the repeated values out, or alias fewer or smaller ones.`, offset, length } };
    }
    state.aliasedChars += expandedChars(done.node, state.chars);
    if (state.aliasedChars > MAX_ALIAS_CHARS) {
      return { error: { message: `The alias '*${node.source}' takes the text aliases expand to past ${MAX_ALIAS_CHARS / (1024 * 1024)} Mi characters (a long string aliased many times, or aliases of aliases, multiplies it). Write the long value once, or alias fewer or shorter ones.`, offset, length } };
    }
    return done.node;
  }
  if (isMap(node)) {
    const properties: PProperty[] = [];
    // YAML merge keys (`<<: *defaults`, `<<: [*a, *b]`): widely used to share tool settings. Keys
    // set in the map itself win, then earlier sources over later ones.
    const merged: PProperty[] = [];
    for (const pair of node.items) {
      const k = pair.key as YamlNode | null;
      const keyText = isScalar(k) ? String(k.value) : String(k);
      const [ks, ke] = k && k.range ? [k.range[0], k.range[1]] : [offset, offset];
      const v = fromYaml(pair.value as YamlNode | null, state, depth + 1);
      if (v && 'error' in v) return v;
      if (isScalar(k) && k.type === 'PLAIN' && k.value === '<<') {
        const sources = v?.type === 'array' ? v.items : v ? [v] : [];
        for (const src of sources) {
          if (src.type !== 'object') {
            return { error: { message: "Invalid YAML: a merge key '<<' takes a mapping or an alias of one (e.g. '<<: *defaults').", offset: ks, length: ke - ks } };
          }
          merged.push(...src.properties);
        }
        continue;
      }
      const holder = depth === 0 && Boolean((pair.value as { anchor?: string } | null)?.anchor);
      properties.push({ key: keyText, keyOffset: ks, keyLength: ke - ks, value: v ?? { type: 'null', offset: ke, length: 0 }, ...(holder ? { anchorHolder: true } : {}) });
    }
    if (merged.length > 0) {
      const own = new Set(properties.map((p) => p.key));
      for (const p of merged) {
        if (own.has(p.key)) continue;
        own.add(p.key);
        properties.push(p);
      }
    }
    return { type: 'object', offset, length, properties };
  }
  if (isSeq(node)) {
    const items: PNode[] = [];
    for (const item of node.items) {
      const v = fromYaml(item as YamlNode | null, state, depth + 1);
      if (v && 'error' in v) return v;
      items.push(v ?? { type: 'null', offset, length: 0 });
    }
    return { type: 'array', offset, length, items };
  }
  if (isScalar(node)) {
    const v = node.value;
    const valueLength = Math.max(0, (node.range?.[1] ?? end) - start);
    if (v === null || v === undefined) return { type: 'null', offset, length: valueLength };
    if (typeof v === 'number' || typeof v === 'bigint') {
      const value = Number(v);
      // Every such number is reported (not only the first): the rest of the tree is still read.
      if (!Number.isFinite(value)) state.numberErrors.push({ message: nonFiniteMessage(String(node.source ?? v).slice(0, 40)), offset, length: valueLength });
      return { type: 'number', offset, length: valueLength, value };
    }
    if (typeof v === 'boolean') return { type: 'boolean', offset, length: valueLength, value: v };
    return { type: 'string', offset, length: valueLength, value: v instanceof Date ? v.toISOString() : String(v) };
  }
  return undefined;
}

/**
 * Infinity and NaN (1e999, YAML's .inf and .nan) have no JSON form: `--json` would print null, and
 * durations or limits would make no sense. Refused where written (README "Limits").
 */
function nonFiniteMessage(written: string): string {
  return `The number ${written} is not a finite number (numbers must lie within ±1.7e308, and .inf/.nan are not allowed). Write a smaller number, or quote it to pass it as text.`;
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i === -1 ? s : s.slice(0, i);
}

import type { JsonValue, Plan, SourceRange, TextEdit, ToolSpec } from '../plan/types';

// Quick fixes as minimal text edits on the ORIGINAL text (offsets as in the plan's ranges, so a
// plan inside a Markdown fence works too). Every function works from the node ranges the parser
// recorded, touching only the node it changes: O(size of that node), so a 10,000-tool plan can
// carry thousands of fixes without re-parsing the file once per fix. Layout is copied from the
// neighbouring lines (indentation, line endings, one-line vs multi-line), so comments and the
// author's formatting survive. When the layout is unusual, the functions return undefined: no fix
// is better than a fix that breaks the file. Imported formats (syntax 'text') never get fixes.

type Syntax = 'json' | 'yaml';

/** Applies non-overlapping edits (any order) to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.offset - a.offset || b.length - a.length);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.offset + e.length > limit) throw new Error('Overlapping edits');
    out = out.slice(0, e.offset) + e.newText + out.slice(e.offset + e.length);
    limit = e.offset;
  }
  return out;
}

/** Adds ids to a tool's dependsOn, creating the list when the tool has none. */
export function addDependencies(text: string, plan: Plan, tool: ToolSpec, ids: readonly string[]): TextEdit[] | undefined {
  const syntax = editable(plan);
  const fresh = ids.filter((id, k) => !tool.dependsOn.includes(id) && ids.indexOf(id) === k);
  if (!syntax || fresh.length === 0) return undefined;
  const deps = tool.ranges.dependsOn;
  if (!deps) return setToolField(text, plan, tool, 'dependsOn', fresh);
  const items = tool.ranges.dependsOnItems ?? [];
  if (text[deps.offset] === '[') return appendToFlowList(text, syntax, deps, items.at(-1), fresh);
  // A YAML block sequence: one `- id` line per entry, copying the last entry's dash and indentation.
  const last = items.at(-1);
  if (syntax !== 'yaml' || !last) return undefined;
  const prefix = text.slice(lineStart(text, last.offset), last.offset);
  if (!/^[ \t]*-[ \t]+$/.test(prefix)) return undefined;
  const at = lineEndOf(text, lastContent(text, last.offset, last.offset + last.length));
  const nl = eolOf(text);
  return [insert(at, fresh.map((id) => `${nl}${prefix}${scalar('yaml', id)}`).join(''))];
}

/** Sets a field of a tool (timeoutMs, dependsOn…): replaces its value, or adds it after the last field. */
export function setToolField(text: string, plan: Plan, tool: ToolSpec, key: string, value: JsonValue): TextEdit[] | undefined {
  const syntax = editable(plan);
  if (!syntax) return undefined;
  const fields = tool.ranges.fields ?? {};
  const existing = Object.prototype.hasOwnProperty.call(fields, key) ? fields[key] : undefined;
  if (existing) return replaceValue(text, syntax, existing, value);
  return insertProperty(text, syntax, tool.ranges.tool, Object.values(fields), key, value);
}

/** Sets a top-level key (maxConcurrency, dedupe…): replaces its value, or adds it after `name` (else first). */
export function setTopLevelKey(text: string, plan: Plan, key: 'maxConcurrency' | 'dedupe' | 'limits', value: JsonValue): TextEdit[] | undefined {
  const syntax = editable(plan);
  const root = plan.ranges.root;
  if (!syntax || !root) return undefined;
  const existing = plan.ranges[key as keyof Plan['ranges']];
  if (existing) return replaceValue(text, syntax, existing, value);
  const name = plan.ranges.name;
  if (name) return insertAfterProperty(text, syntax, name, key, value);
  return insertFirstProperty(text, syntax, root, key, value);
}

/** Sets `limits.<resource>`, creating `limits` when the plan has none. */
export function setLimit(text: string, plan: Plan, resource: string, value: number): TextEdit[] | undefined {
  const syntax = editable(plan);
  if (!syntax) return undefined;
  const limits = plan.ranges.limits;
  if (!limits) return setTopLevelKey(text, plan, 'limits', { [resource]: value });
  if (resource in plan.limits) return undefined; // Replacing one entry of a map is not needed by any rule.
  const open = valueStart(text, limits);
  if (open === undefined) return undefined;
  const end = limits.offset + limits.length;
  if (text[open] === '{') {
    const close = lastContent(text, open, end) - 1;
    if (text[close] !== '}') return undefined;
    const inner = lastContent(text, open + 1, close);
    if (inner === open + 1) return [insert(open + 1, `${property(syntax, resource, value)}`)];
    const first = firstContent(text, open + 1, close);
    const multiLine = text.slice(open + 1, first).includes('\n');
    const sep = multiLine ? `,${eolOf(text)}${indentOfLine(text, first)}` : ', ';
    return [insert(inner, `${sep}${property(syntax, resource, value)}`)];
  }
  if (syntax !== 'yaml') return undefined;
  // A YAML block map under `limits:`: a new `key: value` line with the first entry's indentation.
  const indent = indentOfLine(text, open);
  if (open <= limits.offset || !text.slice(limits.offset, open).includes('\n')) return undefined;
  const at = lineEndOf(text, lastContent(text, open, end));
  return [insert(at, `${eolOf(text)}${indent}${property('yaml', resource, value)}`)];
}

/** Removes a tool from the `tools` list, with its separator (comma, or its `- ` lines). */
export function removeTool(text: string, plan: Plan, tool: ToolSpec): TextEdit[] | undefined {
  const syntax = editable(plan);
  if (!syntax) return undefined;
  const start = tool.ranges.tool.offset;
  let end = start + tool.ranges.tool.length;
  const lineBegin = lineStart(text, start);
  const prefix = text.slice(lineBegin, start);
  if (syntax === 'yaml' && /^[ \t]*-[ \t]+$/.test(prefix)) {
    // Block sequence item: delete its lines, from the dash to the end of its last content line.
    const last = lastContent(text, start, end);
    const stop = afterEol(text, lineEndOf(text, last));
    return [remove(lineBegin, stop)];
  }
  // Flow list (JSON, or YAML `[…]`): take the following comma and spacing, or else the preceding comma.
  end = lastContent(text, start, end); // YAML flow items may include trailing blanks.
  const after = skipSpace(text, end);
  if (text[after] === ',') return [remove(start, skipSpace(text, after + 1))];
  const before = skipSpaceBack(text, start);
  if (text[before - 1] === ',') return [remove(before - 1, end)];
  if (text[before - 1] === '[' && text[after] === ']') return [remove(start, end)];
  return undefined;
}

// ---- building blocks ----------------------------------------------------------------------------

function editable(plan: Plan): Syntax | undefined {
  return plan.syntax === 'json' || plan.syntax === 'yaml' ? plan.syntax : undefined;
}

function insert(offset: number, newText: string): TextEdit {
  return { offset, length: 0, newText };
}

function remove(from: number, to: number): TextEdit {
  return { offset: from, length: to - from, newText: '' };
}

/** Adds items at the end of a `[…]` list, keeping it on one line or one item per line as it is. */
function appendToFlowList(text: string, syntax: Syntax, list: SourceRange, last: SourceRange | undefined, ids: readonly string[]): TextEdit[] | undefined {
  const open = list.offset;
  const close = lastContent(text, open, open + list.length) - 1;
  if (text[close] !== ']') return undefined;
  const values = ids.map((id) => scalar(syntax, id));
  const lastItemEnd = lastContent(text, open + 1, close);
  if (lastItemEnd === open + 1) return [insert(open + 1, values.join(', '))];
  const itemStart = last?.offset ?? lastItemEnd;
  const multiLine = startsLine(text, itemStart);
  const sep = multiLine ? `,${eolOf(text)}${indentOfLine(text, itemStart)}` : ', ';
  return [insert(lastItemEnd, values.map((v) => sep + v).join(''))];
}

/** Replaces the value of `key: value` (the range spans key to value end). */
function replaceValue(text: string, syntax: Syntax, prop: SourceRange, value: JsonValue): TextEdit[] | undefined {
  const start = valueStart(text, prop);
  if (start === undefined) return undefined;
  const end = lastContent(text, start, prop.offset + prop.length);
  if (typeof value === 'object' && value !== null && syntax === 'yaml' && text.slice(start, end).includes('\n')) return undefined;
  return [{ offset: start, length: end - start, newText: inline(syntax, value) }];
}

/** Adds `key: value` to an object, after its last property; `props` are its property ranges. */
function insertProperty(text: string, syntax: Syntax, obj: SourceRange, props: readonly SourceRange[], key: string, value: JsonValue): TextEdit[] | undefined {
  let last: SourceRange | undefined;
  for (const p of props) if (!last || p.offset + p.length > last.offset + last.length) last = p;
  if (!last) return undefined;
  const flow = syntax === 'json' || text[obj.offset] === '{';
  if (!flow) {
    // YAML block map: a new line at the map's indentation, after the last property's last line.
    const at = lineEndOf(text, lastContent(text, last.offset, last.offset + last.length));
    const indent = ' '.repeat(obj.column - 1);
    if (!/^[ \t]*(-[ \t]+)?$/.test(text.slice(lineStart(text, obj.offset), obj.offset))) return undefined;
    return [insert(at, `${eolOf(text)}${indent}${property('yaml', key, value)}`)];
  }
  return insertAfterProperty(text, syntax, last, key, value);
}

/** Inserts `, key: value` after a property, on its own line when that property starts a line. */
function insertAfterProperty(text: string, syntax: Syntax, after: SourceRange, key: string, value: JsonValue): TextEdit[] | undefined {
  const end = lastContent(text, after.offset, after.offset + after.length);
  const flow = syntax === 'json' || !startsLine(text, after.offset) || isInsideFlow(text, after.offset);
  if (!flow) {
    const at = lineEndOf(text, end);
    return [insert(at, `${eolOf(text)}${indentOfLine(text, after.offset)}${property('yaml', key, value)}`)];
  }
  const sep = startsLine(text, after.offset) ? `,${eolOf(text)}${indentOfLine(text, after.offset)}` : ', ';
  return [insert(end, `${sep}${property(syntax, key, value)}`)];
}

/** Inserts `key: value` as the first property of the root object/map. */
function insertFirstProperty(text: string, syntax: Syntax, root: SourceRange, key: string, value: JsonValue): TextEdit[] | undefined {
  if (text[root.offset] === '{') {
    const first = firstContent(text, root.offset + 1, root.offset + root.length);
    if (text[first] === '}') return [insert(root.offset + 1, property(syntax, key, value))];
    const multiLine = text.slice(root.offset + 1, first).includes('\n');
    const sep = multiLine ? `${eolOf(text)}${indentOfLine(text, first)}` : '';
    return [insert(root.offset + 1, `${sep}${property(syntax, key, value)},${multiLine ? '' : ' '}`)];
  }
  if (syntax !== 'yaml' || !startsLine(text, root.offset)) return undefined;
  return [insert(root.offset, `${property('yaml', key, value)}${eolOf(text)}${indentOfLine(text, root.offset)}`)];
}

/** `"key": value` (JSON) or `key: value` (YAML, flow style for collections). */
function property(syntax: Syntax, key: string, value: JsonValue): string {
  return `${syntax === 'json' ? JSON.stringify(key) : yamlKey(key)}: ${inline(syntax, value)}`;
}

/** A one-line rendering: JSON, or YAML flow style. */
function inline(syntax: Syntax, value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map((v) => inline(syntax, v)).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const body = Object.keys(value).map((k) => property(syntax, k, (value as Record<string, JsonValue>)[k])).join(', ');
    return body ? `{ ${body} }` : '{}';
  }
  return scalar(syntax, value);
}

function scalar(syntax: Syntax, value: null | boolean | number | string): string {
  if (typeof value !== 'string' || syntax === 'json') return JSON.stringify(value);
  return isPlainYaml(value) ? value : JSON.stringify(value);
}

function yamlKey(key: string): string {
  return isPlainYaml(key) ? key : JSON.stringify(key);
}

/** A string YAML reads back as the same string without quotes (no booleans, nulls, numbers, indicators). */
function isPlainYaml(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_.\-/]*$/.test(s) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(s);
}

// ---- text scanning ------------------------------------------------------------------------------

function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** The end of the line holding `offset` (before its line break). */
function lineEndOf(text: string, offset: number): number {
  let i = Math.max(0, offset);
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

function afterEol(text: string, offset: number): number {
  if (text[offset] === '\r' && text[offset + 1] === '\n') return offset + 2;
  return text[offset] === '\n' || text[offset] === '\r' ? offset + 1 : offset;
}

/** The offset just after the last non-blank character in [from, to). */
function lastContent(text: string, from: number, to: number): number {
  let i = Math.min(to, text.length);
  while (i > from && /\s/.test(text[i - 1])) i--;
  return i;
}

function firstContent(text: string, from: number, to: number): number {
  let i = from;
  while (i < to && /\s/.test(text[i])) i++;
  return i;
}

function skipSpace(text: string, from: number): number {
  return firstContent(text, from, text.length);
}

function skipSpaceBack(text: string, from: number): number {
  return lastContent(text, 0, from);
}

function startsLine(text: string, offset: number): boolean {
  return /^[ \t]*(-[ \t]+)*$/.test(text.slice(lineStart(text, offset), offset));
}

function indentOfLine(text: string, offset: number): string {
  const begin = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(begin, offset))?.[0] ?? '';
}

/** Where the value of `key: value` starts: after the colon that ends the (possibly quoted) key. */
function valueStart(text: string, prop: SourceRange): number | undefined {
  let i = prop.offset;
  const quote = text[i];
  if (quote === '"' || quote === "'") {
    i++;
    while (i < text.length && text[i] !== quote) i += text[i] === '\\' ? 2 : 1;
    i++;
  }
  const colon = text.indexOf(':', i);
  if (colon === -1 || colon >= prop.offset + prop.length) return undefined;
  return firstContent(text, colon + 1, prop.offset + prop.length);
}

/** Whether a YAML property sits inside a `{…}` flow map (an unmatched `{` earlier on its line). */
function isInsideFlow(text: string, offset: number): boolean {
  const before = text.slice(lineStart(text, offset), offset);
  return (before.match(/\{/g)?.length ?? 0) > (before.match(/\}/g)?.length ?? 0);
}

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

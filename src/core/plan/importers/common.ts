import * as jsonc from 'jsonc-parser';
import { makeDiagnostic } from '../diagnostics';
import { bracketDepth, get, MAX_DEPTH, nullObject, parseJsonTree, toValue, type PNode } from '../tree';
import type { Diagnostic, JsonObject, JsonValue, Plan, PlanFormat, PlanStreamInfo, SourceRange, ToolRanges, ToolStreamPosition } from '../types';
import type { ImportContext, ImportedToolSpec, ImportResult } from './types';

// Shared by the provider importers: reading a call's arguments, giving calls valid unique ids, and
// assembling the Plan. Every importer turns a call into a `simulate` tool whose args are the call's
// own arguments, untouched, with the import default as its duration estimate.

export type StringNode = Extract<PNode, { type: 'string' }>;
export type ObjectNode = Extract<PNode, { type: 'object' }>;
export type ArrayNode = Extract<PNode, { type: 'array' }>;

/** Tool ids in plans: see DESIGN.md §2. */
export const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** Derived ids are cut to this length: a 1 MB function name must not become a 1 MB id. */
const MAX_DERIVED_ID = 64;

export function rangeOf(ctx: ImportContext, node: { readonly offset: number; readonly length: number }): SourceRange {
  return ctx.lines.range(node.offset, node.length);
}

export function str(node: PNode | undefined, key: string): StringNode | undefined {
  const v = get(node, key);
  return v?.type === 'string' ? v : undefined;
}

export function strValue(node: PNode | undefined, key: string): string | undefined {
  return str(node, key)?.value;
}

export function arr(node: PNode | undefined, key: string): ArrayNode | undefined {
  const v = get(node, key);
  return v?.type === 'array' ? v : undefined;
}

export function obj(node: PNode | undefined, key: string): ObjectNode | undefined {
  const v = get(node, key);
  return v?.type === 'object' ? v : undefined;
}

/** An import that found nothing to run: one error where the user should look, and no plan. */
export function failure(ctx: ImportContext, node: { readonly offset: number; readonly length: number }, message: string, extra: readonly Diagnostic[] = []): ImportResult {
  return { diagnostics: [...capPerCode(extra), makeDiagnostic({ code: 'parse-error', message, range: rangeOf(ctx, node) })] };
}

/**
 * A call the model wrote without a name: an error at its name field (or the call), so it is never
 * dropped in silence while the other calls import. `example` is the call written right.
 */
export function namelessCall(ctx: ImportContext, nameNode: PNode | undefined, call: PNode, what: string, example: string): Diagnostic {
  const empty = nameNode?.type === 'string' ? 'an empty name' : nameNode ? 'a name that is not a string' : 'no name';
  return makeDiagnostic({ code: 'schema', range: rangeOf(ctx, nameNode ?? call), message: `${what} has ${empty}, so there is no tool to call. Give it one, e.g. ${example}.` });
}

/** A call found in a payload, before it has an id and parsed arguments. */
export interface CallDraft {
  /** The function/tool name: becomes the tool's label. */
  readonly name: string;
  /** The provider's call id, when the call has one (kept as the tool id when it is a valid id). */
  readonly providerId?: StringNode;
  /** The whole call in the source (ranges.tool). */
  readonly node: PNode;
  /** The call's arguments: a JSON string (OpenAI) or an object (Anthropic, YAML-written payloads). */
  readonly argsNode?: PNode;
  /** 'freeform': the arguments are plain text (OpenAI custom tools) and become `{ input: text }`. */
  readonly argsMode?: 'json' | 'freeform';
  /** What to call the arguments in messages: "arguments" (OpenAI) or "input" (Anthropic). */
  readonly argsField: string;
  /** A provider id that is not a string in the source (an MCP JSON-RPC id `1`): kept as callId. */
  readonly callId?: string;
  /** Streamed calls: where their arguments closed. */
  readonly stream?: ToolStreamPosition;
  /** Arguments already read as a value (an unwrapped parallel call, a streamed `input` object): used instead of argsNode. */
  readonly argsValue?: JsonValue;
}

/**
 * Ids for a batch of calls. Valid provider ids are kept (`call_abc`, `toolu_01…`) and claimed
 * first, so a derived id can never take a provider's; a provider id used twice is a duplicate-id
 * error (tool results could not be matched back to calls), and the second copy gets a suffix so
 * the batch still loads. Calls without a usable id get one derived from the provider id (invalid
 * characters → `_`) or, failing that, from the function name: `get_weather`, `get_weather_2`, …
 */
export function allocateIds(
  requests: readonly { readonly preferred?: string; readonly base: string; readonly idRange?: SourceRange }[],
): { ids: string[]; diagnostics: Diagnostic[] } {
  const used = new Set<string>();
  const firstAt = new Map<string, SourceRange | undefined>();
  const next = new Map<string, number>();
  const diagnostics: Diagnostic[] = [];
  const ids: (string | undefined)[] = new Array(requests.length).fill(undefined);
  const unique = (base: string): string => {
    if (!used.has(base)) {
      used.add(base);
      return base;
    }
    let k = next.get(base) ?? 2;
    while (used.has(`${base}_${k}`)) k++;
    next.set(base, k + 1);
    const id = `${base}_${k}`;
    used.add(id);
    return id;
  };
  // Pass 1: valid provider ids, in call order.
  requests.forEach((req, i) => {
    const p = req.preferred;
    if (p === undefined || !ID_PATTERN.test(p)) return;
    if (!used.has(p)) {
      used.add(p);
      firstAt.set(p, req.idRange);
      ids[i] = p;
      return;
    }
    const id = unique(p);
    ids[i] = id;
    const first = firstAt.get(p);
    if (req.idRange) {
      diagnostics.push(makeDiagnostic({
        code: 'duplicate-id', range: req.idRange, tools: [id],
        message: `Call id '${p}' is already used${first ? ` at line ${first.line}` : ''}. Each call in a batch needs its own id, or its result cannot be matched back to it: give this call a new id (Fanout calls it '${id}' for now).`,
      }));
    }
  });
  // Pass 2: everything else gets a derived id.
  requests.forEach((req, i) => {
    if (ids[i] !== undefined) return;
    const p = req.preferred;
    const base = p !== undefined && p.trim() !== '' ? sanitizeId(p, 'call') : sanitizeId(req.base, 'call');
    ids[i] = unique(base);
  });
  return { ids: ids as string[], diagnostics };
}

/** Any text → a valid id: invalid characters become `_`, and a leading digit or dash gets a prefix. */
export function sanitizeId(text: string, prefix: string): string {
  let s = text.slice(0, MAX_DERIVED_ID).replace(/[^A-Za-z0-9_-]/g, '_');
  if (s === '') s = prefix;
  else if (!/^[A-Za-z_]/.test(s)) s = `${prefix}_${s}`;
  return s;
}

/**
 * The call's arguments as a JSON object. OpenAI sends them as a JSON *string*, which models
 * sometimes break (cut off at max_tokens, single quotes, trailing prose). That is a warning, not
 * an error: the batch's shape is still worth analysing and simulating, while the real tool call
 * would fail. The raw text is kept as `{ _raw: "…" }` and the diagnostic points at the exact
 * character inside the string where the JSON goes wrong.
 */
export function readArguments(draft: CallDraft, id: string, ctx: ImportContext): { args: JsonObject; diagnostics: Diagnostic[] } {
  const node = draft.argsNode;
  const none = Object.create(null) as JsonObject;
  if (draft.argsValue !== undefined) {
    const v = draft.argsValue;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return { args: v as JsonObject, diagnostics: [] };
    if (v === null) return { args: none, diagnostics: [] };
  }
  if (!node || node.type === 'null') return { args: none, diagnostics: [] };
  const warn = (message: string, at: { offset: number; length: number } = node): Diagnostic =>
    makeDiagnostic({ code: 'parse-error', severity: 'warning', range: rangeOf(ctx, at), tools: [id], message });
  if (node.type === 'object') return { args: toValue(node) as JsonObject, diagnostics: [] };
  if (node.type !== 'string') {
    const value = toValue(node);
    return {
      args: wrap('_value', value),
      diagnostics: [warn(`The ${draft.argsField} of '${draft.name}' (call '${id}') are ${node.type === 'array' ? 'a list' : `a ${node.type}`}, not a JSON object. Tools take named arguments: write them as an object, e.g. {"query": "…"}. Fanout keeps the value as args._value.`)],
    };
  }
  if (draft.argsMode === 'freeform') return { args: wrap('input', node.value), diagnostics: [] };
  const text = node.value;
  if (text.trim() === '') return { args: none, diagnostics: [] };
  const raw = wrap('_raw', text);
  const depth = bracketDepth(text, MAX_DEPTH);
  if (depth > MAX_DEPTH) {
    return { args: raw, diagnostics: [warn(`The ${draft.argsField} of '${draft.name}' (call '${id}') are nested ${depth}+ levels deep; Fanout reads at most ${MAX_DEPTH}. It keeps the raw text as args._raw: flatten the arguments.`)] };
  }
  // Most arguments are valid JSON: JSON.parse first (several times faster than the position tree,
  // which is only needed to point at the error when there is one).
  const fast = parseFast(text);
  if (fast !== undefined && fast !== null && typeof fast === 'object' && !Array.isArray(fast)) return { args: fast as JsonObject, diagnostics: [] };
  const tree = parseJsonTree(text);
  if (tree.ok) {
    if (tree.root.type === 'object') return { args: toValue(tree.root) as JsonObject, diagnostics: [] };
    return {
      args: wrap('_value', toValue(tree.root)),
      diagnostics: [warn(`The ${draft.argsField} of '${draft.name}' (call '${id}') are JSON ${tree.root.type === 'array' ? 'list' : tree.root.type}, not a JSON object. Function arguments are an object of named parameters, e.g. "{\\"query\\": \\"…\\"}". Fanout keeps the value as args._value.`)],
    };
  }
  const problem = describeJsonError(text);
  const at = sourceOffsetInString(ctx.text, node, problem.index);
  return {
    args: raw,
    diagnostics: [warn(
      `The ${draft.argsField} of '${draft.name}' (call '${id}') are not valid JSON: ${problem.what} (at character ${problem.index + 1} of the string). The real tool call would fail; Fanout keeps the text as args._raw so the batch still loads. ${problem.fix}`,
      { offset: at, length: at === node.offset ? node.length : 1 },
    )],
  };
}

function wrap(key: string, value: JsonValue): JsonObject {
  const o = Object.create(null) as Record<string, JsonValue>;
  o[key] = value;
  return o;
}

/** The first JSON syntax error in a string, said in terms of what models typically get wrong. */
function describeJsonError(text: string): { index: number; what: string; fix: string } {
  let first: { code: string; offset: number } | undefined;
  jsonc.visit(text, {
    onError: (error, offset) => {
      if (!first) first = { code: jsonc.printParseErrorCode(error), offset };
    },
  }, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  const code = first?.code ?? 'ValueExpected';
  const index = Math.min(first?.offset ?? 0, Math.max(0, text.length - 1));
  const atEnd = (first?.offset ?? 0) >= text.trimEnd().length;
  const last = Math.max(0, text.trimEnd().length - 1);
  const cutOff = { what: 'the JSON is cut off before it ends', fix: 'The model probably ran out of tokens (finish_reason "length" / stop_reason "max_tokens"): raise the token limit or retry the call.' };
  switch (code) {
    case 'UnexpectedEndOfString':
      if (!/[\r\n]/.test(text.slice(first?.offset ?? 0))) return { index: last, ...cutOff, what: 'a string is not closed and the JSON is cut off' };
      return { index, what: 'a string is not closed', fix: 'Close the string with a double quote, and write line breaks inside strings as \\n.' };
    case 'CloseBraceExpected':
    case 'CloseBracketExpected':
    case 'ValueExpected':
    case 'UnexpectedEndOfNumber':
      if (atEnd) return { index: last, ...cutOff };
      break;
    case 'InvalidSymbol':
      if (text[first?.offset ?? 0] === "'") return { index, what: "single quotes: JSON strings and keys need double quotes", fix: 'Write the arguments as JSON, e.g. {"city": "Paris"}, not a Python dict.' };
      return { index, what: 'an unexpected character (an unquoted word or a stray symbol)', fix: 'Quote text values and keys with double quotes, e.g. {"city": "Paris"}.' };
    case 'PropertyNameExpected': return { index, what: 'expected a property name in double quotes', fix: 'Quote every key, e.g. {"city": "Paris"}, and remove a trailing comma if there is one.' };
    case 'CommaExpected': return { index, what: "expected ',' between two values", fix: 'Add the missing comma.' };
    case 'ColonExpected': return { index, what: "expected ':' after a key", fix: 'Write each argument as "key": value.' };
    case 'EndOfFileExpected': return { index, what: 'there is more text after the JSON object', fix: 'Keep only the JSON object: models sometimes emit two objects or trailing prose in one arguments string.' };
    default: break;
  }
  return { index, what: `${code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}`, fix: 'Make the arguments string a JSON object, e.g. {"city": "Paris"}.' };
}

/**
 * Where character `index` of a string's value stands in the source. Exact for JSON strings and
 * YAML quoted or plain single-line scalars; anything the walk cannot account for (folded YAML,
 * unusual escapes) falls back to the start of the string.
 */
export function sourceOffsetInString(text: string, node: StringNode, index: number): number {
  const start = node.offset;
  const end = node.offset + node.length;
  const quote = text[start];
  if (quote !== '"' && quote !== "'") {
    return text.slice(start, end) === node.value ? start + index : start;
  }
  let i = start + 1;
  let decoded = 0;
  let found = -1;
  const close = end - 1;
  while (i < close) {
    if (decoded === index) found = i;
    const c = text[i];
    if (quote === '"' && c === '\\') i += text[i + 1] === 'u' ? 6 : 2;
    else if (quote === "'" && c === "'" && text[i + 1] === "'") i += 2;
    else if (c === '\n' || c === '\r') return start; // folded: not 1:1
    else i++;
    decoded++;
  }
  if (i !== close || decoded !== node.value.length || found === -1) return start;
  return found;
}

/** A draft's args and ids resolved into tools, in call order. */
export function buildTools(drafts: readonly CallDraft[], ctx: ImportContext): { tools: ImportedToolSpec[]; diagnostics: Diagnostic[] } {
  const alloc = allocateIds(drafts.map((d) => ({
    preferred: d.providerId?.value ?? d.callId,
    base: d.name,
    ...(d.providerId ? { idRange: rangeOf(ctx, d.providerId) } : {}),
  })));
  const diagnostics = alloc.diagnostics;
  const tools = drafts.map((d, index): ImportedToolSpec => {
    const id = alloc.ids[index];
    const { args, diagnostics: argDiags } = readArguments(d, id, ctx);
    for (const x of argDiags) diagnostics.push(x);
    const ranges: ToolRanges = {
      tool: rangeOf(ctx, d.node),
      ...(d.providerId ? { id: rangeOf(ctx, d.providerId) } : {}),
      ...(d.argsNode ? { args: rangeOf(ctx, d.argsNode) } : {}),
    };
    const callId = d.providerId?.value ?? d.callId;
    return importedTool({ id, label: d.name, args, index, ranges, estimateMs: ctx.defaultEstimateMs,
      ...(callId !== undefined ? { callId } : {}), ...(d.stream ? { stream: d.stream } : {}) });
  });
  return { tools, diagnostics };
}

/** Per-call problems shown in full up to this many per code; a generated batch of 100k broken calls gets a summary. */
export const MAX_PER_CODE = 100;

/** The first MAX_PER_CODE diagnostics of each code, then one line that says how many more there are. */
export function capPerCode(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Map<string, number>();
  const out: Diagnostic[] = [];
  const dropped = new Map<string, { first: Diagnostic; n: number }>();
  for (const d of diagnostics) {
    const n = (seen.get(d.code) ?? 0) + 1;
    seen.set(d.code, n);
    if (n <= MAX_PER_CODE) out.push(d);
    else {
      const x = dropped.get(d.code);
      if (x) x.n++;
      else dropped.set(d.code, { first: d, n: 1 });
    }
  }
  for (const { first, n } of dropped.values()) {
    out.push(makeDiagnostic({ code: first.code, severity: first.severity, range: first.range,
      message: `…and ${n} more ${first.code} problem${n === 1 ? '' : 's'} like the ones above (only the first ${MAX_PER_CODE} are listed). Fix those and the rest will show.` }));
  }
  return out;
}

export function importedTool(t: {
  id: string; label: string; args: JsonObject; index: number; ranges: ToolRanges; estimateMs: number;
  dependsOn?: readonly string[]; description?: string; callId?: string; stream?: ToolStreamPosition;
}): ImportedToolSpec {
  return {
    id: t.id,
    kind: 'simulate',
    label: t.label,
    args: t.args,
    dependsOn: t.dependsOn ?? [],
    writes: [],
    estimateMs: t.estimateMs,
    index: t.index,
    ranges: t.ranges,
    ...(t.description !== undefined ? { description: t.description } : {}),
    ...(t.callId !== undefined ? { callId: t.callId } : {}),
    ...(t.stream ? { stream: t.stream } : {}),
  };
}

/** An imported plan: no caps, no defaults, 'text' syntax (quick fixes never edit provider payloads). */
export function importedPlan(format: PlanFormat, name: string, tools: readonly ImportedToolSpec[], root: SourceRange, stream?: PlanStreamInfo): Plan {
  return {
    ...(stream ? { stream } : {}),
    name,
    format,
    syntax: 'text',
    limits: Object.create(null) as Record<string, number>,
    failurePolicy: 'skip-dependents',
    defaults: {},
    dedupe: false,
    tools,
    ranges: { root },
  };
}

/** "3 calls" / "1 call". */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** A model name fit for a plan title: short, one line. */
export function modelSuffix(root: PNode): string {
  const m = strValue(root, 'model');
  if (!m) return '';
  const clean = m.replace(/\s+/g, ' ').trim().slice(0, 60);
  return clean ? ` · ${clean}` : '';
}

/** Names the wrapper goes by: Chat Completions writes `multi_tool_use.parallel`, Responses streams `parallel`. */
const PARALLEL_WRAPPERS = new Set(['multi_tool_use.parallel', 'parallel']);

/**
 * Some models emit their parallel calls wrapped in one call to `multi_tool_use.parallel`, whose
 * arguments are `{ tool_uses: [{ recipient_name: "functions.X", parameters: {…} }] }` (an
 * artefact of how the model was trained; the SDKs pass it through). Each wrapped call becomes
 * its own call, ids `<wrapper id>_1`, `_2`…, with one warning: the client must do the same
 * unwrapping, or its handler lookup for "multi_tool_use.parallel" fails.
 */
export function unwrapParallelCalls(drafts: readonly CallDraft[], ctx: ImportContext, diagnostics: Diagnostic[]): CallDraft[] {
  if (!drafts.some((d) => PARALLEL_WRAPPERS.has(d.name))) return [...drafts];
  const out: CallDraft[] = [];
  for (const d of drafts) {
    const uses = PARALLEL_WRAPPERS.has(d.name) ? toolUses(d) : undefined;
    if (!uses) { out.push(d); continue; }
    const base = d.providerId?.value ?? d.callId ?? 'parallel';
    uses.forEach((u, k) => {
      out.push({ name: u.name, node: d.node, argsField: 'parameters', callId: `${base}_${k + 1}`, argsValue: u.args, ...(d.stream ? { stream: d.stream } : {}) });
    });
    diagnostics.push(makeDiagnostic({ code: 'parse-error', severity: 'warning', range: rangeOf(ctx, d.node),
      message: `This call to '${d.name}' wraps ${count(uses.length, 'call')} (${uses.slice(0, 5).map((u) => u.name).join(', ')}${uses.length > 5 ? ', …' : ''}): the multi_tool_use.parallel wrapper. Fanout imports the wrapped calls; your client must unwrap it the same way (call each recipient_name without its "functions." prefix, with its parameters).` }));
  }
  return out;
}

function toolUses(d: CallDraft): { name: string; args: JsonValue }[] | undefined {
  let value: unknown = d.argsValue;
  if (value === undefined && d.argsNode?.type === 'string') {
    try { value = JSON.parse(d.argsNode.value); } catch { return undefined; }
  } else if (value === undefined && d.argsNode?.type === 'object') value = toValue(d.argsNode);
  const uses = (value as { tool_uses?: unknown } | null)?.tool_uses;
  if (!Array.isArray(uses) || uses.length === 0) return undefined;
  const out: { name: string; args: JsonValue }[] = [];
  for (const u of uses as { recipient_name?: unknown; parameters?: unknown }[]) {
    if (typeof u?.recipient_name !== 'string') return undefined;
    out.push({ name: u.recipient_name.replace(/^functions\./, ''), args: (u.parameters ?? null) as JsonValue });
  }
  return out;
}

/** JSON.parse with null-prototype objects (keys like `__proto__` stay data), or undefined when the text is not JSON. */
function parseFast(text: string): JsonValue | undefined {
  let v: unknown;
  try { v = JSON.parse(text); } catch { return undefined; }
  return nullProto(v);
}

function nullProto(v: unknown): JsonValue {
  if (Array.isArray(v)) return v.map(nullProto);
  if (v === null || typeof v !== 'object') return v as JsonValue;
  const out = nullObject<JsonValue>();
  for (const k of Object.keys(v)) out[k] = nullProto((v as Record<string, unknown>)[k]);
  return out;
}

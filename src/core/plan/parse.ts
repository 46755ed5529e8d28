import { makeDiagnostic, sortDiagnostics } from './diagnostics';
import { TEXT_IMPORTERS, TREE_IMPORTERS } from './importers';
import { parsePythonRepr, PY_REPR_START, PY_STR_START, type ReprOptions } from './pyrepr';
import type { ImportContext, ImportResult } from './importers/types';
import { readNativePlan } from './native';
import { detectStream } from './importers/streamEvents';
import { importStream } from './importers/streams';
import { LineIndex, START_RANGE } from './positions';
import { bracketDepth, get, MAX_DEPTH, parseJsonTree, parseYamlTree, type PNode, type TreeResult } from './tree';
import type { Diagnostic, ParseOptions, ParseResult, PlanFormat } from './types';
import { DEFAULT_ESTIMATE_MS } from './types';

/** Larger inputs are refused outright: a 100k-tool plan is about 10 MB. */
export const MAX_PLAN_BYTES = 64 * 1024 * 1024;

/**
 * Text → Plan. Detects the format (native JSON/YAML, OpenAI, OpenAI Responses, Anthropic,
 * LLMCompiler), accepts a selection wrapped in a Markdown code fence, and never throws: every
 * problem is a diagnostic with a 1-based line and column.
 */
export function parsePlan(input: string, options: ParseOptions = {}): ParseResult {
  try {
    return parseUnchecked(input, options);
  } catch (err) {
    // Last line of defence (e.g. a stack overflow in a dependency): a clean error, not a crash.
    const detail = err instanceof Error ? err.message : String(err);
    return { text: input, diagnostics: [fail(`Could not read this plan (${detail}). Simplify the input or report this as a bug.`)] };
  }
}

function parseUnchecked(input: string, options: ParseOptions): ParseResult {
  // A UTF-8 byte order mark (Windows editors add one) is not part of the plan, and editors do not
  // count it as a column.
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const lines = new LineIndex(text);
  const fileName = options.fileName ?? '';
  const fail1 = (message: string, offset = 0, length = 0): ParseResult => ({
    text, diagnostics: [makeDiagnostic({ code: 'parse-error', message, range: lines.range(offset, length) })],
  });

  if (text.length > MAX_PLAN_BYTES) return fail1(`The input is ${(text.length / 1048576).toFixed(0)} MB; plans are limited to ${MAX_PLAN_BYTES / 1048576} MB. Split the plan.`);
  const nul = text.indexOf('\u0000');
  if (nul !== -1 || looksBinary(text)) return fail1('This looks like a binary file, not a tool plan. Open a .toolplan.json/.yaml file or select the JSON/text of a tool plan.', Math.max(0, nul));
  const body = stripFence(text);
  if (body.text.trim() === '') return fail1(`The plan is empty. Write a plan ({ "tools": [ … ] }) or select a tool-call payload (an OpenAI, Anthropic, Gemini… message or response, a recorded stream, an LLMCompiler plan) and try again.`);
  const fallbackName = baseName(fileName) || 'Untitled plan';
  const ctx: ImportContext = { text, lines, defaultEstimateMs: options.defaultEstimateMs ?? DEFAULT_ESTIMATE_MS, fallbackName };
  const isYamlFile = /\.ya?ml$/i.test(fileName);
  // Recorded streams (SSE, JSON lines) are many small JSON values, each parsed on its own (and
  // bounded by JSON.parse): read them before the whole-text checks meant for one tree.
  const streamSyntax = isYamlFile ? undefined : detectStream(body.text);
  if (streamSyntax) return finish(text, importStream(body.text, body.offset, streamSyntax, ctx));
  const depth = bracketDepth(body.text, MAX_DEPTH);
  if (depth > MAX_DEPTH) return fail1(`The input is nested ${depth}+ levels deep; plans are limited to ${MAX_DEPTH}. Flatten the arguments.`);

  const trimmed = body.text.trimStart();
  const isJsonFile = /\.jsonc?$/i.test(fileName);

  // Text formats first: an LLMCompiler plan is not JSON, and would parse as a YAML string.
  if (!isJsonFile && ((!trimmed.startsWith('{') && !trimmed.startsWith('[')) || PY_LIST_START.test(trimmed))) {
    for (const imp of TEXT_IMPORTERS) if (imp.detect(body.text)) return finish(text, imp.import(ctx), imp.format);
    // print(message) of an SDK object: `ChatCompletionMessage(…, tool_calls=[…])` (pyrepr.ts).
    if (!isYamlFile && (PY_REPR_START.test(body.text) || PY_LIST_START.test(trimmed) || (PY_STR_START.test(body.text) && PY_CLASS.test(body.text)))) {
      const repr = parsePythonRepr(body.text, GENAI_CLASSES.test(body.text) ? GENAI_REPR : {});
      if (!repr.ok) {
        const e = repr.errors[0];
        return fail1(`${e.message} This looks like a Python object as print() shows it; if it was cut or reformatted, paste its JSON instead (model_dump_json()).`, e.offset + body.offset, e.length);
      }
      const root = body.offset ? shift(repr.root, body.offset) : repr.root;
      for (const imp of TREE_IMPORTERS) if (imp.detect(root)) return finish(text, imp.import(root, ctx), imp.format);
      if (root.type === 'object' && isSingleCall(root)) {
        const list: PNode = { type: 'array', offset: root.offset, length: root.length, items: [root] };
        for (const imp of TREE_IMPORTERS) if (imp.detect(list)) return finish(text, imp.import(list, ctx), imp.format);
      }
      const name = PY_STR_START.test(body.text) ? undefined : /^[\s[]*([A-Za-z_][A-Za-z0-9_.]*)/.exec(body.text)?.[1];
      const what = name ? `${name}(…)` : 'object';
      return fail1(`This printed Python ${what} holds no tool calls Fanout knows. Print the message or response that has them (e.g. response.choices[0].message, a Message whose content has ToolUseBlock items, or a Gemini response whose parts have a function_call).`, body.offset, name?.length ?? 0);
    }
  }

  let tree: TreeResult;
  let syntax: 'json' | 'yaml';
  if (isJsonFile || (!isYamlFile && (trimmed.startsWith('{') || trimmed.startsWith('[')))) {
    syntax = 'json';
    tree = parseJsonTree(body.text);
    // A YAML plan saved as .json (it happens): read it as YAML when that gives a mapping; any
    // other failure keeps the JSON error, which is the one that explains a broken JSON file.
    if (!tree.ok && !trimmed.startsWith('{') && !trimmed.startsWith('[')) {
      const yaml = parseYamlTree(body.text);
      if (yaml.ok && yaml.root.type === 'object') {
        syntax = 'yaml';
        tree = yaml;
      }
    }
  } else {
    syntax = 'yaml';
    tree = parseYamlTree(body.text);
  }
  if (!tree.ok) {
    return {
      text,
      diagnostics: tree.errors.slice(0, 20).map((err) => makeDiagnostic({ code: 'parse-error', message: err.message, range: lines.range(err.offset + body.offset, err.length) })),
    };
  }
  const root = body.offset ? shift(tree.root, body.offset) : tree.root;
  if (root.type === 'object' && get(root, 'tools') && !isProviderPayload(root)) {
    return finish(text, readNativePlan(root, { lines, syntax, fallbackName }));
  }
  for (const imp of TREE_IMPORTERS) if (imp.detect(root)) return finish(text, imp.import(root, ctx), imp.format);
  // One call on its own (a tool_use block, a function_call item, a tool_calls entry) is a batch of one.
  if (root.type === 'object' && isSingleCall(root)) {
    const list: PNode = { type: 'array', offset: root.offset, length: root.length, items: [root] };
    for (const imp of TREE_IMPORTERS) if (imp.detect(list)) return finish(text, imp.import(list, ctx), imp.format);
  }
  if (root.type !== 'object') {
    return fail1(`A tool plan is an object with a "tools" list, but this is ${root.type === 'array' ? 'a list' : root.type === 'null' ? 'null' : `a ${root.type}`}. Wrap it as { "tools": [ … ] }, or select a provider's message or response with its tool calls (every format Fanout reads is in the README, "Imported formats").`, root.offset, root.length);
  }
  return fail1(`No tool calls found. Fanout reads its own plans ({ "tools": [ … ] }) and ${KNOWN_PAYLOADS}. Add a "tools" list or select one of those (README, "Imported formats").`, root.offset, root.length);
}

/** What the "no calls" messages name: every payload the importers read (importers/index.ts). */
const KNOWN_PAYLOADS = 'the tool calls of OpenAI Chat and Responses, Anthropic, Gemini, Bedrock Converse, the Vercel AI SDK, LangChain/LangGraph, MCP tools/call, Ollama, Cohere, LLMCompiler plans ("1. tool(args)"), their recorded streams and Python print() output';

/** A printed list of objects (`print(response.candidates)`): `[Candidate(`, never JSON. */
const PY_LIST_START = /^\[\s*[A-Za-z_][A-Za-z0-9_.]*\(/;
/** A printed object somewhere in the text: `Name(`. */
const PY_CLASS = /[A-Za-z_][A-Za-z0-9_]*\(/;
/**
 * google-genai's classes, as print() shows them (`Part(function_call=FunctionCall(…))`). Their
 * fields are snake_case where the API's JSON is camelCase: renamed for the Gemini importer, and
 * enum members (`<FinishReason.MAX_TOKENS: 'MAX_TOKENS'>`) read as their values.
 */
const GENAI_CLASSES = /\b(?:GenerateContentResponse|Candidate|Part|FunctionCall)\(/;
const GENAI_REPR: ReprOptions = { fieldKey: (f) => f.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()), enumValues: true };

/**
 * Provider requests and responses can carry a `tools` list too (the tool *definitions* of a Chat or
 * Messages request, the echo in a Responses response); their conversation or output list tells
 * them apart from a native plan, which has none of these keys.
 */
function isProviderPayload(root: PNode): boolean {
  return ['messages', 'input', 'output', 'choices', 'contents', 'candidates'].some((k) => get(root, k)?.type === 'array');
}

function isSingleCall(root: PNode): boolean {
  const type = get(root, 'type');
  if (type?.type !== 'string') return false;
  if (type.value === 'tool_use' || type.value === 'function_call') return true;
  return type.value === 'function' && get(root, 'function')?.type === 'object';
}

function finish(text: string, result: ImportResult, detected?: PlanFormat): ParseResult {
  const format = result.plan?.format ?? result.format ?? detected;
  return { text, diagnostics: sortDiagnostics(result.diagnostics), ...(result.plan ? { plan: result.plan } : {}), ...(format ? { format } : {}) };
}

function fail(message: string): Diagnostic {
  return makeDiagnostic({ code: 'parse-error', message, range: START_RANGE });
}

/** Control characters (other than tab/newline/CR/form feed) in the first 8 KB mean binary. */
function looksBinary(text: string): boolean {
  const n = Math.min(text.length, 8192);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) bad++;
  }
  return n > 0 && bad / n > 0.1;
}

/** A selection copied from Markdown: ```json … ``` → the inside, keeping offsets into the original. */
function stripFence(text: string): { text: string; offset: number } {
  const m = /^\s*(`{3,}|~{3,})[^\n]*\n/.exec(text);
  if (!m) return { text, offset: 0 };
  const start = m[0].length;
  const close = text.lastIndexOf(m[1]);
  const end = close >= start ? close : text.length;
  return { text: text.slice(start, end), offset: start };
}

function shift(node: PNode, by: number): PNode {
  switch (node.type) {
    case 'object':
      return { ...node, offset: node.offset + by, properties: node.properties.map((p) => ({ ...p, keyOffset: p.keyOffset + by, value: shift(p.value, by) })) };
    case 'array':
      return { ...node, offset: node.offset + by, items: node.items.map((i) => shift(i, by)) };
    default:
      return { ...node, offset: node.offset + by };
  }
}

function baseName(fileName: string): string {
  const b = fileName.split(/[\\/]/).pop() ?? '';
  return b.replace(/\.toolplan\.(json|ya?ml)$/i, '').replace(/\.(json|ya?ml|txt|md)$/i, '');
}

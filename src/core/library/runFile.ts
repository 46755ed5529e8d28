// Run files (README "Use it in your agent", "Run records"): what `runToolCalls({ recordFile })`
// writes and what `fanout show RUN` reads. A run file is the `fanout run --json` record (DESIGN §3)
// with a few added fields: `fanoutRun` (the file version), `name`, `recordedAt`, and per tool the
// function `label`, the provider's `callId` and the `args` it was called with. A plain
// `fanout run --json` / `simulate --json` record is a run file too (without the extras).
import { statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { AttemptRecord, RunRecord, RunStatus, ToolRecord, ToolStatus } from '../engine/types';
import type { JsonObject, JsonValue } from '../plan/types';
import { LineIndex } from '../plan/positions';
import { bracketDepth, parseJsonTree, toValue, type PNode } from '../plan/tree';

export const RUN_FILE_VERSION = 1;
/** The extension VS Code and `fanout show` recognise; any name works for `show`. */
export const RUN_FILE_SUFFIX = '.fanoutrun.json';

/** One tool of a run file: the record's tool plus where it came from. */
export interface RunFileTool extends ToolRecord {
  /** The function name (runToolCalls) or the plan tool's label. */
  readonly label?: string;
  /** The provider's call id (runToolCalls). */
  readonly callId?: string;
  readonly args?: JsonObject;
}

export interface RunFile extends RunRecord {
  readonly fanoutRun?: number;
  readonly name?: string;
  /** ISO 8601 wall time of the run's start. */
  readonly recordedAt?: string;
  readonly tools: readonly RunFileTool[];
}

/** A problem in a run file, 1-based position. */
export interface RunFileError {
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

export type ReadRunFileResult = { readonly ok: true; readonly run: RunFile } | { readonly ok: false; readonly errors: readonly RunFileError[] };

const TOOL_STATUSES: readonly ToolStatus[] = ['succeeded', 'failed', 'skipped', 'cancelled', 'timed-out', 'denied'];
const RUN_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled'];
const MAX_NESTING = 1000;
const MAX_ERRORS = 20;

/**
 * Why `path` cannot take a run file (its directory is missing, it is a directory), or null.
 * Synchronous stats (one when the file exists, two when it does not): this runs before the batch
 * starts, on its critical path.
 */
export function runFilePathProblem(path: string): string | null {
  return resolvedRunFilePathProblem(path, resolve(path));
}

/** The same, given `target`, the path already resolved (runToolCalls resolves it once for the check and the write). */
export function resolvedRunFilePathProblem(path: string, target: string): string | null {
  let st: Stats | undefined;
  try {
    st = statSync(target, { throwIfNoEntry: false });
  } catch {
    st = undefined; // e.g. a parent that is a file (ENOTDIR): the directory check below says so
  }
  if (st) return st.isDirectory() ? `"${path}" is a directory; give a file name such as run${RUN_FILE_SUFFIX}` : null;
  let dir: Stats | undefined;
  try {
    dir = statSync(dirname(target), { throwIfNoEntry: false });
  } catch {
    dir = undefined;
  }
  if (!dir) return `the directory "${dirname(path)}" does not exist; create it or choose another path`;
  if (!dir.isDirectory()) return `"${dirname(path)}" is not a directory`;
  return null;
}

/** Parses and checks a run file; every error has the line and column of the offending value. */
export function readRunFile(text: string): ReadRunFileResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = new LineIndex(body);
  const at = (offset: number, message: string): RunFileError => ({ message, ...lines.position(offset) });
  if (body.trim() === '') return { ok: false, errors: [at(0, 'The run file is empty. Give a file written by runToolCalls({ recordFile }) or by fanout run --json.')] };
  if (bracketDepth(body, MAX_NESTING) > MAX_NESTING) return { ok: false, errors: [at(0, `The run file nests deeper than ${MAX_NESTING} levels; a run record is a few levels deep.`)] };
  const tree = parseJsonTree(body);
  if (!tree.ok) return { ok: false, errors: tree.errors.slice(0, MAX_ERRORS).map((e) => at(e.offset, `Not valid JSON: ${e.message}`)) };
  const errors: RunFileError[] = [];
  const fail = (node: PNode, message: string): void => {
    if (errors.length < MAX_ERRORS) errors.push(at(node.offset, message));
  };
  const root = tree.root;
  if (root.type !== 'object') {
    fail(root, `A run file is an object { status, makespanMs, tools: [...] }, not ${describe(root)}.`);
    return { ok: false, errors };
  }
  const field = (node: PNode & { type: 'object' }, key: string): PNode | undefined => {
    for (let i = node.properties.length - 1; i >= 0; i--) if (node.properties[i]!.key === key) return node.properties[i]!.value;
    return undefined;
  };
  const status = field(root, 'status');
  const toolsNode = field(root, 'tools');
  if (!toolsNode) fail(root, 'The run file has no "tools" list: expected { status, makespanMs, tools: [...] } as written by runToolCalls({ recordFile }) or fanout run --json.');
  else if (toolsNode.type !== 'array') fail(toolsNode, `"tools" must be a list of tool records, not ${describe(toolsNode)}.`);
  if (!status) fail(root, `The run file has no "status": expected one of ${list(RUN_STATUSES)}.`);
  else if (status.type !== 'string' || !(RUN_STATUSES as readonly string[]).includes(status.value)) fail(status, `"status" must be one of ${list(RUN_STATUSES)}, not ${describe(status)}.`);
  const ms = (node: PNode, key: string, required: boolean, what = 'a time in ms from the run start', name = key): void => {
    const v = node.type === 'object' ? field(node, key) : undefined;
    if (!v) {
      if (required) fail(node, `"${name}" is missing: ${what}.`);
      return;
    }
    if (v.type === 'null' && !required) return;
    if (v.type !== 'number' || !(v.value >= 0)) fail(v, `"${name}" must be ${what} (a number ≥ 0${required ? '' : ' or null'}), not ${describe(v)}.`);
  };
  ms(root, 'makespanMs', true);
  for (const key of ['sequentialMs', 'criticalPathMs', 'lowerBoundMs']) ms(root, key, false, 'a duration in ms');
  ms(root, 'maxObservedConcurrency', false, 'a count of tools');
  const caps = field(root, 'caps');
  if (caps) checkCaps(caps, field, fail);
  const ids = new Set<string>();
  if (toolsNode?.type === 'array') {
    toolsNode.items.forEach((t, i) => {
      const where = `tools[${i}]`;
      if (t.type !== 'object') return fail(t, `${where} must be a tool record { id, status, startedAt, endedAt, attempts }, not ${describe(t)}.`);
      const id = field(t, 'id');
      if (!id) fail(t, `${where} has no "id".`);
      else if (id.type !== 'string' || id.value === '') fail(id, `${where}.id must be a non-empty string, not ${describe(id)}.`);
      else if (ids.has(id.value)) fail(id, `${where}.id "${id.value}" is used by an earlier tool; ids in a run file are unique.`);
      else ids.add(id.value);
      const s = field(t, 'status');
      if (!s) fail(t, `${where} has no "status": expected one of ${list(TOOL_STATUSES)}.`);
      else if (s.type !== 'string' || !(TOOL_STATUSES as readonly string[]).includes(s.value)) fail(s, `${where}.status must be one of ${list(TOOL_STATUSES)}, not ${describe(s)}.`);
      for (const key of ['queuedAt', 'startedAt', 'endedAt']) ms(t, key, false, undefined, `${where}.${key}`);
      const attempts = field(t, 'attempts');
      if (attempts && attempts.type !== 'array') fail(attempts, `${where}.attempts must be a list of { startedAt, endedAt, error }, not ${describe(attempts)}.`);
      else if (attempts) {
        attempts.items.forEach((a, j) => {
          if (a.type !== 'object') return fail(a, `${where}.attempts[${j}] must be { startedAt, endedAt, error }, not ${describe(a)}.`);
          ms(a, 'startedAt', true, undefined, `${where}.attempts[${j}].startedAt`);
          ms(a, 'endedAt', true, undefined, `${where}.attempts[${j}].endedAt`);
        });
      }
      for (const key of ['error', 'label', 'callId']) {
        const v = field(t, key);
        if (v && v.type !== 'string' && v.type !== 'null') fail(v, `${where}.${key} must be a string${key === 'error' ? ' or null' : ''}, not ${describe(v)}.`);
      }
    });
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, run: normalise(toValue(root) as JsonObject) };
}

/** `caps` (RunRecord.caps): { maxConcurrency: n | null, limits: { resource: n | { max, adaptive: true, min } } }. */
function checkCaps(
  caps: PNode, field: (node: PNode & { type: 'object' }, key: string) => PNode | undefined, fail: (node: PNode, message: string) => void,
): void {
  const count = (v: PNode): boolean => v.type === 'number' && Number.isInteger(v.value) && v.value >= 1;
  if (caps.type !== 'object') return fail(caps, `"caps" must be { maxConcurrency, limits } (the caps the run ran under), not ${describe(caps)}.`);
  const max = field(caps, 'maxConcurrency');
  if (!max) fail(caps, '"caps.maxConcurrency" is missing: the global cap, a whole number ≥ 1, or null for none.');
  else if (max.type !== 'null' && !count(max)) fail(max, `"caps.maxConcurrency" must be a whole number ≥ 1 or null (no cap), not ${describe(max)}.`);
  const limits = field(caps, 'limits');
  if (!limits) return fail(caps, '"caps.limits" is missing: the per-resource limits, {} when there were none.');
  if (limits.type !== 'object') return fail(limits, `"caps.limits" must be an object of resource: limit, not ${describe(limits)}.`);
  for (const p of limits.properties) {
    const v = p.value;
    const at = `caps.limits.${p.key.length > 40 ? `${p.key.slice(0, 40)}…` : p.key}`;
    if (count(v)) continue;
    if (v.type !== 'object') {
      fail(v, `"${at}" must be a whole number ≥ 1 or { max, adaptive: true, min }, not ${describe(v)}.`);
      continue;
    }
    const m = field(v, 'max');
    const a = field(v, 'adaptive');
    const lo = field(v, 'min');
    if (!m || !count(m)) fail(m ?? v, `"${at}.max" must be a whole number ≥ 1${m ? `, not ${describe(m)}` : ' (it is missing)'}.`);
    if (!a || a.type !== 'boolean' || !a.value) fail(a ?? v, `"${at}.adaptive" must be true (an object limit is an adaptive one)${a ? `, not ${describe(a)}` : ''}.`);
    if (!lo || !count(lo)) fail(lo ?? v, `"${at}.min" must be a whole number ≥ 1${lo ? `, not ${describe(lo)}` : ' (it is missing)'}.`);
  }
}

/** Fills what a checked file may leave out, so renderers get a complete RunRecord. */
function normalise(doc: JsonObject): RunFile {
  const num = (v: JsonValue | undefined): number => (typeof v === 'number' ? v : 0);
  const orNull = (v: JsonValue | undefined): number | null => (typeof v === 'number' ? v : null);
  const tools = (doc.tools as JsonObject[]).map((t): RunFileTool => ({
    ...(t as object),
    id: t.id as string,
    status: t.status as ToolStatus,
    queuedAt: orNull(t.queuedAt),
    startedAt: orNull(t.startedAt),
    endedAt: orNull(t.endedAt),
    attempts: Array.isArray(t.attempts) ? (t.attempts as JsonObject[]).map((a): AttemptRecord => ({ ...(a as object), startedAt: a.startedAt as number, endedAt: a.endedAt as number, error: typeof a.error === 'string' ? a.error : null })) : [],
    output: t.output ?? null,
    error: typeof t.error === 'string' ? t.error : null,
  }));
  return {
    ...(doc as object),
    status: doc.status as RunStatus,
    makespanMs: num(doc.makespanMs),
    sequentialMs: num(doc.sequentialMs),
    criticalPathMs: num(doc.criticalPathMs),
    lowerBoundMs: num(doc.lowerBoundMs),
    maxObservedConcurrency: num(doc.maxObservedConcurrency),
    tools,
  };
}

function describe(node: PNode): string {
  switch (node.type) {
    case 'object': return 'an object';
    case 'array': return 'a list';
    case 'null': return 'null';
    case 'string': return JSON.stringify(node.value.length > 40 ? `${node.value.slice(0, 40)}…` : node.value);
    default: return String(node.value);
  }
}

function list(values: readonly string[]): string {
  return values.map((v) => `"${v}"`).join(', ');
}

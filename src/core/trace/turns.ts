// Rebuilding what the agent did from a normalised trace: its turns (model calls), the batch of
// tool calls each turn emitted, and each call's real times and outcome.
//
// Tool spans are matched to the turn that asked for them by call id first (gen_ai.tool.call.id,
// tool_call.id… against the ids in the turn's captured output), then by tool name and arguments,
// and only then by timing (the latest turn that ended before the call started). Parent ids are
// not trusted for this: parallel tool spans are often parented to the wrong span in real traces.
// Whatever had to be guessed is said in `notes`.
import type { JsonValue } from '../plan/types';
import type { EmittedCall, NormalisedTrace, TraceFormat, TraceSpan, Writable } from './model';
import { maxOf } from './values';

export type CallStatus = 'succeeded' | 'failed' | 'cancelled' | 'timed-out' | 'unfinished';
export type MatchedBy = 'call-id' | 'name' | 'timing' | 'none';

export interface Turn {
  readonly index: number;
  readonly id: string;
  readonly span: TraceSpan | null;
  /** ms from the trace start. */
  readonly startedAt: number;
  readonly endedAt: number;
  /** Tool indices of the batch this turn emitted, in start order. */
  readonly calls: number[];
  /** The calls the model asked for, when its output was captured. */
  readonly emitted?: readonly EmittedCall[];
  /** Agent lane: turns of one conversation follow each other; lanes may overlap. */
  readonly lane: string;
  /** Position of this turn within its lane. */
  readonly step: number;
}

export interface ToolCall {
  readonly index: number;
  readonly id: string;
  readonly name: string;
  /** Index of the emitting turn, or -1 when no turn could be found. */
  turn: number;
  matchedBy: MatchedBy;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly status: CallStatus;
  readonly error?: string;
  readonly callId?: string;
  readonly arguments?: JsonValue;
  /** canonical(arguments), computed once: the retry and duplicate rules compare calls by it. */
  readonly argsKey?: string;
  readonly result?: JsonValue;
  readonly span: TraceSpan;
  /** When it could have started at the earliest (Fanout records' queuedAt), ms from the trace start. */
  readonly readyAt?: number;
}

export interface Rebuilt {
  readonly format: TraceFormat;
  /** Absolute ms of the trace start (the earliest span start). */
  readonly origin: number;
  readonly turns: readonly Turn[];
  readonly tools: readonly ToolCall[];
  /** From the trace start to the last span's end. */
  readonly actualMs: number;
  readonly notes: readonly string[];
  /** Tool arguments and results were both captured (data-flow evidence is available). */
  readonly contentCaptured: boolean;
  /** The trace had no model spans: one synthetic turn holds every call. */
  readonly synthetic: boolean;
}

/** A tool call that starts within this much of a turn's end still counts as after it (clock skew). */
const SKEW_MS = 5;

export function rebuildTurns(trace: NormalisedTrace): Rebuilt {
  const notes = [...trace.notes];
  const byId = new Map<string, TraceSpan>();
  for (const s of trace.spans) if (!byId.has(s.id)) byId.set(s.id, s);
  const spans = trace.spans.filter((s) => Number.isFinite(s.startMs));
  if (spans.length === 0) return empty(trace.format, notes);

  // Nearest ancestor of each role, memoised (trees can be deep: iterate, never recurse).
  const insideTool = ancestorFlag(spans, byId, (s) => s.role === 'tool');
  const insideModel = ancestorFlag(spans, byId, (s) => s.role === 'model');
  let origin = Infinity;
  let last = -Infinity;
  for (const s of spans) {
    if (s.startMs < origin) origin = s.startMs;
    const end = Number.isFinite(s.endMs) ? s.endMs : s.startMs;
    if (end > last) last = end;
  }
  const actualMs = Math.max(0, last - origin);
  const rel = (ms: number): number => ms - origin;

  let nestedModels = 0;
  let nestedTools = 0;
  const modelSpans: TraceSpan[] = [];
  const toolSpans: TraceSpan[] = [];
  for (const s of spans) {
    if (s.role === 'model') {
      if (insideTool.has(s.id)) nestedModels++;
      else if (!insideModel.has(s.id)) modelSpans.push(s);
    } else if (s.role === 'tool') {
      if (insideTool.has(s.id)) nestedTools++;
      else toolSpans.push(s);
    }
  }
  if (nestedModels > 0) notes.push(`${nestedModels} model call${nestedModels === 1 ? '' : 's'} inside tool calls (sub-agents) counted as part of those tools' time.`);
  if (nestedTools > 0) notes.push(`${nestedTools} tool span${nestedTools === 1 ? '' : 's'} nested inside other tool spans counted as part of the outer call.`);
  modelSpans.sort((a, b) => a.startMs - b.startMs);
  toolSpans.sort((a, b) => a.startMs - b.startMs);

  const laneOf = (s: TraceSpan): string => {
    let p = s.parentId ? byId.get(s.parentId) : undefined;
    for (let guard = 0; p && guard < 10_000; guard++) {
      if (p.role === 'agent') return p.id;
      p = p.parentId ? byId.get(p.parentId) : undefined;
    }
    return s.traceId;
  };

  const synthetic = modelSpans.length === 0;
  const turns: Turn[] = [];
  const laneSteps = new Map<string, number>();
  if (synthetic) {
    turns.push({ index: 0, id: 'tools', span: null, startedAt: 0, endedAt: 0, calls: [], lane: 'tools', step: 0 });
  } else {
    for (const s of modelSpans) {
      const lane = laneOf(s);
      const step = laneSteps.get(lane) ?? 0;
      laneSteps.set(lane, step + 1);
      const end = Number.isFinite(s.endMs) ? s.endMs : s.startMs;
      turns.push({ index: turns.length, id: s.id, span: s, startedAt: rel(s.startMs), endedAt: rel(end), calls: [], ...(s.emitted ? { emitted: s.emitted } : {}), lane, step });
    }
  }

  // Which turn emitted which call id; and per turn, the emitted calls not yet matched (by name).
  const byCallId = new Map<string, number>();
  // The canonical arguments of a slot only when a call without an id is matched against it.
  const open: { name: string; raw: JsonValue | undefined; key?: string; used: boolean }[][] = turns.map((t) =>
    (t.emitted ?? []).map((c) => ({ name: c.name, raw: c.arguments, used: false })));
  const slotArgs = (c: { raw: JsonValue | undefined; key?: string }): string | undefined => (c.raw === undefined ? undefined : (c.key ??= canonical(c.raw)));
  turns.forEach((t, k) => {
    for (const c of t.emitted ?? []) if (c.id && !byCallId.has(c.id)) byCallId.set(c.id, k);
  });

  const tools: ToolCall[] = [];
  const seenIds = new Set<string>();
  let byTiming = 0;
  let byName = 0;
  let orphans = 0;
  const turnEnds = turns.map((t) => t.endedAt);
  for (const s of toolSpans) {
    const startedAt = rel(s.startMs);
    const endedAt = Number.isFinite(s.endMs) ? rel(s.endMs) : actualMs;
    const name = s.toolName ?? s.name;
    const argsKey = s.arguments === undefined ? undefined : canonical(s.arguments);
    let turn = -1;
    let matchedBy: MatchedBy = 'none';
    if (synthetic) {
      turn = 0;
      matchedBy = 'timing';
    } else {
      const byIdTurn = s.callId !== undefined ? byCallId.get(s.callId) : undefined;
      if (byIdTurn !== undefined) {
        turn = byIdTurn;
        matchedBy = 'call-id';
        for (const c of open[turn]) {
          if (!c.used && c.name === name) {
            c.used = true;
            break;
          }
        }
      } else {
        const before = latestTurnBefore(turnEnds, startedAt + SKEW_MS);
        // By name (and arguments when both are known), among turns that ended before the call.
        const args = argsKey;
        for (let k = before; k >= 0 && k >= before - 8; k--) {
          const slot = open[k].find((c) => {
            if (c.used || c.name !== name) return false;
            const a = args === undefined ? undefined : slotArgs(c);
            return a === undefined || a === args;
          });
          if (slot) {
            slot.used = true;
            turn = k;
            matchedBy = 'name';
            byName++;
            break;
          }
        }
        if (turn < 0 && before >= 0) {
          turn = before;
          matchedBy = 'timing';
          byTiming++;
        }
        if (turn < 0) orphans++;
      }
    }
    const status = callStatus(s);
    let id = s.callId ?? s.id;
    if (seenIds.has(id)) id = `${id}#${tools.length}`;
    seenIds.add(id);
    const index = tools.length;
    const call: Writable<ToolCall> = { index, id, name, turn, matchedBy, startedAt, endedAt, status, span: s };
    if (s.error) call.error = s.error;
    if (s.callId) call.callId = s.callId;
    if (s.arguments !== undefined) {
      call.arguments = s.arguments;
      call.argsKey = argsKey;
    }
    if (s.result !== undefined) call.result = s.result;
    if (s.readyMs !== undefined) call.readyAt = rel(s.readyMs);
    tools.push(call);
    if (turn >= 0) turns[turn].calls.push(index);
  }

  const idMatched = tools.filter((t) => t.matchedBy === 'call-id').length;
  if (!synthetic && tools.length > 0) {
    if (idMatched === 0 && byTiming > 0) notes.push('No call ids: batches inferred from timing (each tool call belongs to the latest turn that ended before it started).');
    else if (byTiming > 0) notes.push(`${byTiming} of ${tools.length} tool calls had no call id matching a turn's output: their batch was inferred from timing.`);
    if (byName > 0) notes.push(`${byName} tool call${byName === 1 ? '' : 's'} matched to the turn that asked for them by tool name${byName === 1 ? '' : 's'} and arguments (no call ids in the tool spans).`);
    const wrongParent = tools.filter((t) => t.matchedBy === 'call-id' && t.span.parentId !== null && turns[t.turn].span !== null && !sameBranch(t.span, turns[t.turn].span as TraceSpan, byId)).length;
    if (wrongParent > 0) notes.push(`${wrongParent} tool span${wrongParent === 1 ? '' : 's'} had a parent id that does not lead to the turn that emitted ${wrongParent === 1 ? 'it' : 'them'}: call ids were trusted over parent ids.`);
  }
  if (orphans > 0) notes.push(`${orphans} tool call${orphans === 1 ? '' : 's'} started before any model call: not part of any turn's batch.`);
  const missing: string[] = [];
  turns.forEach((_t, k) => {
    const names = open[k].filter((c) => !c.used).map((c) => c.name);
    if (names.length > 0) missing.push(`turn ${k + 1} (${names.slice(0, 4).join(', ')}${names.length > 4 ? ', …' : ''})`);
  });
  if (missing.length > 0 && tools.length > 0) notes.push(`Calls asked for with no tool span in the trace: ${missing.slice(0, 5).join('; ')}${missing.length > 5 ? `; and ${missing.length - 5} more turns` : ''}.`);
  if (tools.length === 0) notes.push('The trace has no tool spans: nothing to audit beyond the model turns.');

  for (const t of turns) t.calls.sort((a, b) => tools[a].startedAt - tools[b].startedAt || a - b);
  if (synthetic) {
    // A run record says when each call became ready, so a call that waited for a slot is a finding
    // (rules.ts); a trace without model spans says nothing of which calls needed each other.
    notes.push(tools.some((t) => t.readyAt !== undefined)
      ? 'No model spans: every tool call is treated as one batch; the record says when each call was ready, so a call that waited for a free slot is reported as serialized-batch.'
      : 'No model spans: every tool call is treated as one batch; without captured content nothing says which calls needed each other, so serialized-batch is not reported.');
    const first = tools.length > 0 ? -maxOf(tools.map((t) => -(t.readyAt ?? t.startedAt))) : 0;
    turns[0] = { ...turns[0], startedAt: first, endedAt: first };
  }
  const withArgs = tools.some((t) => t.arguments !== undefined);
  const withResults = tools.some((t) => t.result !== undefined);
  const contentCaptured = withArgs && withResults;
  if (tools.length > 0 && !contentCaptured) {
    notes.push(`Tool ${withArgs ? 'results were' : withResults ? 'arguments were' : 'arguments and results were'} not captured: only timing evidence was used; missed-parallelism needs both and is not reported.`);
  }
  return { format: trace.format, origin, turns, tools, actualMs, notes, contentCaptured, synthetic };
}

function empty(format: TraceFormat, notes: string[]): Rebuilt {
  notes.push('The trace has no spans with a start time.');
  return { format, origin: 0, turns: [], tools: [], actualMs: 0, notes, contentCaptured: false, synthetic: true };
}

/** Ids of spans that have an ancestor matching `pred` (memoised walk up the parent chain). */
function ancestorFlag(spans: readonly TraceSpan[], byId: ReadonlyMap<string, TraceSpan>, pred: (s: TraceSpan) => boolean): Set<string> {
  const known = new Map<string, boolean>();
  const out = new Set<string>();
  for (const s of spans) {
    const chain: string[] = [];
    let p = s.parentId ? byId.get(s.parentId) : undefined;
    let answer = false;
    while (p && chain.length < 10_000) {
      const k = known.get(p.id);
      if (k !== undefined) {
        answer = k;
        break;
      }
      if (pred(p)) {
        answer = true;
        break;
      }
      chain.push(p.id);
      p = p.parentId ? byId.get(p.parentId) : undefined;
    }
    for (const id of chain) known.set(id, answer);
    if (answer) out.add(s.id);
  }
  return out;
}

/** Whether a tool span hangs under the turn that emitted it, or beside it (children of one agent step). */
function sameBranch(tool: TraceSpan, turn: TraceSpan, byId: ReadonlyMap<string, TraceSpan>): boolean {
  if (tool.parentId === turn.parentId) return true;
  let p: TraceSpan | undefined = tool;
  for (let g = 0; p && g < 10_000; g++) {
    if (p.id === turn.id) return true;
    p = p.parentId ? byId.get(p.parentId) : undefined;
  }
  return false;
}

/** Index of the latest turn whose end is at or before `at` (turns sorted by start; ends nearly so). */
function latestTurnBefore(ends: readonly number[], at: number): number {
  let lo = 0;
  let hi = ends.length - 1;
  let best = -1;
  // Binary search on start order is not enough when a long turn overlaps later ones: scan back a little.
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid] <= at) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  for (let k = Math.min(ends.length - 1, best + 8); k > best; k--) {
    if (ends[k] <= at) return k;
  }
  return best;
}

function callStatus(s: TraceSpan): CallStatus {
  if (!Number.isFinite(s.endMs)) return 'unfinished';
  if (s.status === 'cancelled') return 'cancelled';
  if (s.status === 'error') return s.error && /time[ds]?[ -]?out|deadline exceeded/i.test(s.error) ? 'timed-out' : 'failed';
  return 'succeeded';
}

/**
 * JSON with sorted keys: equal arguments written in another key order compare equal. Built by
 * concatenation, sorting only keys that are out of order: it runs once per tool call (100k in a
 * large trace), and the arrays of a map and join per level cost more than the text.
 */
export function canonical(v: JsonValue): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  // Keys already in order at every level (what most agents write): JSON.stringify is that text.
  if (inKeyOrder(v)) return JSON.stringify(v);
  if (Array.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i++) {
      if (i > 0) s += ',';
      const c = canonical(v[i] as JsonValue) as string | undefined;
      if (c !== undefined) s += c; // as join() writes an undefined element: nothing
    }
    return s + ']';
  }
  const o = v as { readonly [k: string]: JsonValue };
  const keys = Object.keys(o);
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1] > keys[i]) {
      keys.sort();
      break;
    }
  }
  let s = '{';
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) s += ',';
    s += `${JSON.stringify(keys[i])}:${canonical(o[keys[i]])}`;
  }
  return s + '}';
}

/**
 * Whether a JSON value's object keys are in sorted order at every level and it holds only JSON
 * (strings, numbers, booleans, null, arrays, objects): JSON.stringify then writes canonical()'s text.
 */
function inKeyOrder(v: unknown): boolean {
  if (v === null) return true;
  const t = typeof v;
  if (t === 'string' || t === 'number' || t === 'boolean') return true;
  if (t !== 'object') return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!inKeyOrder(v[i])) return false;
    return true;
  }
  const o = v as Readonly<Record<string, unknown>>;
  const keys = Object.keys(o);
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && keys[i - 1] > keys[i]) return false;
    if (!inKeyOrder(o[keys[i]])) return false;
  }
  return true;
}

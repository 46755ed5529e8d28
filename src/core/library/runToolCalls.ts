// runToolCalls (DESIGN §8; README "Use it in your agent"): the calls a model emitted, run by the
// same engine and scheduler as plans. The calls become an imported-style plan of `function` tools
// with index-based ids (a provider's ids need not be unique or id-shaped), so the provider's id
// only lives in the results, which are paired back by position.
import { createHash } from 'node:crypto';
import type { JsonValue, Plan, ToolAnnotations, ToolSpec } from '../plan/types';
import type { ApprovalGate, ApprovalVerdict, RunEvent, RunnerContext, ToolRecord, ToolRunner } from '../engine/types';
import { execute } from '../engine/execute';
import { createRealClock } from '../engine/clock';
import { abortError } from '../tools/common';
import { toJson } from '../tools/handler';
import type { ToolCall } from '../plan/importers/calls';
import type { BatchResult, CallResult } from './results';
import { resolve } from 'node:path';
import { resolvedRunFilePathProblem } from './runFile';
import { recordPrelude, recordText } from './recordText';
import { queueRecord } from './recordWriter';

/** What a handler is given besides the arguments. */
export interface ToolCallContext {
  /** Aborted on this call's timeout and when the batch is cancelled: a handler should stop when it fires. */
  readonly signal: AbortSignal;
  /** The call as given, with the provider's id. */
  readonly call: ToolCall;
}

// `any` at this boundary only: a handler declares whatever argument type it expects.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ToolCallHandler = (args: any, context: ToolCallContext) => unknown;

/** `name → handler`; a call whose name has no handler fails (the others still run). */
export type ToolCallHandlers = Readonly<Record<string, ToolCallHandler>>;

/** A batch event: the engine's run events, with `id` the provider's call id and `index` its position. */
export type ToolCallEvent = RunEvent extends infer E ? (E extends { readonly id: string } ? E & { readonly index: number } : E) : never;

/** A resource's limit given as an object: `{ max: 8, adaptive: true, min: 2 }`. */
export interface ResourceLimit {
  /** At most this many calls of the resource at once (the adaptive limit starts here). */
  readonly max: number;
  /** Halve on a 429/503, grow by one per window of successes. Default false: a fixed `max`. */
  readonly adaptive?: boolean;
  /** The adaptive limit never goes below this. Default 1. */
  readonly min?: number;
}

export interface RunToolCallsOptions {
  /** At most this many calls run at once. Default: no cap. */
  readonly maxConcurrency?: number;
  /**
   * Per-resource caps, `{ [resource]: n }`; a call's resource comes from `resourceOf`. A limit
   * `{ max, adaptive: true, min? }` adapts to the service (AIMD): halved on a 429/503 (an error
   * with `status`, as the SDKs throw), one more after a window of successes (as many as the
   * limit), between `min` (default 1) and `max`, where it starts.
   */
  readonly limits?: Readonly<Record<string, number | ResourceLimit>>;
  /** The resource a call uses (e.g. its API host); `undefined` for none. Default: the call's name. */
  readonly resourceOf?: (call: ToolCall) => string | undefined;
  /** Each attempt is aborted after this many ms (the handler's signal fires) and ends `timed-out`. Default: none. */
  readonly timeoutMs?: number;
  /** Retries after a failed or timed-out attempt, with exponential backoff and jitter. Default 0. */
  readonly retries?: number;
  /** First backoff delay in ms (doubled each retry, jittered, at most 60 s). Default 100. */
  readonly retryDelayMs?: number;
  /**
   * A handler error shaped like the SDKs' API errors — `status` 429 or 503 and `headers` with
   * `retry-after` (seconds or an HTTP date) or `retry-after-ms` — makes the retry wait that long
   * instead of the backoff; the call gives its slot back meanwhile and no other call of its
   * resource starts. A wait longer than this fails the call at once, with the wait in its error.
   * Default 60 000 ms.
   */
  readonly maxRetryAfterMs?: number;
  /** Cancels the batch: running handlers' signals fire and every call still gets a result (`cancelled`). */
  readonly signal?: AbortSignal;
  /**
   * Every run event as it happens (for a live UI). If it throws, the batch goes on, the listener
   * keeps getting the later events, and the result's `onEventError` says how often and the first error.
   */
  readonly onEvent?: (event: ToolCallEvent) => void;
  /**
   * Writes the run record here just after the batch ends (also when it failed or was
   * cancelled), atomically: the `fanout run --json` record plus `name`, `recordedAt` and per
   * call `label`, `callId` and `args` (README "Run records"). The promise resolves with the
   * results first; the file follows on the next event-loop turn, so read it after
   * `await batch.recorded` (`{ ok: true, path }`, or `{ ok: false, path, error }` when the write
   * failed; it never rejects). A process that exits right after still writes it (an `exit`
   * hook). `fanout show FILE` prints it; name it `*.fanoutrun.json`. A path whose directory does
   * not exist is refused (TypeError) before any call runs.
   *
   * @example
   * const batch = await runToolCalls(calls, handlers, { recordFile: 'turn-3.fanoutrun.json' });
   * messages.push(...toOpenAIToolMessages(batch)); // the results do not wait for the file
   * const rec = await batch.recorded; // when the file is needed
   * if (!rec?.ok) console.warn(rec?.error);
   */
  readonly recordFile?: string;
  /**
   * Runs identical calls (same name and arguments, in any key order) once: the others wait for
   * it without holding a slot and share its outcome (each still gets its own result, with
   * `attempts: 0`). Default false.
   */
  readonly dedupe?: boolean;
  /** The run's name in the record file. Default "runToolCalls". */
  readonly name?: string;
  /**
   * What a call does, as MCP tool annotations (`readOnlyHint`, `destructiveHint`,
   * `idempotentHint`). A call that is not read-only and not idempotent, or says `destructiveHint: true`,
   * is never retried automatically (except after a 429: the server refused it before it ran) and
   * never deduplicated; a timed-out one ends `timed-out` with "outcome unknown" in its error.
   * Default: the handler's own `annotations` property (`send_email.annotations = {
   * destructiveHint: true }`), else none (retried as configured).
   */
  readonly annotationsOf?: (call: ToolCall) => ToolAnnotations | undefined;
  /**
   * Asked once per call when it is ready, before it runs (README "Approval"): true runs it, false
   * (or a throw) makes it `denied` — it never runs and its provider result says so. Calls waiting
   * for an answer hold no slot: the others run meanwhile. Default: every call runs.
   */
  readonly approve?: (call: ToolCall) => boolean | Promise<boolean>;
}

/**
 * Runs the calls concurrently under the caps and resolves with one result per call, in the
 * order of `calls`, each paired with its call's id. It never rejects because a tool failed: a
 * thrown error, a timeout, a cancellation and a missing handler are statuses in the result.
 * It rejects (TypeError) only for arguments that are not calls and handlers at all.
 *
 * @example
 * const batch = await runToolCalls(fromOpenAI(completion), {
 *   get_weather: async ({ city }, { signal }) => (await fetch(url(city), { signal })).json(),
 * }, { maxConcurrency: 4, timeoutMs: 10_000, retries: 2 });
 * messages.push(completion.choices[0].message, ...toOpenAIToolMessages(batch));
 */
export async function runToolCalls(calls: readonly ToolCall[], handlers: ToolCallHandlers, options: RunToolCallsOptions = {}): Promise<BatchResult> {
  checkArguments(calls, handlers);
  checkOptions(options);
  const recordFile = options.recordFile;
  // Resolved once, now, for the check and the write (a handler may change the working directory).
  let recordTarget: string | undefined;
  if (recordFile !== undefined) {
    if (typeof recordFile !== 'string' || recordFile === '') throw new TypeError('runToolCalls: recordFile must be a file path such as "run.fanoutrun.json".');
    recordTarget = resolve(recordFile);
    const problem = resolvedRunFilePathProblem(recordFile, recordTarget);
    if (problem) throw new TypeError(`runToolCalls: cannot write the record file "${recordFile}": ${problem}.`);
  }
  const plan = batchPlan(calls, handlers, options);
  // The wall time of the start, formatted only if a record is written (toISOString is not free).
  const startedAtMs = Date.now();
  const runner = handlerRunner(calls, handlers);
  const onEvent = options.onEvent;
  // A throwing onEvent (a UI, a logger) must not cost the model its results: the batch goes on,
  // the listener keeps getting the later events, and the first error is reported in the result.
  let eventErrors = 0;
  let firstEventError = '';
  const listener = onEvent
    ? (e: RunEvent): void => {
        const pe = publicEvent(e, calls);
        try {
          onEvent(pe);
        } catch (err) {
          if (eventErrors++ === 0) firstEventError = `on the '${pe.type}' event${'id' in pe ? ` of call ${JSON.stringify(pe.id)}` : ''}: ${err instanceof Error ? err.message : safeJson(err)}`;
        }
      }
    : undefined;
  const running = execute(plan, {
    runners: { function: runner },
    clock: createRealClock(),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(listener ? { onEvent: listener } : {}),
    ...(options.maxRetryAfterMs !== undefined ? { maxRetryAfterMs: options.maxRetryAfterMs } : {}),
    ...adaptiveLimits(options.limits),
    ...(options.approve ? { approve: approvalGate(calls, options.approve) } : {}),
  });
  // The record is written after the results are handed back (recordWriter.ts): the caller waits
  // on the results, not on the file; `recorded` says when it is in place.
  const record = await running;
  const results = record.tools.map((t, i) => callResult(calls[i]!, t));
  const { status, makespanMs } = record;
  const onEventError = eventErrors === 0 ? undefined : `onEvent threw ${eventErrors === 1 ? 'once' : `${eventErrors} times`} (first ${firstEventError}); the batch went on and the listener kept getting events`;
  if (recordTarget === undefined) return onEventError === undefined ? { status, makespanMs, results } : { status, makespanMs, results, onEventError };
  const recorded = queueRecord(recordTarget, () => recordText(recordPrelude(options.name ?? 'runToolCalls', new Date(startedAtMs).toISOString(), calls), record));
  // One literal per case, not a spread of the result: this is on the caller's path.
  return onEventError === undefined ? { status, makespanMs, results, recorded } : { status, makespanMs, results, onEventError, recorded };
}

/** The engine's gate for `approve(call)`: every call asks, each batch's calls at once. */
function approvalGate(calls: readonly ToolCall[], approve: (call: ToolCall) => boolean | Promise<boolean>): ApprovalGate {
  const one = async (call: ToolCall): Promise<ApprovalVerdict> => {
    try {
      const ok: unknown = await approve(call);
      return ok === true ? true : { allowed: false, reason: ok === false ? 'approve(call) returned false' : `approve(call) returned ${safeJson(ok)}, not true` };
    } catch (e) {
      return { allowed: false, reason: `approve(call) threw: ${e instanceof Error ? e.message : safeJson(e)}` };
    }
  };
  return {
    needs: () => true,
    decide: (batch) => batch.map((r) => one(calls[r.tool.index]!)),
  };
}

function checkArguments(calls: unknown, handlers: unknown): void {
  if (!Array.isArray(calls)) throw new TypeError(`runToolCalls: calls must be an array of { id, name, args } (use fromOpenAI(…), fromAnthropic(…)…), got ${typeof calls}.`);
  calls.forEach((c: unknown, i) => {
    const call = c as Partial<ToolCall> | null;
    if (!call || typeof call !== 'object' || typeof call.name !== 'string' || typeof call.id !== 'string') {
      throw new TypeError(`runToolCalls: calls[${i}] is not a call: expected { id: string, name: string, args: object }.`);
    }
  });
  if (!handlers || typeof handlers !== 'object') throw new TypeError('runToolCalls: handlers must be an object of name → async (args, { signal, call }) => result.');
}

/** Options that would be silently misread (a cap of 0, a negative timeout) are refused instead. */
export function checkOptions(o: RunToolCallsOptions, fn = 'runToolCalls'): void {
  if (!o || typeof o !== 'object') throw new TypeError(`${fn}: options must be an object such as { maxConcurrency: 4, timeoutMs: 10_000 }.`);
  // The common `runToolCalls(calls, handlers)`, or options with only keys checked elsewhere
  // (recordFile, name, dedupe): nothing to check here. ~20 µs of a batch's start otherwise.
  if (nothingToCheck(o)) return;
  const int = (name: string, v: unknown, min: number, hint: string): void => {
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= min)) {
      throw new TypeError(`${fn}: ${name} must be a whole number ≥ ${min}${hint}, got ${describeValue(v)}.`);
    }
  };
  int('maxConcurrency', o.maxConcurrency, 1, ' (leave it out for no cap)');
  int('retries', o.retries, 0, '');
  for (const [name, v] of [['timeoutMs', o.timeoutMs], ['retryDelayMs', o.retryDelayMs], ['maxRetryAfterMs', o.maxRetryAfterMs]] as const) {
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && (name !== 'timeoutMs' ? v >= 0 : v > 0))) {
      throw new TypeError(`${fn}: ${name} must be a number of milliseconds ${name === 'timeoutMs' ? '> 0 (leave it out for no timeout)' : '≥ 0'}, got ${describeValue(v)}.`);
    }
  }
  if (o.limits !== undefined) {
    if (!o.limits || typeof o.limits !== 'object' || Array.isArray(o.limits)) throw new TypeError(`${fn}: limits must be an object { [resource]: n }, got ${describeValue(o.limits)}.`);
    for (const [k, v] of Object.entries(o.limits)) {
      const at = `limits[${JSON.stringify(k)}]`;
      if (typeof v !== 'object' || v === null) {
        int(at, v, 1, ' (or { max, adaptive: true, min? })');
        continue;
      }
      const l = v as Partial<ResourceLimit>;
      int(`${at}.max`, l.max, 1, '');
      if (l.max === undefined) throw new TypeError(`${fn}: ${at} needs max, the most calls at once: { max: 8, adaptive: true }.`);
      int(`${at}.min`, l.min, 1, '');
      if (l.adaptive !== undefined && typeof l.adaptive !== 'boolean') throw new TypeError(`${fn}: ${at}.adaptive must be true or false, got ${describeValue(l.adaptive)}.`);
      if (l.min !== undefined && l.min > l.max) throw new TypeError(`${fn}: ${at}.min (${l.min}) is above its max (${l.max}).`);
      for (const key of Object.keys(l)) {
        if (key !== 'max' && key !== 'adaptive' && key !== 'min') throw new TypeError(`${fn}: ${at} has an unknown key "${key}"; a limit is { max, adaptive?, min? }.`);
      }
    }
  }
  for (const name of ['resourceOf', 'onEvent', 'annotationsOf', 'approve'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'function') throw new TypeError(`${fn}: ${name} must be a function, got ${describeValue(o[name])}.`);
  }
  if (o.signal !== undefined && !(o.signal && typeof o.signal === 'object' && 'aborted' in o.signal && typeof o.signal.addEventListener === 'function')) {
    throw new TypeError(`${fn}: signal must be an AbortSignal (new AbortController().signal), got ${describeValue(o.signal)}.`);
  }
}

/** Options checkOptions does not look at (recordFile is checked by runToolCalls itself). */
const UNCHECKED_OPTIONS: ReadonlySet<string> = new Set(['recordFile', 'name', 'dedupe']);

function nothingToCheck(o: object): boolean {
  for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k) && !UNCHECKED_OPTIONS.has(k)) return false;
  return true;
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return Array.isArray(v) ? 'an array' : typeof v;
}

/** The adaptive entries of `limits`, as the engine takes them. */
function adaptiveLimits(limits: RunToolCallsOptions['limits']): { adaptiveLimits?: Record<string, { min?: number }> } {
  if (!limits) return {};
  let out: Record<string, { min?: number }> | undefined;
  for (const [k, v] of Object.entries(limits)) {
    if (typeof v !== 'object' || !v.adaptive) continue;
    (out ??= Object.create(null) as Record<string, { min?: number }>)[k] = v.min !== undefined ? { min: v.min } : {};
  }
  return out ? { adaptiveLimits: out } : {};
}

/** The calls as a plan of `function` tools `call0…` (exported for runToolCallStream's wait-for-end estimate). */
export function batchPlan(calls: readonly ToolCall[], handlers: ToolCallHandlers, o: RunToolCallsOptions): Plan {
  const limits = Object.create(null) as Record<string, number>;
  for (const [k, v] of Object.entries(o.limits ?? {})) limits[k] = typeof v === 'number' ? v : v.max;
  const resourceOf = o.resourceOf ?? ((c: ToolCall) => c.name);
  const annotationsOf = o.annotationsOf ?? ((c: ToolCall) => handlerAnnotations(handlers, c.name));
  const tools = calls.map((call, index): ToolSpec => {
    const resource = resourceOf(call);
    const annotations = annotationsOf(call);
    return {
      id: `call${index}`,
      kind: 'function',
      label: call.name,
      // The handler gets call.args itself. The plan's args never hold the model's text, which
      // may contain `${…}` that the engine would read as references; with dedupe they hold a
      // digest of name and arguments, the engine's key for identical calls.
      args: o.dedupe ? { call: callDigest(call) } : {},
      dependsOn: [],
      writes: [],
      index,
      callId: call.id,
      ...(resource !== undefined ? { resource } : {}),
      ...(annotations ? { annotations: checkedAnnotations(annotations, call) } : {}),
      ranges: { tool: NO_RANGE },
    };
  });
  return {
    name: 'runToolCalls',
    format: 'native',
    syntax: 'text',
    ...(o.maxConcurrency !== undefined ? { maxConcurrency: o.maxConcurrency } : {}),
    limits,
    failurePolicy: 'skip-dependents',
    defaults: {
      ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
      ...(o.retries !== undefined ? { retries: o.retries } : {}),
      ...(o.retryDelayMs !== undefined ? { retryDelayMs: o.retryDelayMs } : {}),
    },
    dedupe: o.dedupe === true,
    tools,
    ranges: {},
  };
}

const ANNOTATION_KEYS = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;

/** `handler.annotations`, as the `function` tool kind reads it from an exported function. */
function handlerAnnotations(handlers: ToolCallHandlers, name: string): ToolAnnotations | undefined {
  const h = Object.prototype.hasOwnProperty.call(handlers, name) ? handlers[name] : undefined;
  const a: unknown = typeof h === 'function' ? (h as { annotations?: unknown }).annotations : undefined;
  return a !== null && typeof a === 'object' ? (a as ToolAnnotations) : undefined;
}

/** The hints that are booleans; anything else is a mistake worth a clear error. */
function checkedAnnotations(a: ToolAnnotations, call: ToolCall): ToolAnnotations {
  if (typeof a !== 'object' || a === null) throw new TypeError(`runToolCalls: the annotations of "${call.name}" must be an object such as { idempotentHint: false }, got ${describeValue(a)}.`);
  const out: { -readonly [K in keyof ToolAnnotations]: boolean } = {};
  for (const k of ANNOTATION_KEYS) {
    const v: unknown = a[k];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') throw new TypeError(`runToolCalls: the annotations of "${call.name}": ${k} must be true or false, got ${describeValue(v)}.`);
    out[k] = v;
  }
  return out;
}

const NO_RANGE = { offset: 0, length: 0, line: 1, column: 1, endLine: 1, endColumn: 1 } as const;

function callDigest(call: ToolCall): string {
  return createHash('sha256').update(stableJson([call.name, call.args ?? null])).digest('hex');
}

/** JSON with object keys sorted, so argument order does not make two identical calls differ. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

function handlerRunner(calls: readonly ToolCall[], handlers: ToolCallHandlers): ToolRunner {
  // Not an async function: a handler that returns a plain value or a promise settles the attempt
  // one or two microtask turns sooner than through await (bench section `library`).
  return {
    run(ctx: RunnerContext): Promise<JsonValue> {
      const call = calls[ctx.tool.index]!;
      const handler = Object.prototype.hasOwnProperty.call(handlers, call.name) ? handlers[call.name] : undefined;
      if (typeof handler !== 'function') {
        const known = Object.keys(handlers);
        return Promise.reject(new Error(`no handler for the tool "${call.name}"; handlers are given for ${known.length ? known.map((k) => `"${k}"`).join(', ') : 'no tool'}. Add ${JSON.stringify(call.name)}: async (args, { signal }) => … to the handlers.`));
      }
      const signal = ctx.signal;
      if (signal.aborted) return Promise.reject(abortError(signal));
      try {
        const value = handler(call.args, { signal, call });
        if (isThenable(value)) return Promise.resolve(value).then(toJson, (e: unknown) => Promise.reject(handlerFailure(signal, e)));
        return Promise.resolve(toJson(value));
      } catch (e) {
        // A synchronous throw from the handler, or a result that is not JSON (toJson's error).
        return Promise.reject(handlerFailure(signal, e));
      }
    },
  };
}

/** What a handler's throw fails the attempt with: the abort reason once its signal fired, else an Error. */
function handlerFailure(signal: AbortSignal, e: unknown): Error {
  if (signal.aborted) return abortError(signal);
  return e instanceof Error ? e : new Error(typeof e === 'string' ? e : `threw ${safeJson(e)}`);
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}

function safeJson(e: unknown): string {
  try {
    return JSON.stringify(e) ?? String(e);
  } catch {
    return String(e);
  }
}

function callResult(call: ToolCall, t: ToolRecord): CallResult {
  return {
    id: call.id,
    name: call.name,
    status: t.status,
    output: t.status === 'succeeded' ? t.output : null,
    error: t.error,
    attempts: t.attempts.length,
    startedAt: t.startedAt,
    endedAt: t.endedAt,
  };
}

function publicEvent(e: RunEvent, calls: readonly ToolCall[]): ToolCallEvent {
  if (e.type === 'run-started') return { ...e, tools: calls.map((c) => c.id) } as ToolCallEvent;
  if (!('id' in e)) return e as ToolCallEvent;
  const index = Number(e.id.slice(4));
  const mapped = { ...e, id: calls[index]!.id, index };
  if ('dedupedFrom' in e && e.dedupedFrom !== undefined) (mapped as { dedupedFrom?: string }).dedupedFrom = calls[Number(e.dedupedFrom.slice(4))]!.id;
  return mapped as ToolCallEvent;
}

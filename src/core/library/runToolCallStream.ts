// runToolCallStream (DESIGN §9, README "Streaming dispatch"): the library's streaming dispatch.
// The provider's stream is read as the SDK yields it; each call starts the moment its arguments
// close (dispatch-on-close), while the model is still generating the others, instead of after
// the last event (wait-for-end, what the SDKs' tool runners do).
//
// How a call runs: as a one-call runToolCalls batch (the same engine: timeout, retries, the
// handler's signal), admitted by the slot accounting below. The engine's plan has a fixed number
// of tools, and a live stream does not say how many calls it will hold until it ends; the calls
// of a provider batch have no dependencies, so the caps are all there is to schedule: first
// closed, first started, a call whose resource is full never blocking one whose resource is free
// (as the engine's scheduler does). A call holds its slot through its retries' backoff, as there.
import { buildGraph } from '../analysis/graph';
import { predictMakespan } from '../engine/simulate';
import type { UnclosedCall } from '../plan/types';
import type { StreamCall } from '../plan/importers/streamAssembly';
import type { ToolCall } from '../plan/importers/calls';
import type { JsonObject, JsonValue } from '../plan/types';
import { DEFAULT_STREAM_POLICY, isStreamPolicy, type StreamPolicy } from '../stream/policy';
import type { BatchResult, CallResult } from './results';
import { LiveStream, type LiveStreamFormat } from './liveStream';
import { batchPlan, checkOptions, runToolCalls, type RunToolCallsOptions, type ToolCallEvent, type ToolCallHandlers } from './runToolCalls';

/** A stream event for `onEvent`: the calls' run events (times from the stream's first event), and the stream's end. */
export type ToolCallStreamEvent =
  | Exclude<ToolCallEvent, { readonly type: 'run-started' }>
  | { readonly type: 'stream-ended'; readonly at: number; readonly events: number; readonly calls: number };

export interface RunToolCallStreamOptions extends Omit<RunToolCallsOptions, 'recordFile' | 'name' | 'dedupe' | 'onEvent'> {
  /** `dispatch-on-close` (default): each call starts when its arguments close; `wait-for-end`: none before the stream ends. */
  readonly policy?: StreamPolicy;
  /** The provider, when the first events do not say (they always do for the official SDKs' streams). */
  readonly format?: LiveStreamFormat;
  /**
   * Every provider event, as the SDK yielded it and before Fanout reads it: render the model's
   * text from here. If it throws, the stream is still read (the error is in `onEventError`).
   */
  readonly onStreamEvent?: (event: unknown) => void;
  /** The calls' run events as they happen: `arrived` when a call's arguments close, then queued, started… */
  readonly onEvent?: (event: ToolCallStreamEvent) => void;
}

/** One call's outcome, with when its arguments closed and what they were. */
export interface StreamCallResult extends CallResult {
  /** ms from the stream's first event at which the arguments closed (the call's `readyAt`). */
  readonly closedAt: number;
  readonly args: JsonObject;
}

/** How the stream went: its end on the batch's clock, and what waiting for that end would have cost. */
export interface StreamBatchInfo {
  readonly format: LiveStreamFormat | null;
  readonly policy: StreamPolicy;
  /** Events read. */
  readonly events: number;
  /** When the stream ended, ms from its first event. */
  readonly endMs: number;
  /**
   * The makespan had every call started at the stream's end: `endMs` plus the scheduler's
   * makespan for the durations the calls took here, under the same caps (they are not run twice).
   */
  readonly waitForEndMakespanMs: number;
  /** Why the model stopped, as the provider says it (`tool_calls`, `tool_use`, `length`, `max_tokens`…). */
  readonly stopReason?: string;
  /** Calls whose arguments never closed (a stream cut at the token limit): never run, not in `results`. */
  readonly unclosed: readonly UnclosedCall[];
  /** The stream failed while being read (the SDK threw): the calls that had closed still ran. */
  readonly error?: string;
}

export interface StreamBatchResult extends BatchResult {
  /** One per call whose arguments closed, in the order the calls appear in the stream. */
  readonly results: readonly StreamCallResult[];
  readonly stream: StreamBatchInfo;
}

interface Slot {
  readonly call: ToolCall;
  readonly source: StreamCall;
  readonly closedAt: number;
  readonly resource: string | undefined;
  result?: StreamCallResult;
  done?: Promise<void>;
}

/**
 * Reads the stream and runs each tool call when its arguments close; resolves once the stream has
 * ended and every call has an outcome, with the results in stream order (feed them to
 * toOpenAIToolMessages / toResponsesOutputs / toAnthropicToolResults as they are). Like
 * runToolCalls it never rejects for a tool's failure; a stream that throws is `stream.error`.
 *
 * @example
 * const stream = anthropic.messages.stream({ model, max_tokens, messages, tools });
 * const batch = await runToolCallStream(stream, handlers, { onStreamEvent: render });
 * messages.push({ role: 'assistant', content: (await stream.finalMessage()).content }, toAnthropicToolResults(batch));
 * // A turn cut off inside a call (batch.stream.unclosed not empty): the closed calls have run, so
 * // push the content without the cut-off tool_use block, with their results, and let the model
 * // continue with more max_tokens rather than asking again (README "Streaming dispatch").
 */
export async function runToolCallStream(
  stream: AsyncIterable<unknown> | Iterable<unknown>,
  handlers: ToolCallHandlers,
  options: RunToolCallStreamOptions = {},
): Promise<StreamBatchResult> {
  const FN = 'runToolCallStream';
  if (!stream || (typeof (stream as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function' && typeof (stream as Iterable<unknown>)[Symbol.iterator] !== 'function')) {
    throw new TypeError(`${FN}: stream must be the provider's stream, an async iterable of events (client.chat.completions.create({ …, stream: true }), client.responses.stream(…), anthropic.messages.stream(…)), got ${stream === null ? 'null' : typeof stream}.`);
  }
  if (!handlers || typeof handlers !== 'object') throw new TypeError(`${FN}: handlers must be an object of name → async (args, { signal, call }) => result.`);
  const { policy = DEFAULT_STREAM_POLICY, format, onStreamEvent, onEvent, ...runOptions } = options;
  checkOptions({ ...runOptions, ...(onEvent !== undefined ? { onEvent: onEvent as never } : {}) }, FN);
  if (!isStreamPolicy(policy)) throw new TypeError(`${FN}: policy must be 'dispatch-on-close' or 'wait-for-end', got ${JSON.stringify(policy)}.`);
  if (onStreamEvent !== undefined && typeof onStreamEvent !== 'function') throw new TypeError(`${FN}: onStreamEvent must be a function, got ${typeof onStreamEvent}.`);
  if (format !== undefined && !['openai-stream', 'openai-responses-stream', 'anthropic-stream'].includes(format)) {
    throw new TypeError(`${FN}: format must be 'openai-stream', 'openai-responses-stream' or 'anthropic-stream', got ${JSON.stringify(format)}.`);
  }

  let t0: number | undefined;
  const now = (): number => (t0 === undefined ? 0 : performance.now() - t0);
  let listenerErrors = 0;
  let firstListenerError = '';
  const safely = (what: string, fn: () => void): void => {
    try {
      fn();
    } catch (err) {
      if (listenerErrors++ === 0) firstListenerError = `${what}: ${err instanceof Error ? err.message : String(err)}`;
    }
  };
  const emit = onEvent ? (e: ToolCallStreamEvent): void => safely(`on the '${e.type}' event`, () => onEvent(e)) : undefined;

  const maxConcurrency = runOptions.maxConcurrency ?? Infinity;
  const limits = runOptions.limits ?? {};
  const resourceOf = runOptions.resourceOf ?? ((c: ToolCall) => c.name);
  const slots: Slot[] = [];
  const waiting: number[] = [];
  const runningBy = new Map<string, number>();
  let running = 0;
  let streamEnded = false;
  /** Resolves the wait at the end each time a call settles. */
  let wake: (() => void) | undefined;
  const signal = runOptions.signal;
  const perCall: RunToolCallsOptions = {
    ...(runOptions.timeoutMs !== undefined ? { timeoutMs: runOptions.timeoutMs } : {}),
    ...(runOptions.retries !== undefined ? { retries: runOptions.retries } : {}),
    ...(runOptions.retryDelayMs !== undefined ? { retryDelayMs: runOptions.retryDelayMs } : {}),
    ...(runOptions.maxRetryAfterMs !== undefined ? { maxRetryAfterMs: runOptions.maxRetryAfterMs } : {}),
    ...(signal ? { signal } : {}),
  };

  // A stream holds a resource at its stated max; adaptive limits apply to runToolCalls' batches (docs/library.md).
  const limitMax = (l: number | { readonly max: number }): number => (typeof l === 'number' ? l : l.max);
  const limitOf = (r: string | undefined): number => (r !== undefined && Object.prototype.hasOwnProperty.call(limits, r) ? limitMax(limits[r]!) : Infinity);
  const fits = (s: Slot): boolean => running < maxConcurrency && (runningBy.get(s.resource ?? '') ?? 0) < limitOf(s.resource);

  const pump = (): void => {
    if (policy === 'wait-for-end' && !streamEnded) return;
    for (let k = 0; k < waiting.length && running < maxConcurrency;) {
      const i = waiting[k]!;
      if (fits(slots[i]!)) {
        waiting.splice(k, 1);
        start(i);
      } else k++;
    }
  };

  const start = (i: number): void => {
    const s = slots[i]!;
    running++;
    if (s.resource !== undefined) runningBy.set(s.resource, (runningBy.get(s.resource) ?? 0) + 1);
    const offset = now();
    const shift = (t: number | null): number | null => (t === null ? null : t + offset);
    const forward = emit
      ? (e: ToolCallEvent): void => {
          if (e.type === 'run-started' || e.type === 'run-ended' || e.type === 'queued') return;
          emit({ ...e, at: e.at + offset, ...('id' in e ? { id: s.call.id, index: i } : {}) } as ToolCallStreamEvent);
        }
      : undefined;
    const settle = (r: CallResult): void => {
      s.result = { ...r, startedAt: shift(r.startedAt), endedAt: shift(r.endedAt), closedAt: s.closedAt, args: s.call.args };
      running--;
      if (s.resource !== undefined) runningBy.set(s.resource, (runningBy.get(s.resource) ?? 1) - 1);
      pump();
      wake?.();
    };
    if (s.call.name.trim() === '') {
      const at = now();
      emit?.({ type: 'failed', at, id: s.call.id, index: i, error: 'the call never received a function name' } as ToolCallStreamEvent);
      s.done = Promise.resolve().then(() => settle({ id: s.call.id, name: '', status: 'failed', output: null, error: 'the streamed call never received a function name, so there is nothing to call (check that the stream is read from its first event)', attempts: 0, startedAt: null, endedAt: null }));
      return;
    }
    s.done = runToolCalls([s.call], handlers, { ...perCall, ...(forward ? { onEvent: forward } : {}) }).then(
      (b) => settle(b.results[0]!),
      (err: unknown) => settle({ id: s.call.id, name: s.call.name, status: 'failed', output: null, error: err instanceof Error ? err.message : String(err), attempts: 0, startedAt: null, endedAt: null }),
    );
  };

  const live = new LiveStream(({ call, source }) => {
    const i = slots.length;
    const at = now();
    slots.push({ call, source, closedAt: at, resource: resourceOf(call) });
    emit?.({ type: 'arrived', at, id: call.id, index: i } as ToolCallStreamEvent);
    if (signal?.aborted) return;
    waiting.push(i);
    if (policy === 'dispatch-on-close') emit?.({ type: 'queued', at, id: call.id, index: i } as ToolCallStreamEvent);
    pump();
  }, format);

  // Read the stream, stopping early only when the batch is cancelled.
  let streamError: string | undefined;
  const iterable = stream as AsyncIterable<unknown> & Iterable<unknown>;
  const iterator = typeof iterable[Symbol.asyncIterator] === 'function' ? iterable[Symbol.asyncIterator]() : toAsync(iterable[Symbol.iterator]());
  let endMs = 0;
  // A cancel stops the reading at once, also while the SDK waits for the next event.
  const aborted = signal ? new Promise<'aborted'>((r) => (signal.aborted ? r('aborted') : signal.addEventListener('abort', () => r('aborted'), { once: true }))) : undefined;
  try {
    for (;;) {
      const next = aborted ? await Promise.race([iterator.next(), aborted]) : await iterator.next();
      if (next === 'aborted') {
        void Promise.resolve(iterator.return?.()).catch(() => undefined);
        break;
      }
      if (next.done) break;
      t0 ??= performance.now();
      const event = next.value;
      if (onStreamEvent) safely('onStreamEvent', () => onStreamEvent(event));
      live.feed(toJson(event), now());
    }
  } catch (err) {
    streamError = err instanceof Error ? err.message : String(err);
  }
  endMs = now();
  streamEnded = true;
  emit?.({ type: 'stream-ended', at: endMs, events: live.events, calls: slots.length });
  if (!signal?.aborted) {
    if (policy === 'wait-for-end') for (const i of waiting) emit?.({ type: 'queued', at: endMs, id: slots[i]!.call.id, index: i } as ToolCallStreamEvent);
    pump();
  }
  // Calls still waiting when the batch was cancelled never start.
  const cancelledReason = signal?.aborted ? cancelReason(signal) : undefined;
  if (cancelledReason !== undefined) {
    for (const i of waiting.splice(0)) {
      const s = slots[i]!;
      emit?.({ type: 'cancelled', at: now(), id: s.call.id, index: i, reason: cancelledReason } as ToolCallStreamEvent);
      s.result = { id: s.call.id, name: s.call.name, status: 'cancelled', output: null, error: cancelledReason, attempts: 0, startedAt: null, endedAt: null, closedAt: s.closedAt, args: s.call.args };
    }
  }
  // Each settle frees a slot and starts the next queued call (pump): wait until every call has its outcome.
  while (slots.some((s) => s.result === undefined)) await new Promise<void>((r) => { wake = r; });
  const makespanMs = Math.max(endMs, ...slots.map((s) => s.result!.endedAt ?? 0));
  const assembled = live.finish();
  const order = new Map(assembled?.calls.map((c, k) => [c, k]) ?? []);
  const inStreamOrder = [...slots].sort((a, b) => (order.get(a.source) ?? 0) - (order.get(b.source) ?? 0));
  const results = inStreamOrder.map((s) => s.result!);
  const unclosed: UnclosedCall[] = (assembled?.calls ?? []).filter((c) => !c.closed).map((c) => ({ name: c.name, ...(c.id !== undefined ? { callId: c.id } : {}), openedAtEvent: c.opened.index }));
  const status: BatchResult['status'] = cancelledReason !== undefined || results.some((r) => r.status === 'cancelled') ? 'cancelled'
    : streamError !== undefined || unclosed.length > 0 || results.some((r) => r.status !== 'succeeded') ? 'failed' : 'succeeded';
  emit?.({ type: 'run-ended', at: makespanMs, status });
  const info: StreamBatchInfo = {
    format: live.format ?? null,
    policy,
    events: live.events,
    endMs,
    waitForEndMakespanMs: policy === 'wait-for-end' ? makespanMs : endMs + waitForEndEstimate(slots, runOptions),
    ...(assembled?.stopReason !== undefined ? { stopReason: assembled.stopReason } : {}),
    unclosed,
    ...(streamError !== undefined ? { error: `the stream failed after ${live.events} event${live.events === 1 ? '' : 's'}: ${streamError}` } : {}),
  };
  return {
    status, makespanMs, results, stream: info,
    ...(listenerErrors > 0 ? { onEventError: `a listener threw ${listenerErrors === 1 ? 'once' : `${listenerErrors} times`} (first ${firstListenerError}); the stream was still read and the calls ran` } : {}),
  };
}

/** The scheduler's makespan for the calls as they ran here (durations measured), all ready at once under the same caps (annotations do not change a makespan: no handlers needed). */
function waitForEndEstimate(slots: readonly Slot[], o: RunToolCallsOptions): number {
  if (slots.length === 0) return 0;
  const plan = batchPlan(slots.map((s) => s.call), {}, o);
  const { graph } = buildGraph(plan);
  if (!graph) return 0;
  const durations = slots.map((s) => (s.result?.startedAt != null && s.result.endedAt != null ? s.result.endedAt - s.result.startedAt : 0));
  return predictMakespan(plan, graph, durations, o.maxConcurrency);
}

function cancelReason(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  if (r instanceof Error && r.name !== 'AbortError') return `run cancelled: ${r.message}`;
  if (typeof r === 'string' && r !== '') return `run cancelled: ${r}`;
  return 'run cancelled';
}

/** The SDKs yield plain parsed JSON objects; anything else (class instances) is read through JSON. */
function toJson(event: unknown): JsonValue {
  if (event === null || typeof event !== 'object') return (event ?? null) as JsonValue;
  const proto = Object.getPrototypeOf(event) as unknown;
  if (proto === Object.prototype || proto === null) return event as JsonValue;
  try {
    return JSON.parse(JSON.stringify(event)) as JsonValue;
  } catch {
    return null;
  }
}

function toAsync<T>(it: Iterator<T>): AsyncIterator<T> {
  return {
    next: () => Promise.resolve(it.next()),
    return: () => Promise.resolve(it.return?.() ?? { done: true as const, value: undefined }),
  };
}

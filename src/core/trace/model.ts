// The normalised trace: what every reader (OTLP, OpenInference, LangSmith, Langfuse, OpenAI Agents,
// Fanout run records) turns its format into, and what the turn rebuild, the audit rules and the
// counterfactual read. Times are absolute milliseconds (epoch or the source's own origin); the
// rebuild shifts them to "ms from the trace start". See docs/audit.md.
import type { JsonValue } from '../plan/types';

export const TRACE_FORMATS = ['otlp', 'openinference', 'langsmith', 'langfuse', 'openai-agents', 'fanout'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

/** What a span is, for the audit: a model call (a turn), a tool call, or structure around them. */
export type SpanRole = 'model' | 'tool' | 'agent' | 'other';

/** A span's outcome. `cancelled` is told apart from `error` whenever the source says so. */
export type SpanStatus = 'ok' | 'error' | 'cancelled' | 'unset';

/** One tool call a model turn asked for (from its captured output). */
export interface EmittedCall {
  readonly id?: string;
  readonly name: string;
  /** The arguments as the model wrote them: a JSON value, or raw text when not JSON. */
  readonly arguments?: JsonValue;
}

export interface TraceSpan {
  /** Unique within the trace (readers prefix ids from different traces when needed). */
  readonly id: string;
  readonly parentId: string | null;
  readonly traceId: string;
  readonly name: string;
  readonly role: SpanRole;
  readonly startMs: number;
  /** NaN when the span never ended (still open when the trace was written). */
  readonly endMs: number;
  readonly status: SpanStatus;
  readonly error?: string;
  /** Tool spans: the tool's name and the provider's call id, when recorded. */
  readonly toolName?: string;
  readonly callId?: string;
  /** Tool spans: the arguments and the result, when content was captured. */
  readonly arguments?: JsonValue;
  readonly result?: JsonValue;
  /** Model spans: the calls the model emitted (captured output), in order. */
  readonly emitted?: readonly EmittedCall[];
  /** Model spans: text of the input (the prompt, tool results fed back), when captured. */
  readonly input?: JsonValue;
  /** Model spans: the model name, when recorded. */
  readonly model?: string;
  /** When it could have started (Fanout records: queuedAt), absolute ms like startMs. */
  readonly readyMs?: number;
  /** Where the span stands in the trace file (its id text), to position diagnostics. */
  readonly locate?: string;
}

export interface NormalisedTrace {
  readonly format: TraceFormat;
  readonly spans: readonly TraceSpan[];
  /** What the reader had to guess or could not find, said plainly. */
  readonly notes: readonly string[];
}

/** Unreadable input: what is wrong and where (1-based line and column), and how to fix it. */
export class TraceError extends Error {
  constructor(message: string, readonly line = 1, readonly column = 1) {
    super(message);
    this.name = 'TraceError';
  }
}

/** For readers that build a span field by field (faster than spreading optional fields). */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };

import type { JsonValue } from '../plan/types';

export type ToolStatus = 'succeeded' | 'failed' | 'skipped' | 'cancelled' | 'timed-out';
export type RunStatus = 'succeeded' | 'failed' | 'cancelled';

/** Everything the executor reports, with times in ms from the run start (high resolution). */
export type RunEvent =
  | { readonly type: 'run-started'; readonly at: number; readonly tools: readonly string[] }
  | { readonly type: 'queued'; readonly at: number; readonly id: string }
  | { readonly type: 'started'; readonly at: number; readonly id: string; readonly attempt: number }
  | { readonly type: 'attempt-failed'; readonly at: number; readonly id: string; readonly attempt: number; readonly error: string; readonly timedOut: boolean }
  | { readonly type: 'retrying'; readonly at: number; readonly id: string; readonly attempt: number; readonly delayMs: number }
  | { readonly type: 'succeeded'; readonly at: number; readonly id: string; readonly output: JsonValue }
  | { readonly type: 'failed'; readonly at: number; readonly id: string; readonly error: string }
  | { readonly type: 'timed-out'; readonly at: number; readonly id: string; readonly error: string }
  | { readonly type: 'skipped'; readonly at: number; readonly id: string; readonly reason: string }
  | { readonly type: 'cancelled'; readonly at: number; readonly id: string; readonly reason: string }
  | { readonly type: 'run-ended'; readonly at: number; readonly status: RunStatus };

export interface AttemptRecord {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly error: string | null;
}

export interface ToolRecord {
  readonly id: string;
  readonly status: ToolStatus;
  readonly queuedAt: number | null;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly attempts: readonly AttemptRecord[];
  readonly output: JsonValue;
  readonly error: string | null;
}

/** The contract object of `fanout simulate --json` / `fanout run --json` (DESIGN.md §3). */
export interface RunRecord {
  readonly status: RunStatus;
  readonly makespanMs: number;
  readonly sequentialMs: number;
  readonly criticalPathMs: number;
  readonly lowerBoundMs: number;
  readonly maxObservedConcurrency: number;
  /** In plan order, whatever the finish order. */
  readonly tools: readonly ToolRecord[];
}

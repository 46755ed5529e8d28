// The shapes runToolCalls returns (DESIGN §8), shared by the runner and the provider converters.
import type { JsonValue } from '../plan/types';
import type { ToolStatus } from '../engine/types';
import type { RecordOutcome } from './recordWriter';

export type { RecordOutcome } from './recordWriter';

/** A call's final state: the engine's statuses plus `denied` (approval refused, DESIGN §7). */
export type CallStatus = ToolStatus | 'denied';

/** One call's outcome, in call order and paired with the provider's call id. */
export interface CallResult {
  /** The provider's call id, as given in the call. */
  readonly id: string;
  /** The function name the model asked for. */
  readonly name: string;
  readonly status: CallStatus;
  /** The handler's result made JSON (null unless `succeeded`). */
  readonly output: JsonValue;
  /** Why the call did not succeed (null when it did). */
  readonly error: string | null;
  /** How many attempts ran (0 for a call that never started: skipped, denied, cancelled in the queue). */
  readonly attempts: number;
  /** ms from the batch start; null when the call never started. */
  readonly startedAt: number | null;
  readonly endedAt: number | null;
}

/** What runToolCalls resolves with. `status` is `succeeded` only when every call succeeded. */
export interface BatchResult {
  readonly status: 'succeeded' | 'failed' | 'cancelled';
  readonly makespanMs: number;
  /** Exactly one per call, in the order of the calls given. */
  readonly results: readonly CallResult[];
  /**
   * Only with `recordFile`: resolves once the record is written — `{ ok: true, path }` when the
   * file is in place, `{ ok: false, path, error }` when the write failed (the results are
   * complete either way). It never rejects. The record is written just after the results are
   * handed back, so `await batch.recorded` before reading the file (docs/library.md "Run records").
   * The record's text is made then, from the results' own `output` values: change one in place
   * before that and the record shows the change.
   */
  readonly recorded?: Promise<RecordOutcome>;
  /**
   * Kept for code written against it: runToolCalls no longer sets it, since the record is
   * written after the results are handed back; a write error is in `await batch.recorded`.
   * A record path refused before the batch (no such directory) still throws a TypeError.
   * @deprecated read `(await batch.recorded).error` instead.
   */
  readonly recordError?: string;
  /** Only when `onEvent` threw: how often and the first error (the batch went on regardless). */
  readonly onEventError?: string;
}

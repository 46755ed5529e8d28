// The shapes runToolCalls returns (DESIGN §8), shared by the runner and the provider converters.
import type { JsonValue } from '../plan/types';
import type { ToolStatus } from '../engine/types';

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
  /** Only with `recordFile`, when writing it failed after the run (the results are complete). */
  readonly recordError?: string;
  /** Only when `onEvent` threw: how often and the first error (the batch went on regardless). */
  readonly onEventError?: string;
}

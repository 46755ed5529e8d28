// The two dispatch policies of a streamed turn (DESIGN §9), on the same clock so their
// difference is a fair measurement: `dispatch-on-close` starts each call when its arguments
// close; `wait-for-end` (what the SDKs' tool runners do) starts nothing before the stream ends.
import type { StreamTiming } from './timing';

export const STREAM_POLICIES = ['dispatch-on-close', 'wait-for-end'] as const;
export type StreamPolicy = (typeof STREAM_POLICIES)[number];
export const DEFAULT_STREAM_POLICY: StreamPolicy = 'dispatch-on-close';

export function isStreamPolicy(v: unknown): v is StreamPolicy {
  return typeof v === 'string' && (STREAM_POLICIES as readonly string[]).includes(v);
}

/** Each tool's arrival on the run's clock (ExecuteOptions.arrivals) under a policy. */
export function arrivalsFor(timing: StreamTiming, policy: StreamPolicy): number[] {
  return policy === 'wait-for-end' ? timing.closeMs.map(() => timing.endMs) : [...timing.closeMs];
}

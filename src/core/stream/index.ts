// Streaming dispatch (DESIGN §9; README "Streaming dispatch"): timing of recorded streams,
// the dispatch policies, and streamed turns on the engine.
export { DEFAULT_TOKENS_PER_SECOND, CHARS_PER_TOKEN, isStreamable, streamTiming } from './timing';
export type { StreamTiming, StreamTimingOptions } from './timing';
export { STREAM_POLICIES, DEFAULT_STREAM_POLICY, isStreamPolicy, arrivalsFor } from './policy';
export type { StreamPolicy } from './policy';
export { simulateStream, executeStream } from './run';
export type { StreamRunInfo, StreamRunRecord, StreamOptions } from './run';

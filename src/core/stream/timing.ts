// When each streamed call closed, on the run's clock (README "Streaming dispatch", DESIGN §9).
// A recording with timestamps replays on its own times; one without is replayed at a stated
// token rate, from how much text the model had generated when each call closed (the importers
// count it per event: ToolStreamPosition.outputChars). The stream's first event is time 0.
import type { Plan } from '../plan/types';

/**
 * Default generation speed for recordings without timestamps: 80 output tokens per second.
 * Source: Artificial Analysis, "GPT-4o (May '24): API Provider Benchmarking" — OpenAI's median
 * output speed 81 tokens/s (Azure 115 t/s); an OpenAI community measurement of the same model
 * found a mean of 63 t/s over 8 runs (gpt-4-turbo: 36 t/s). docs/streaming.md keeps the sources.
 */
export const DEFAULT_TOKENS_PER_SECOND = 80;

/**
 * Characters per token for the text a stream carries: OpenAI's rule of thumb for English text
 * ("one token ≈ 4 characters"). Argument JSON tokenizes a little denser, so replays are, if
 * anything, slightly fast — the same for both policies, so their ratio is not affected.
 */
export const CHARS_PER_TOKEN = 4;

export interface StreamTiming {
  /** Per tool (plan order): ms from the stream's first event at which its arguments closed. */
  readonly closeMs: readonly number[];
  /** When the stream ended (its last event), ms from its first. Never before the last close. */
  readonly endMs: number;
  /** `recorded`: the recording's own timestamps; `token-rate`: replayed at tokensPerSecond. */
  readonly source: 'recorded' | 'token-rate';
  /** The rate used (token-rate only). */
  readonly tokensPerSecond?: number;
}

export interface StreamTimingOptions {
  /** Replay speed for recordings without timestamps. Default DEFAULT_TOKENS_PER_SECOND. */
  readonly tokensPerSecond?: number;
  /** Use the token rate even when the recording has timestamps. */
  readonly ignoreTimestamps?: boolean;
}

/** Whether a plan can be streamed: a recorded stream (`*-stream` formats) or an LLMCompiler plan. */
export function isStreamable(plan: Plan): boolean {
  return plan.stream !== undefined || plan.format === 'llmcompiler';
}

/**
 * The close time of every call. Throws (RangeError) for a bad rate and (TypeError) for a plan
 * that is not a stream, so callers check isStreamable first.
 */
export function streamTiming(plan: Plan, options: StreamTimingOptions = {}): StreamTiming {
  const rate = options.tokensPerSecond ?? DEFAULT_TOKENS_PER_SECOND;
  if (!(typeof rate === 'number' && Number.isFinite(rate) && rate > 0)) throw new RangeError(`the token rate must be a positive number of tokens per second, not ${String(rate)}`);
  const msPerChar = 1000 / (rate * CHARS_PER_TOKEN);
  const info = plan.stream;
  if (info) {
    const recorded = !options.ignoreTimestamps && info.endMs !== undefined && plan.tools.every((t) => t.stream?.closedAtMs !== undefined);
    if (recorded) {
      const closeMs = plan.tools.map((t) => Math.max(0, t.stream?.closedAtMs ?? 0));
      return { closeMs, endMs: Math.max(info.endMs ?? 0, ...closeMs), source: 'recorded' };
    }
    const closeMs = plan.tools.map((t) => (t.stream?.outputChars ?? 0) * msPerChar);
    return { closeMs, endMs: Math.max((info.outputChars ?? 0) * msPerChar, ...closeMs), source: 'token-rate', tokensPerSecond: rate };
  }
  if (plan.format === 'llmcompiler') {
    // An LLMCompiler planner streams its plan as text: a step can run once its line is complete
    // (its task-fetching unit starts it then). The characters up to the step's end are what the
    // model had generated; the plan's end is the end of its text.
    const closeMs = plan.tools.map((t) => (t.ranges.tool.offset + t.ranges.tool.length) * msPerChar);
    const root = plan.ranges.root;
    const end = root ? root.offset + root.length : 0;
    return { closeMs, endMs: Math.max(end * msPerChar, ...closeMs), source: 'token-rate', tokensPerSecond: rate };
  }
  throw new TypeError(`'${plan.name}' is not a stream: streaming dispatch needs a recorded stream (openai-stream, openai-responses-stream, anthropic-stream, vercel-ai streams) or an LLMCompiler plan`);
}

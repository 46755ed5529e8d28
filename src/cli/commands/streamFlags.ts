// `--stream-policy` and `--token-rate` for `simulate` and `run` (DESIGN §9; README "Streaming
// dispatch"). A recorded stream is always run as a stream (dispatch-on-close unless told
// otherwise); an LLMCompiler plan only when one of the flags asks for it; any other plan with
// these flags is an error that says what the flags need.
import type { Plan } from '../../core/plan/types';
import { isStreamable } from '../../core/stream/timing';
import { isStreamPolicy, STREAM_POLICIES } from '../../core/stream/policy';
import type { StreamOptions, StreamRunInfo } from '../../core/stream/run';
import type { RunRecord } from '../../core/engine/types';
import type { CliIO } from '../io';

export const STREAM_FLAGS = { 'stream-policy': 'string', 'token-rate': 'integer' } as const;
export const STREAM_USAGE = '[--stream-policy dispatch-on-close|wait-for-end] [--token-rate TOKENS_PER_S]';

export type StreamChoice = { readonly ok: true; readonly stream?: StreamOptions } | { readonly ok: false; readonly error: string };

export function streamChoice(flags: Readonly<Record<string, unknown>>, plan: Plan): StreamChoice {
  const policy = flags['stream-policy'];
  const rate = flags['token-rate'];
  if (policy !== undefined && !isStreamPolicy(policy)) {
    return { ok: false, error: `--stream-policy must be one of ${STREAM_POLICIES.join(', ')}, not '${String(policy)}'` };
  }
  const asked = policy !== undefined || rate !== undefined;
  if (!isStreamable(plan) || (!plan.stream && !asked)) {
    if (!asked) return { ok: true };
    return { ok: false, error: `${policy !== undefined ? '--stream-policy' : '--token-rate'} needs a recorded stream (OpenAI, Responses or Anthropic SSE / JSON lines) or an LLMCompiler plan; '${plan.name}' is a ${plan.format} plan` };
  }
  return {
    ok: true,
    stream: {
      ...(isStreamPolicy(policy) ? { policy } : {}),
      // A rate given on the command line wins over the recording's timestamps.
      ...(typeof rate === 'number' ? { timing: { tokensPerSecond: rate, ignoreTimestamps: true } } : {}),
    },
  };
}

/** Calls that never closed: one warning line each on stderr (they are also in the JSON's stream.unclosed). */
export function warnUnclosed(io: CliIO, command: string, record: RunRecord & { readonly stream?: StreamRunInfo }): void {
  for (const c of record.stream?.unclosed ?? []) {
    io.stderr(`fanout ${command}: warning: the arguments of '${c.name || 'unnamed call'}'${c.callId ? ` (call '${c.callId}')` : ''} never closed (the stream was cut off): it was not run.\n`);
  }
}

// The `simulate` tool kind: waits `durationMs` on the run's clock (instant on the virtual clock),
// then succeeds with `result`, or fails for retry and failure demos (DESIGN §2).
import type { JsonValue } from '../plan/types';
import type { RunnerContext, ToolRunner } from '../engine/types';
import { abortError, describeType } from './common';

export const simulateRunner: ToolRunner = {
  async run(ctx: RunnerContext): Promise<JsonValue> {
    const { args } = ctx;
    // Imported calls (OpenAI, Anthropic, LLMCompiler) become simulate tools without a durationMs:
    // they take their estimate, as in `fanout simulate`, so a real run and a simulation agree.
    const duration = args.durationMs === undefined ? ctx.tool.estimateMs : args.durationMs;
    if (typeof duration !== 'number' || !Number.isFinite(duration) || duration < 0) {
      throw new Error(`simulate tool: args.durationMs must be a non-negative number of milliseconds (got ${describeType(duration)}), e.g. "durationMs": 500.`);
    }
    const failTimes = args.failTimes;
    if (failTimes !== undefined && (typeof failTimes !== 'number' || !Number.isFinite(failTimes) || failTimes < 0)) {
      throw new Error(`simulate tool: args.failTimes must be a non-negative number when given (got ${describeType(failTimes)}).`);
    }
    if (ctx.signal.aborted) throw abortError(ctx.signal);
    if (duration > 0) await ctx.clock.sleep(duration, ctx.signal);
    if (args.error !== undefined && args.error !== null && args.error !== false) {
      throw new Error(typeof args.error === 'string' ? args.error : JSON.stringify(args.error));
    }
    if (typeof failTimes === 'number' && ctx.attempt <= failTimes) {
      throw new Error(`simulated failure (attempt ${ctx.attempt} of the first ${failTimes} that fail)`);
    }
    return args.result === undefined ? null : args.result;
  },
};

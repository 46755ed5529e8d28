// Shared by codeExercises.test.ts and node22.test.ts: each typical mistake fails its own tests.

/** For each wrong file (and the start), tests that must fail: the mistake each one stands for. */
export const MUST_FAIL: Readonly<Record<string, readonly RegExp[]>> = {
  'lessons/exercises/bounded-settle/start.ts': [/at most limit/, /ignores its signal/, /never rejects/],
  'lessons/exercises/bounded-settle/wrong-no-deadline.ts': [/aborts at its deadline/, /ignores its signal/],
  'lessons/exercises/bounded-settle/wrong-unbounded.ts': [/at most limit/, /rest are never started/],
  'lessons/exercises/bounded-settle/wrong-batch-deadline.ts': [/counts each deadline from when that call starts/],
  'lessons/exercises/bounded-settle/wrong-chunked.ts': [/as soon as any slot frees/],
  'lessons/exercises/bounded-settle/wrong-stop-ignored.ts': [/settles a running call at once/],
  'lessons/exercises/tool-result-messages/start.mjs': [/Chat Completions/, /never reached/, /Responses/, /Anthropic: one user message/],
  'lessons/exercises/tool-result-messages/wrong-by-position.mjs': [/paired by tool_call_id/, /paired by call_id/, /is_error/],
  'lessons/exercises/tool-result-messages/wrong-unanswered.mjs': [/never reached/, /paired by tool_call_id/],
  'lessons/exercises/tool-result-messages/wrong-anthropic-order.mjs': [/tool_result first/, /is_error/],
  'lessons/exercises/bounded-taskgroup/start.py': [/at most limit/, /own timeout/],
  'lessons/exercises/bounded-taskgroup/wrong_unbounded.py': [/at most limit/],
  'lessons/exercises/bounded-taskgroup/wrong_unguarded.py': [/one failing call does not cancel the others/],
  'lessons/exercises/bounded-taskgroup/wrong_leaky.py': [/cancelling gather_limited cancels every running call/],
};

// Exercise: answer every tool call, paired by id, for three APIs. Edit this file, then press
// "Run tests" in the Lab.
// @ts-check

/** @typedef {{ id: string, name: string }} ToolCall  As the model sent them, in its order. */
/**
 * @typedef {{ id: string, outcome: 'ok', value: unknown }
 *   | { id: string, outcome: 'error' | 'cancelled' | 'skipped' | 'denied', message: string }} Settled
 * In the order the calls finished; a call the run never reached has none.
 */

/** @param {ToolCall[]} calls @param {Settled[]} settled */
export function chatCompletions(calls, settled) {
  // TODO: this answers in finish order, only the calls that settled, and loses failures.
  return settled.map((s) => ({ role: 'tool', tool_call_id: s.id, content: s.outcome === 'ok' ? s.value : '' }));
}

/** @param {ToolCall[]} calls @param {Settled[]} settled */
export function responses(calls, settled) {
  // TODO
  return [];
}

/** @param {ToolCall[]} calls @param {Settled[]} settled @param {string} [note] */
export function anthropic(calls, settled, note) {
  // TODO: one user message, the tool_result blocks first.
  return { role: 'user', content: [] };
}

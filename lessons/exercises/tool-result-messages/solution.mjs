// Reference solution: every call answered in the model's order, each found by id among the
// settled results (finish order), a call with none answered as cancelled; Anthropic's results in
// one user message, tool_result blocks first, then the note.
// @ts-check

/** @typedef {{ id: string, name: string }} ToolCall */
/**
 * @typedef {{ id: string, outcome: 'ok', value: unknown }
 *   | { id: string, outcome: 'error' | 'cancelled' | 'skipped' | 'denied', message: string }} Settled
 */

/** @param {ToolCall[]} calls @param {Settled[]} settled @returns {{ call: ToolCall, s: Settled }[]} */
function answers(calls, settled) {
  const byId = new Map(settled.map((s) => [s.id, s]));
  return calls.map((call) => ({
    call,
    s: byId.get(call.id) ?? { id: call.id, outcome: 'cancelled', message: 'not run: the run ended before this call started' },
  }));
}

/** @param {Settled} s */
function text(s) {
  if (s.outcome === 'ok') return typeof s.value === 'string' ? s.value : JSON.stringify(s.value);
  return `${s.outcome}: ${s.message}`;
}

/** @param {ToolCall[]} calls @param {Settled[]} settled */
export function chatCompletions(calls, settled) {
  return answers(calls, settled).map(({ call, s }) => ({ role: 'tool', tool_call_id: call.id, content: text(s) }));
}

/** @param {ToolCall[]} calls @param {Settled[]} settled */
export function responses(calls, settled) {
  return answers(calls, settled).map(({ call, s }) => ({ type: 'function_call_output', call_id: call.id, output: text(s) }));
}

/** @param {ToolCall[]} calls @param {Settled[]} settled @param {string} [note] */
export function anthropic(calls, settled, note) {
  const results = answers(calls, settled).map(({ call, s }) => ({
    type: 'tool_result',
    tool_use_id: call.id,
    content: text(s),
    ...(s.outcome !== 'ok' ? { is_error: true } : {}),
  }));
  return { role: 'user', content: [...results, ...(note ? [{ type: 'text', text: note }] : [])] };
}

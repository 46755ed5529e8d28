// A typical wrong solution: paired by id, but only the calls that settled are answered (in finish
// order): the call a cancelled run never reached is left without an answer.
const text = (s) => (s.outcome === 'ok' ? (typeof s.value === 'string' ? s.value : JSON.stringify(s.value)) : `${s.outcome}: ${s.message}`);
export function chatCompletions(calls, settled) {
  return settled.map((s) => ({ role: 'tool', tool_call_id: s.id, content: text(s) }));
}
export function responses(calls, settled) {
  return settled.map((s) => ({ type: 'function_call_output', call_id: s.id, output: text(s) }));
}
export function anthropic(calls, settled, note) {
  const blocks = settled.map((s) => ({ type: 'tool_result', tool_use_id: s.id, content: text(s), ...(s.outcome !== 'ok' ? { is_error: true } : {}) }));
  return { role: 'user', content: [...blocks, ...(note ? [{ type: 'text', text: note }] : [])] };
}

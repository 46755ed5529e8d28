// A typical wrong solution: pairs the i-th settled result with the i-th call. Settled results are
// in finish order, so answers land on the wrong ids (and the unreached call gets nothing).
const text = (s) => (s.outcome === 'ok' ? (typeof s.value === 'string' ? s.value : JSON.stringify(s.value)) : `${s.outcome}: ${s.message}`);
const cancelled = { outcome: 'cancelled', message: 'not run' };
export function chatCompletions(calls, settled) {
  return calls.map((c, i) => ({ role: 'tool', tool_call_id: c.id, content: text(settled[i] ?? cancelled) }));
}
export function responses(calls, settled) {
  return calls.map((c, i) => ({ type: 'function_call_output', call_id: c.id, output: text(settled[i] ?? cancelled) }));
}
export function anthropic(calls, settled, note) {
  const blocks = calls.map((c, i) => ({ type: 'tool_result', tool_use_id: c.id, content: text(settled[i] ?? cancelled), ...((settled[i] ?? cancelled).outcome !== 'ok' ? { is_error: true } : {}) }));
  return { role: 'user', content: [...blocks, ...(note ? [{ type: 'text', text: note }] : [])] };
}

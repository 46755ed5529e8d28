// A typical wrong solution: Chat Completions and Responses are right, but the Anthropic message
// puts the note before the results (the API wants tool_result blocks first) and flags no errors.
const byId = (settled) => new Map(settled.map((s) => [s.id, s]));
const text = (s) => (s.outcome === 'ok' ? (typeof s.value === 'string' ? s.value : JSON.stringify(s.value)) : `${s.outcome}: ${s.message}`);
const find = (m, c) => m.get(c.id) ?? { outcome: 'cancelled', message: 'not run' };
export function chatCompletions(calls, settled) {
  const m = byId(settled);
  return calls.map((c) => ({ role: 'tool', tool_call_id: c.id, content: text(find(m, c)) }));
}
export function responses(calls, settled) {
  const m = byId(settled);
  return calls.map((c) => ({ type: 'function_call_output', call_id: c.id, output: text(find(m, c)) }));
}
export function anthropic(calls, settled, note) {
  const m = byId(settled);
  return { role: 'user', content: [...(note ? [{ type: 'text', text: note }] : []), ...calls.map((c) => ({ type: 'tool_result', tool_use_id: c.id, content: text(find(m, c)) }))] };
}

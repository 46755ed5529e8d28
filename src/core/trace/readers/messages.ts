// Tool calls inside captured model output, in the shapes the SDKs serialise them: LangChain
// messages (`tool_calls: [{ name, args, id }]`, also inside `kwargs` of a serialised message),
// OpenAI chat messages (`tool_calls: [{ id, function: { name, arguments } }]`), Responses items
// (`{ type: "function_call", call_id, name, arguments }`), Anthropic `tool_use` blocks.
import type { EmittedCall } from '../model';
import { isObject, maybeJson, str } from '../values';

export function findToolCalls(v: unknown): EmittedCall[] {
  const out: EmittedCall[] = [];
  const seen = new Set<string>();
  walk(v, 0, out, seen);
  return out;
}

function add(out: EmittedCall[], seen: Set<string>, name: unknown, id: unknown, args: unknown): void {
  if (typeof name !== 'string' || name === '') return;
  const cid = str(id);
  const key = cid ?? `${name}\u0000${out.length}`;
  if (cid && seen.has(cid)) return;
  seen.add(key);
  const parsed = maybeJson(args);
  out.push({ name, ...(cid ? { id: cid } : {}), ...(parsed !== undefined ? { arguments: parsed } : {}) });
}

function walk(v: unknown, depth: number, out: EmittedCall[], seen: Set<string>): void {
  if (depth > 10 || v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    for (const x of v) walk(x, depth + 1, out, seen);
    return;
  }
  const o = v as Record<string, unknown>;
  if (o.type === 'function_call' && typeof o.name === 'string') add(out, seen, o.name, o.call_id ?? o.id, o.arguments);
  else if (o.type === 'tool_use' && typeof o.name === 'string') add(out, seen, o.name, o.id, o.input);
  else if (o.type === 'tool_call' && typeof o.name === 'string') add(out, seen, o.name, o.id, o.args ?? o.arguments);
  if (Array.isArray(o.tool_calls)) {
    for (const c of o.tool_calls) {
      if (!isObject(c)) continue;
      if (isObject(c.function)) add(out, seen, c.function.name, c.id, c.function.arguments);
      else add(out, seen, c.name, c.id, c.args ?? c.arguments);
    }
  }
  for (const [k, x] of Object.entries(o)) {
    if (k === 'tool_calls' || k === 'invalid_tool_calls' || k === 'tool_call_chunks') continue;
    if (typeof x === 'object' && x !== null) walk(x, depth + 1, out, seen);
  }
}

/** The first value under one of `keys`, searched a few levels deep (tool_call_id and friends). */
export function findKey(v: unknown, keys: readonly string[], depth = 0): string | undefined {
  if (depth > 5 || v === null || typeof v !== 'object') return undefined;
  if (Array.isArray(v)) {
    for (const x of v) {
      const f = findKey(x, keys, depth + 1);
      if (f) return f;
    }
    return undefined;
  }
  const o = v as Record<string, unknown>;
  for (const k of keys) {
    const s = str(o[k]);
    if (s) return s;
  }
  for (const x of Object.values(o)) {
    const f = findKey(x, keys, depth + 1);
    if (f) return f;
  }
  return undefined;
}

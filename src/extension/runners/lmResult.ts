// Language-model tool results are lists of parts. A run record wants one JSON value: text parts
// are joined, and parsed as JSON when they are JSON. Pure: no 'vscode' (parts are duck-typed).
import type { JsonValue } from '../../core/plan/types';
import { toJsonSafe } from './jsonSafe';
import { editDistance } from '../../core/plan/suggest';

export function partsToOutput(parts: readonly unknown[]): JsonValue {
  const texts: string[] = [];
  const others: JsonValue[] = [];
  for (const p of parts) {
    const value = (p as { value?: unknown } | null)?.value;
    if (typeof value === 'string') texts.push(value);
    else if (p !== null && p !== undefined) others.push(toJsonSafe(value ?? p));
  }
  if (texts.length === 0) return others.length === 0 ? null : others.length === 1 ? others[0] : others;
  const text = texts.join('');
  const parsed = tryJson(text);
  const main = parsed === undefined ? text : parsed;
  return others.length === 0 ? main : { text: main, parts: others };
}

function tryJson(text: string): JsonValue | undefined {
  const t = text.trim();
  if (!(t.startsWith('{') || t.startsWith('[') || t.startsWith('"'))) return undefined;
  try {
    return toJsonSafe(JSON.parse(t));
  } catch {
    return undefined;
  }
}

/** Names close to `name` among the available ones: edit distance, then shared words. */
export function similarNames(name: string, available: readonly string[], max = 5): string[] {
  const n = name.toLowerCase();
  const words = n.split(/[^a-z0-9]+/).filter((w) => w.length >= 3);
  const scored = available.map((a) => {
    const l = a.toLowerCase();
    let score = editDistance(n, l);
    if (l.includes(n) || n.includes(l)) score -= 5;
    if (words.some((w) => l.includes(w))) score -= 3;
    return { a, score };
  });
  const limit = Math.max(3, Math.floor(n.length / 2));
  return scored.filter((s) => s.score <= limit).sort((x, y) => x.score - y.score || x.a.localeCompare(y.a)).slice(0, max).map((s) => s.a);
}

export function unknownToolMessage(name: string, available: readonly string[]): string {
  if (available.length === 0) {
    return `No language-model tool named '${name}': VS Code has no LM tools registered right now. Install or start an extension or MCP server that provides it.`;
  }
  const similar = similarNames(name, available);
  const hint = similar.length > 0 ? ` Did you mean ${similar.map((s) => `'${s}'`).join(', ')}?` : ` Available: ${available.slice(0, 8).map((s) => `'${s}'`).join(', ')}${available.length > 8 ? ` and ${available.length - 8} more` : ''}.`;
  return `No language-model tool named '${name}'.${hint}`;
}

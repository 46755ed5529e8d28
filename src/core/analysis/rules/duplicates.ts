import { makeDiagnostic } from '../../plan/diagnostics';
import type { Diagnostic, JsonValue, ToolSpec } from '../../plan/types';
import type { RuleContext } from '../analyze';
import { removeTool, setTopLevelKey } from '../fixes';
import { quickFix, toolRange, topoPositions } from './common';
import { areAncestors } from './reachability';

/**
 * duplicate-call: the same call (kind and deep-equal args) twice in a batch, where neither waits for
 * the other, so the second does the same work again. A call that runs after its twin is left alone:
 * re-reading state after something changed it is deliberate (poll, verify).
 */
export function duplicateCallRule(ctx: RuleContext): Diagnostic[] {
  const { plan, graph, order } = ctx;
  if (plan.dedupe) return [];
  // Tools alone with their kind (and label, for named kinds) cannot have a twin: only the others
  // pay for the canonical JSON of their args. Groups keep their first-seen order either way.
  const prefixCount = new Map<string, number>();
  for (const t of plan.tools) {
    const p = callPrefix(t);
    prefixCount.set(p, (prefixCount.get(p) ?? 0) + 1);
  }
  const groups = new Map<string, number[]>();
  for (const t of plan.tools) {
    const prefix = callPrefix(t);
    if (prefixCount.get(prefix) === 1) continue;
    const key = `${prefix}${canonical(t.args)}`;
    const list = groups.get(key);
    if (list) list.push(t.index);
    else groups.set(key, [t.index]);
  }
  const pos = topoPositions(order);
  const pairs: [number, number][] = [];
  for (const list of groups.values()) {
    for (let k = 1; k < list.length; k++) {
      const [a, b] = [list[0], list[k]];
      pairs.push(pos[a] < pos[b] ? [a, b] : [b, a]);
    }
  }
  const ordered = areAncestors(graph, order, pairs);
  const out: Diagnostic[] = [];
  let q = 0;
  for (const list of groups.values()) {
    const original = plan.tools[list[0]];
    for (let k = 1; k < list.length; k++) {
      if (ordered[q++]) continue;
      const dup = plan.tools[list[k]];
      const hasDependents = graph.succs[dup.index].length > 0;
      const fix = ctx.text === undefined ? undefined
        : hasDependents ? quickFix('Set dedupe: true (identical calls run once)', setTopLevelKey(ctx.text, plan, 'dedupe', true))
          : quickFix(`Remove '${dup.id}' (same call as '${original.id}')`, removeTool(ctx.text, plan, dup));
      out.push(makeDiagnostic({
        code: 'duplicate-call',
        range: toolRange(dup, 'args'),
        tools: [dup.id, original.id],
        message: `'${dup.id}' makes the same ${callName(dup)} call as '${original.id}' (same arguments) and neither waits for the other, so the work is done twice. ${hasDependents ? `Point its dependents at '${original.id}' and remove it, or set "dedupe": true.` : `Remove '${dup.id}', or set "dedupe": true.`}`,
        suggestion: 'Cache or deduplicate identical calls: with "dedupe": true Fanout runs each distinct call once and shares the result.',
        ...(fix ?? {}),
      }));
    }
  }
  return out;
}

/** What the call is, in words: the function name of an imported call (not "simulate"), else the kind. */
function callName(t: ToolSpec): string {
  return (t.kind === 'simulate' || t.kind === 'cpu') && t.label !== t.id ? `'${t.label}'` : t.kind;
}

/**
 * Identity of a call is this prefix plus canonical(args). Simulated and cpu tools stand for work
 * named by their label, and teaching plans give many of them the same `{ durationMs }`; they are
 * the same call only when the label (the imported function name) matches too. For real runners
 * the args are the call.
 */
function callPrefix(t: ToolSpec): string {
  const named = t.kind === 'simulate' || t.kind === 'cpu';
  return `${t.kind}\u0000${named ? t.label : ''}\u0000`;
}

/** JSON with sorted keys, so `{a, b}` and `{b, a}` compare equal. Args are at most 64 levels deep. */
export function canonical(v: JsonValue): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, JsonValue>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

import { makeDiagnostic } from '../../plan/diagnostics';
import type { Diagnostic, TextEdit } from '../../plan/types';
import type { RuleContext } from '../analyze';
import { addDependencies } from '../fixes';
import { names, quickFix, toolRange, topoPositions } from './common';
import { areAncestors } from './reachability';
import { isDestructive, safetyTarget } from '../../plan/safety';
import { writeTargetKey } from '../../plan/writeTarget';

/**
 * write-conflict: two tools that may overlap in time (neither is an ancestor of the other) write
 * the same resource: a race whose outcome depends on timing. One diagnostic per resource. Only
 * tools sharing a written resource are compared, in topological order: if every consecutive pair
 * is ordered, all are (ordering is transitive), so k writers cost k − 1 reachability queries.
 * Paths are compared normalised (`./notes.md` is `notes.md`: src/core/plan/writeTarget.ts).
 */
export function writeConflictRule(ctx: RuleContext): Diagnostic[] {
  const { plan, graph, order } = ctx;
  // With one slot nothing overlaps, so there is no race (the order is still the scheduler's).
  if (plan.maxConcurrency === 1) return [];
  const pos = topoPositions(order);
  const writers = new Map<string, number[]>();
  // Each key's spellings as declared (`./notes.md`, `notes.md`), for the message.
  const spellings = new Map<string, Set<string>>();
  const add = (w: string, i: number): void => {
    const list = writers.get(w);
    if (list) list.push(i);
    else writers.set(w, [i]);
  };
  for (const t of plan.tools) {
    const keys = new Set<string>();
    for (const w of t.writes) {
      const key = writeTargetKey(w);
      keys.add(key);
      const s = spellings.get(key);
      if (s) s.add(w);
      else spellings.set(key, new Set([w]));
    }
    for (const key of keys) add(key, t.index);
    // Destructive MCP calls (and functions) on one server may undo each other: the server is
    // what they write. The key cannot clash with a `writes` name: it starts with a NUL.
    const target = safetyTarget(t);
    if (target !== undefined && isDestructive(t.annotations)) add(`\0${target}`, t.index);
  }
  const groups = [...writers].filter(([, list]) => list.length > 1).map(([resource, list]) => ({ resource, list: list.sort((a, b) => pos[a] - pos[b]) }));
  const pairs: [number, number][] = [];
  for (const g of groups) for (let k = 1; k < g.list.length; k++) pairs.push([g.list[k - 1], g.list[k]]);
  const ordered = areAncestors(graph, order, pairs);

  const out: Diagnostic[] = [];
  let q = 0;
  for (const g of groups) {
    const unordered: [number, number][] = [];
    for (let k = 1; k < g.list.length; k++) {
      if (!ordered[q++] && !serialized(plan, g.list[k - 1], g.list[k])) unordered.push([g.list[k - 1], g.list[k]]);
    }
    if (unordered.length === 0) continue;
    const [a, b] = unordered[0].map((i) => plan.tools[i]);
    const all = [...g.list].sort((x, y) => x - y).map((i) => plan.tools[i].id);
    // The later writer (in plan order) carries the squiggle: it is where the missing dependency goes.
    const anchor = a.index > b.index ? a : b;
    // Chaining the writers in topological order adds only forward edges, so it can never create a cycle.
    let edits: TextEdit[] | undefined;
    if (ctx.text !== undefined) {
      const text = ctx.text;
      const parts = unordered.map(([x, y]) => addDependencies(text, plan, plan.tools[y], [plan.tools[x].id]));
      edits = parts.every((p) => p !== undefined) ? (parts.flat() as TextEdit[]) : undefined;
    }
    const server = g.resource.startsWith('\0') ? g.resource.slice(1) : undefined;
    if (server !== undefined) {
      const others = all.length > 2 ? ` (${all.length} destructive calls: ${names(all)})` : '';
      out.push(makeDiagnostic({
        code: 'write-conflict',
        range: toolRange(anchor, 'args'),
        tools: all,
        message: `'${a.id}' and '${b.id}' are destructive calls to ${server} (by its tools' annotations) and may run at the same time${others}: one may overwrite or delete what the other relies on. Make '${b.id}' depend on '${a.id}', or set "serialWrites": true to run writing calls one at a time per server.`,
        suggestion: 'serialWrites keeps read-only calls concurrent and runs the others one at a time per server; the timeline shows what that costs.',
        ...quickFix(unordered.length === 1 ? `Run '${b.id}' after '${a.id}'` : `Run the destructive calls to ${server} one after another`, edits),
      }));
      continue;
    }
    const others = all.length > 2 ? ` (${all.length} tools write it: ${names(all)})` : '';
    // Name the file as the plan spells it; when spellings differ, say they are one file.
    const spelled = [...(spellings.get(g.resource) ?? [])];
    const shown = spelled.length === 1 ? spelled[0] : g.resource;
    const aka = spelled.length > 1 ? ` (declared as ${spelled.map((x) => `'${x}'`).join(' and ')}: one file)` : '';
    out.push(makeDiagnostic({
      code: 'write-conflict',
      range: toolRange(anchor, 'writes'),
      tools: all,
      message: `'${a.id}' and '${b.id}' both write '${shown}'${aka} and may run at the same time${others}: the result depends on which finishes last. Make one depend on the other ('${b.id}' after '${a.id}'), or write to different resources.`,
      suggestion: `Order the writers of '${shown}' with dependsOn, or have each tool write its own file and merge them in a final step.`,
      ...quickFix(unordered.length === 1 ? `Run '${b.id}' after '${a.id}'` : `Run the writers of '${shown}' one after another`, edits),
    }));
  }
  return out;
}

/** Two tools on one resource limited to 1 never overlap: the limit is a lock. */
function serialized(plan: RuleContext['plan'], i: number, j: number): boolean {
  const r = plan.tools[i].resource;
  if (r === undefined || r !== plan.tools[j].resource || !Object.prototype.hasOwnProperty.call(plan.limits, r)) return false;
  return plan.limits[r] === 1;
}

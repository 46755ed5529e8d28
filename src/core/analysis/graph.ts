import type { Diagnostic, JsonValue, Plan, SourceRange } from '../plan/types';
import { makeDiagnostic } from '../plan/diagnostics';
import { mayContainReference, referencedIds } from '../plan/references';
import { bottomLevels as graphBottomLevels, levelOf, topoOrder } from '../graph';

export { mayContainReference } from '../plan/references';
import { closest } from '../plan/suggest';
import type { CriticalPath, Edge, Graph } from './types';

export interface GraphResult {
  /** Absent when an error (unknown dependency, cycle…) makes the graph unusable. */
  readonly graph?: Graph;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Builds the dependency graph: declared `dependsOn` edges plus edges implied by `${id.output}`
 * references. Reports unknown and self dependencies, unknown references, and cycles (naming the
 * whole cycle). Linear in tools + edges, with no recursion, so 100k-tool plans are fine.
 */
export function buildGraph(plan: Plan): GraphResult {
  const tools = plan.tools;
  const n = tools.length;
  const indexOf = new Map<string, number>();
  for (const t of tools) if (!indexOf.has(t.id)) indexOf.set(t.id, t.index);
  const diagnostics: Diagnostic[] = [];
  const preds: number[][] = Array.from({ length: n }, () => []);
  const succs: number[][] = Array.from({ length: n }, () => []);
  const edges: Edge[] = [];
  let broken = false;
  // "Did you mean" compares against thousands of ids: worth it for a typo or two, not for a plan
  // with thousands of bad ids (5000 of them took 18 s). The first few get a suggestion.
  let suggestions = 0;
  const suggest = (name: string): string => (suggestions++ < MAX_SUGGESTIONS ? suggestId(name, indexOf) : '');
  // Tools the schema rejected: depending on one is broken, but the schema error already says why.
  const unread = plan.unreadIds && plan.unreadIds.length > 0 ? new Set(plan.unreadIds) : undefined;

  // Dependencies already added for the tool being read: stamp[j] === its index + 1.
  const stamp = new Int32Array(n);
  for (const t of tools) {
    const mark = t.index + 1;
    const deps = t.dependsOn;
    for (let k = 0; k < deps.length; k++) {
      const dep = deps[k];
      if (dep === t.id) {
        broken = true;
        diagnostics.push(makeDiagnostic({ code: 'self-dependency', range: depRange(t, k), tools: [t.id],
          message: `Tool '${t.id}' depends on itself, so it could never start. Remove '${dep}' from its dependsOn.` }));
        continue;
      }
      const j = indexOf.get(dep);
      if (j === undefined) {
        broken = true;
        if (unread?.has(dep)) continue;
        diagnostics.push(makeDiagnostic({ code: 'unknown-dependency', range: depRange(t, k), tools: [t.id],
          message: `Tool '${t.id}' depends on '${dep}', which is not a tool in this plan.${suggest(dep)} Fix the id or remove it from dependsOn.` }));
        continue;
      }
      if (stamp[j] === mark) continue;
      stamp[j] = mark;
      preds[t.index].push(j);
      succs[j].push(t.index);
      edges.push({ from: dep, to: t.id, via: 'declared' });
    }
    if (!mayContainReference(t.args, 0)) continue;
    for (const ref of referencedIds(t.args)) {
      const range = refRange(t, ref);
      if (ref === t.id) {
        broken = true;
        diagnostics.push(makeDiagnostic({ code: 'self-dependency', range, tools: [t.id],
          message: `Tool '${t.id}' uses its own output (\${${ref}.output}), which does not exist until it finishes. Reference another tool's output.` }));
        continue;
      }
      const j = indexOf.get(ref);
      if (j === undefined) {
        broken = true;
        if (unread?.has(ref)) continue;
        diagnostics.push(makeDiagnostic({ code: 'unknown-reference', range, tools: [t.id],
          message: `Tool '${t.id}' references \${${ref}.output}, but there is no tool '${ref}'.${suggest(ref)} Fix the id in the reference.` }));
        continue;
      }
      if (stamp[j] === mark) continue;
      stamp[j] = mark;
      preds[t.index].push(j);
      succs[j].push(t.index);
      edges.push({ from: ref, to: t.id, via: 'reference' });
    }
  }
  // The cycle check runs over the edges that are fine even when others are broken: a plan with a
  // typo and a cycle should report both at once, not the cycle only after the typo is fixed.
  const graph: Graph = { ids: tools.map((t) => t.id), indexOf, preds, succs, edges };
  const cycle = findCycle(graph);
  if (cycle) {
    const names = cycle.map((i) => tools[i].id);
    const first = tools[cycle[0]];
    // Point at the dependency that closes the cycle: the first tool's entry for the last one.
    const closing = first.dependsOn.indexOf(names[names.length - 1]);
    const range = closing >= 0
      ? first.ranges.dependsOnItems?.[closing] ?? first.ranges.dependsOn ?? first.ranges.tool
      : refRange(first, names[names.length - 1]);
    diagnostics.push(makeDiagnostic({ code: 'cycle', range, tools: names,
      message: `Dependency cycle: ${cycleText(names)}. None of these tools can start; remove one of these dependencies.` }));
    return { diagnostics };
  }
  if (broken) return { diagnostics };
  return { graph, diagnostics };
}

/** Names the whole cycle; past 100 tools the middle is elided (the diagnostic's tools list has all). */
function cycleText(names: readonly string[]): string {
  const loop = [...names, names[0]];
  if (loop.length <= 100) return loop.join(' → ');
  return `${loop.slice(0, 60).join(' → ')} → … ${names.length - 80} more … → ${loop.slice(-20).join(' → ')} (${names.length} tools)`;
}

/** The first `${ref.output…}` in the tool's args, else the args, else the tool. */
export function refRange(t: Plan['tools'][number], ref: string): SourceRange {
  const refs = t.ranges.references;
  if (refs) for (const x of refs) if (x.id === ref) return x.range;
  return t.ranges.args ?? t.ranges.tool;
}

function depRange(t: Plan['tools'][number], k: number): SourceRange {
  return t.ranges.dependsOnItems?.[k] ?? t.ranges.dependsOn ?? t.ranges.tool;
}

/** Kahn's algorithm: a topological order (plan order among ready tools), or null if cyclic (core/graph). */
export function topologicalOrder(graph: Graph): number[] | null {
  const order = topoOrder(graph);
  return order ? Array.from(order) : null;
}

/** One cycle as a list of tool indices (each depends on the previous; the first on the last), or null. */
export function findCycle(graph: Graph): number[] | null {
  const n = graph.ids.length;
  const state = new Uint8Array(n); // 0 new, 1 on stack, 2 done
  const parent = new Int32Array(n).fill(-1);
  const iter = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    if (state[s] !== 0) continue;
    const stack = [s];
    state[s] = 1;
    while (stack.length > 0) {
      const v = stack[stack.length - 1];
      const out = graph.succs[v];
      if (iter[v] < out.length) {
        const w = out[iter[v]++];
        if (state[w] === 0) {
          state[w] = 1;
          parent[w] = v;
          stack.push(w);
        } else if (state[w] === 1) {
          // v → w closes a cycle: walk back from v to w along the DFS stack.
          const cyc = [v];
          let u = v;
          while (u !== w) {
            u = parent[u];
            cyc.push(u);
          }
          return cyc.reverse();
        }
      } else {
        state[v] = 2;
        stack.pop();
      }
    }
  }
  return null;
}

/** Topological levels: level 0 has no dependencies; a tool's level is 1 + its deepest dependency's. */
export function computeLevels(graph: Graph, order: readonly number[]): number[][] {
  const level = levelOf(graph, order);
  let maxLevel = -1;
  for (let i = 0; i < level.length; i++) if (level[i] > maxLevel) maxLevel = level[i];
  const levels: number[][] = Array.from({ length: maxLevel + 1 }, () => []);
  for (let i = 0; i < graph.ids.length; i++) levels[level[i]].push(i);
  return levels;
}

/** Longest path by duration (the lower bound on makespan with unlimited slots). */
export function criticalPath(graph: Graph, order: readonly number[], durations: readonly number[]): { indices: number[]; ms: number } {
  const n = graph.ids.length;
  if (n === 0) return { indices: [], ms: 0 };
  const finish = new Float64Array(n);
  // Tools on the path: among equally long paths the one with more tools wins, so zero-duration
  // (or tied) chains show whole rather than as their first tool.
  const hops = new Int32Array(n);
  const via = new Int32Array(n).fill(-1);
  for (const v of order) {
    let start = 0;
    for (const p of graph.preds[v]) {
      if (via[v] === -1 || finish[p] > start || (finish[p] === start && hops[p] > hops[via[v]])) {
        start = finish[p];
        via[v] = p;
      }
    }
    finish[v] = start + durations[v];
    hops[v] = via[v] === -1 ? 1 : hops[via[v]] + 1;
  }
  let end = 0;
  for (let i = 1; i < n; i++) if (finish[i] > finish[end] || (finish[i] === finish[end] && hops[i] > hops[end])) end = i;
  const indices: number[] = [];
  for (let v = end; v !== -1; v = via[v]) indices.push(v);
  return { indices: indices.reverse(), ms: finish[end] };
}

/** Bottom level: the longest path from a tool (inclusive) to any exit. Scheduling priority (core/graph). */
export function bottomLevels(graph: Graph, order: readonly number[], durations: readonly number[]): Float64Array {
  return graphBottomLevels(graph, order, durations);
}

export function toCriticalPath(graph: Graph, cp: { indices: number[]; ms: number }): CriticalPath {
  return { tools: cp.indices.map((i) => graph.ids[i]), ms: cp.ms };
}

const MAX_SUGGESTIONS = 20;

function suggestId(name: string, ids: ReadonlyMap<string, number>): string {
  // Suggestions are a courtesy: on huge plans only the first few thousand ids are compared.
  const guess = closest(name, [...take(ids.keys(), 5000)]);
  return guess ? ` Did you mean '${guess}'?` : '';
}

function* take<T>(it: Iterable<T>, n: number): Iterable<T> {
  let k = 0;
  for (const x of it) {
    if (k++ >= n) return;
    yield x;
  }
}

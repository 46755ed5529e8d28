// The dependency graph as the engine needs it: flat adjacency over plan indices plus a topological
// order. Leaner than analysis/buildGraph (no edge objects, no diagnostics), because the executor
// builds it on every run, including 100k-tool ones; invalid plans return null and the caller asks
// buildGraph for the explanation.
import type { Plan } from '../plan/types';
import { referencedIds } from '../plan/references';
import { hasReferences } from './resolve';

export interface PlanDag {
  readonly indexOf: ReadonlyMap<string, number>;
  readonly preds: readonly (readonly number[])[];
  readonly succs: readonly (readonly number[])[];
  /** A topological order (lowest index first among ready tools). */
  readonly order: Int32Array;
  /** Tools whose args contain `${id.output}` references. */
  readonly hasRefs: Uint8Array;
}

export function planDag(plan: Plan): PlanDag | null {
  const tools = plan.tools;
  const n = tools.length;
  const indexOf = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    if (indexOf.has(tools[i].id)) return null;
    indexOf.set(tools[i].id, i);
  }
  const preds: number[][] = new Array<number[]>(n);
  const succs: number[][] = new Array<number[]>(n);
  for (let i = 0; i < n; i++) succs[i] = [];
  const hasRefs = new Uint8Array(n);
  const stamp = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = tools[i];
    const ps: number[] = [];
    const refs = hasReferences(t.args) ? referencedIds(t.args) : null;
    if (refs) hasRefs[i] = 1;
    const lists = refs ? [t.dependsOn, refs] : [t.dependsOn];
    for (const list of lists) {
      for (const id of list) {
        const j = indexOf.get(id);
        if (j === undefined || j === i) return null;
        if (stamp[j] === i + 1) continue;
        stamp[j] = i + 1;
        ps.push(j);
        succs[j].push(i);
      }
    }
    preds[i] = ps;
  }
  const indeg = new Int32Array(n);
  const order = new Int32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) {
    indeg[i] = preds[i].length;
    if (indeg[i] === 0) order[tail++] = i;
  }
  for (let h = 0; h < tail; h++) for (const s of succs[order[h]]) if (--indeg[s] === 0) order[tail++] = s;
  if (tail !== n) return null;
  return { indexOf, preds, succs, order, hasRefs };
}

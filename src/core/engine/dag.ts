// The dependency graph as the engine needs it: flat adjacency over plan indices plus a topological
// order. Leaner than analysis/buildGraph (no edge objects, no diagnostics), because the executor
// builds it on every run, including 100k-tool ones; invalid plans return null and the caller asks
// buildGraph for the explanation.
import type { Plan } from '../plan/types';
import { referencedIds } from '../plan/references';
import { mayContainReference } from '../plan/references';
import { topoOrder } from '../graph';
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

/** Shared by every tool without dependencies or dependents (frozen: nobody may push to it). */
const NONE: number[] = Object.freeze([]) as unknown as number[];

export function planDag(plan: Plan): PlanDag | null {
  const tools = plan.tools;
  const n = tools.length;
  const indexOf = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    indexOf.set(tools[i].id, i);
    if (indexOf.size !== i + 1) return null; // a duplicate id
  }
  // Tools without dependencies (most of a wide batch) share one empty list: 100k-tool runs
  // would otherwise allocate 200k empty arrays here.
  const preds: number[][] = new Array<number[]>(n);
  const succs: number[][] = new Array<number[]>(n).fill(NONE);
  const hasRefs = new Uint8Array(n);
  const stamp = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = tools[i];
    const refs = mayContainReference(t.args, 0) && hasReferences(t.args) ? referencedIds(t.args) : null;
    if (refs) hasRefs[i] = 1;
    if (t.dependsOn.length === 0 && (!refs || refs.length === 0)) {
      preds[i] = NONE;
      continue;
    }
    const ps: number[] = [];
    if (!addPreds(i, t.dependsOn, indexOf, stamp, ps, succs)) return null;
    if (refs && !addPreds(i, refs, indexOf, stamp, ps, succs)) return null;
    preds[i] = ps.length > 0 ? ps : NONE;
  }
  const order = topoOrder({ preds, succs });
  if (!order) return null;
  return { indexOf, preds, succs, order, hasRefs };
}

/** Adds tool i's dependencies from `ids` (deduplicated); false for an unknown id or a self-dependency. */
function addPreds(i: number, ids: readonly string[], indexOf: ReadonlyMap<string, number>, stamp: Int32Array, ps: number[], succs: number[][]): boolean {
  for (const id of ids) {
    const j = indexOf.get(id);
    if (j === undefined || j === i) return false;
    if (stamp[j] === i + 1) continue;
    stamp[j] = i + 1;
    ps.push(j);
    if (succs[j] === NONE) succs[j] = [i];
    else succs[j].push(i);
  }
  return true;
}

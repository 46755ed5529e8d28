import type { Diagnostic, Plan } from '../plan/types';

export interface Edge {
  readonly from: string;
  readonly to: string;
  /** 'declared' from dependsOn, 'reference' implied by ${from.output…} only. */
  readonly via: 'declared' | 'reference';
}

/** Dependency graph over tool indices (plan order). Arrays are indexed by ToolSpec.index. */
export interface Graph {
  readonly ids: readonly string[];
  readonly indexOf: ReadonlyMap<string, number>;
  readonly preds: readonly (readonly number[])[];
  readonly succs: readonly (readonly number[])[];
  readonly edges: readonly Edge[];
}

export interface CriticalPath {
  readonly tools: readonly string[];
  readonly ms: number;
}

export interface Estimate {
  /** Sum of all durations: what running one after another costs. */
  readonly sequentialMs: number;
  /** Predicted makespan under the plan's caps (simulation when available, else the lower bound). */
  readonly parallelMs: number;
  readonly speedup: number;
  /** Largest number of tools in one topological level. */
  readonly maxWidth: number;
  /** max(critical path, work / slots). */
  readonly lowerBoundMs: number;
}

export interface Analysis {
  readonly plan: Plan;
  /** Absent when the plan has a cycle or unresolved dependencies. */
  readonly graph?: Graph;
  readonly levels: readonly (readonly string[])[];
  readonly criticalPath: CriticalPath;
  readonly estimate: Estimate;
  /** Effective duration used for each tool (ms), in plan order. */
  readonly durations: readonly number[];
  readonly diagnostics: readonly Diagnostic[];
  readonly valid: boolean;
}

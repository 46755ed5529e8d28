// The makespan an exercise is graded on. The engine's simulation (src/core/engine/simulate.ts) is
// being written alongside; until it lands the grade uses analyze()'s prediction, which without a
// simulator is the lower bound max(critical path, total work / slots). Exercise targets are set
// with room for both, and switching is this one module.
import { analyze, type AnalyzeOptions } from '../analysis/analyze';
import type { Analysis } from '../analysis/types';
import type { Diagnostic, Plan } from '../plan/types';

export function analyzeForGrading(plan: Plan, parseDiagnostics: readonly Diagnostic[], options: AnalyzeOptions): Analysis {
  return analyze(plan, parseDiagnostics, options);
}

export function predictedMakespanMs(analysis: Analysis): number {
  return analysis.estimate.parallelMs;
}

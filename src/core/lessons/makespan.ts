// The makespan an exercise is graded on: the engine's scheduler predicting the run (same priority,
// caps and per-resource limits as a real run; every tool taking its duration and succeeding; cpu
// tools sharing the cores graded for), so a grade agrees with what `fanout simulate --cores N` and
// the race show the learner.
import { analyze, type AnalyzeOptions } from '../analysis/analyze';
import type { Analysis } from '../analysis/types';
import { predictMakespan } from '../engine/simulate';
import type { Diagnostic, Plan } from '../plan/types';

export function analyzeForGrading(plan: Plan, parseDiagnostics: readonly Diagnostic[], options: AnalyzeOptions): Analysis {
  return analyze(plan, parseDiagnostics, { predictMakespan: (p, g, d, cores) => predictMakespan(p, g, d, undefined, cores), ...options });
}

export function predictedMakespanMs(analysis: Analysis): number {
  return analysis.estimate.parallelMs;
}

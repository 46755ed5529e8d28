// The engine pieces the CLI plugs into analysis. The makespan prediction is the engine's own
// scheduler on the plan's durations, so `analyze` and `simulate` agree.

import type { AnalyzeOptions } from '../../core/analysis/analyze';
import { predictMakespan } from '../../core/engine/simulate';

export const PREDICT_MAKESPAN: AnalyzeOptions['predictMakespan'] = (plan, graph, durations, cores) => predictMakespan(plan, graph, durations, undefined, cores);

// The engine pieces the CLI plugs into analysis. The makespan prediction is the engine's own
// simulation, so `analyze` and `simulate` agree.

import type { AnalyzeOptions } from '../../core/analysis/analyze';

export const PREDICT_MAKESPAN: AnalyzeOptions['predictMakespan'] = undefined;

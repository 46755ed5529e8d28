// Runs and simulations go through dist/engineHost.js (src/extension/engineHost.ts), required on the
// first one: activation does not load the engine.
import { lazyBundle } from '../lazyBundle';
import type { RunPlanOptions } from '../engineHost';
import type { RunRecord } from '../../core/engine/types';

export type { RunPlanOptions } from '../engineHost';

const engineHost = lazyBundle<typeof import('../engineHost')>('engineHost.js');

export function runPlan(o: RunPlanOptions): Promise<RunRecord> {
  return engineHost().runPlan(o);
}

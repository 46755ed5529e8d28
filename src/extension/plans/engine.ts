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

/** A streamed plan's predicted turn (loads the engine bundle on first use, like a simulation). */
export function predictStream(o: Parameters<typeof import('../engineHost')['predictStream']>[0]): ReturnType<typeof import('../engineHost')['predictStream']> {
  return engineHost().predictStream(o);
}

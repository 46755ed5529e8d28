// Owned by the plans feature (analysis, diagnostics, quick fixes, CodeLens, runs, history).
import type { Services } from '../runBus';

export function registerPlanFeatures(_services: Services): void {
  // Filled in by the plans feature.
}

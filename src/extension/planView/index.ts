// Owned by the plan view feature (webview panel, serializer, fanout.showGraph).
import type { Services } from '../runBus';

export function registerPlanView(_services: Services): void {
  // Filled in by the plan view feature.
}

// Owned by the lessons feature (lessons webview, quiz, progress, walkthrough context keys).
import type { Services } from '../runBus';

export function registerLessons(_services: Services): void {
  // Filled in by the lessons feature.
}

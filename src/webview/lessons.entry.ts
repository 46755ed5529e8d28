// Lessons webview entry (bundled to dist/webview/lessons.js).
import { LessonsApp, type LessonsApi } from './lessons/app';

declare function acquireVsCodeApi(): LessonsApi;

const api = acquireVsCodeApi();

function report(message: string): void {
  try {
    api.postMessage({ type: 'error', message });
  } catch {
    // Nothing left to report to.
  }
}

window.addEventListener('error', (ev) => report(`${ev.message} (${ev.filename}:${ev.lineno}:${ev.colno})`));
window.addEventListener('unhandledrejection', (ev) => {
  const r: unknown = ev.reason;
  report(`Unhandled rejection: ${r instanceof Error ? `${r.message}\n${r.stack ?? ''}` : String(r)}`);
});

const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
root.id = 'app';
const app = new LessonsApp(root, api);
(window as unknown as { fanoutLessons?: LessonsApp }).fanoutLessons = app;
app.start();

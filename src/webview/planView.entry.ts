// Plan view webview entry (bundled to dist/webview/planView.js; mermaid.min.js loads before it).
import { PlanViewApp } from './planView/app';
import { vscodeApi } from './planView/vscodeApi';

const api = vscodeApi();

function report(message: string): void {
  try {
    api.postMessage({ type: 'error', message });
  } catch {
    // Nothing left to report to.
  }
}

// Errors inside the webview go to the host's output channel instead of vanishing.
window.addEventListener('error', (ev) => report(`${ev.message} (${ev.filename}:${ev.lineno}:${ev.colno})`));
window.addEventListener('unhandledrejection', (ev) => {
  const r: unknown = ev.reason;
  report(`Unhandled rejection: ${r instanceof Error ? `${r.message}\n${r.stack ?? ''}` : String(r)}`);
});

const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
root.id = 'app';
const app = new PlanViewApp(root, api);
(window as unknown as { fanoutPlanView?: PlanViewApp }).fanoutPlanView = app;
app.start();

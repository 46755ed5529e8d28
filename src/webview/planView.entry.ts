// Plan view webview entry (bundled to dist/webview/planView.js; mermaid.min.js only on demand: planView/mermaidView.ts).
import { PlanViewApp } from './planView/app';
import { vscodeApi } from './planView/vscodeApi';
import { appRoot, reportUncaughtErrors } from './shared/boot';

// The first-run path's marks (fo-script … fo-first-row, app.ts): the firstRun scenario reads them.
performance.mark('fo-script');
const api = vscodeApi();
reportUncaughtErrors(api);
const app = new PlanViewApp(appRoot(), api);
(window as unknown as { fanoutPlanView?: PlanViewApp }).fanoutPlanView = app;
app.start();

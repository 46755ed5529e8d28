// Lessons webview entry (bundled to dist/webview/lessons.js).
import { LessonsApp, type LessonsApi } from './lessons/app';
import { appRoot, reportUncaughtErrors } from './shared/boot';

declare function acquireVsCodeApi(): LessonsApi;

const api = acquireVsCodeApi();
reportUncaughtErrors(api);
const app = new LessonsApp(appRoot(), api);
(window as unknown as { fanoutLessons?: LessonsApp }).fanoutLessons = app;
app.start();

// The lessons feature: fanout.openLessons (optional step id), fanout.startQuiz, the one lessons
// panel (restored after reload), progress in globalState, and the walkthrough's context keys.
import * as vscode from 'vscode';
import { LESSON_MODES, LESSONS_VIEW_TYPE, type LessonMode, type ShowRequest } from '../../protocol/lessons';
import { sectionFor } from '../../core/lessons/sections';
import { disposeAll } from '../disposable';
import { COMMANDS, type Services } from '../runBus';
import { lessonsHost } from './host';
import type { CourseCache, LessonsPanel } from './panel';
import { ProgressStore } from './progressStore';

export function registerLessons(services: Services): vscode.Disposable {
  const { context } = services;
  const store = new ProgressStore(context.globalState);
  // The panel, the course and markdown-it load with the first lessons command or restored panel.
  let loadedCache: CourseCache | undefined;
  const cache = (): CourseCache => (loadedCache ??= new (lessonsHost().CourseCache)(services));
  let current: LessonsPanel | undefined;

  const adopt = (panel: vscode.WebviewPanel): LessonsPanel => {
    current?.dispose();
    const p: LessonsPanel = new (lessonsHost().LessonsPanel)(panel, services, cache(), store, () => {
      if (current === p) current = undefined;
    });
    current = p;
    return p;
  };

  const open = (show?: ShowRequest): void => {
    if (current) {
      current.reveal(show);
      return;
    }
    const panel = vscode.window.createWebviewPanel(LESSONS_VIEW_TYPE, 'Fanout Lessons', vscode.ViewColumn.Active, {
      enableScripts: true,
      enableFindWidget: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(context.extensionUri, 'media')],
    });
    adopt(panel).reveal(show);
  };

  const registration = disposeAll([
    store,
    // Arguments: a step id and optionally the diagnostic code ("Learn why": lands on the section
    // that explains it, src/core/lessons/sections.ts), or { mode, step } (walkthrough links).
    vscode.commands.registerCommand(COMMANDS.openLessons, async (arg?: unknown, code?: unknown) => {
      const req = showRequestOf(arg, code);
      if (req?.step) {
        const got = await cache().get();
        if ('course' in got && !got.course.steps.some((s) => s.id === req.step)) {
          void vscode.window.showWarningMessage(`Fanout: there is no lesson step "${req.step}"; opening the course.`);
          open();
          return;
        }
      }
      open(req);
    }),
    vscode.commands.registerCommand(COMMANDS.startQuiz, () => open({ mode: 'test' })),
    vscode.window.registerWebviewPanelSerializer(LESSONS_VIEW_TYPE, {
      // The webview restores its own mode and step from its saved state; nothing else to carry.
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
        adopt(panel);
      },
    }),
    services.runBus.onDidEndRun(() => void store.markPlanRun()),
    { dispose: () => current?.dispose() },
  ]);
  void store.updateContext();
  return registration;
}

function showRequestOf(arg: unknown, code?: unknown): ShowRequest | undefined {
  if (typeof arg === 'string' && arg !== '') {
    const section = typeof code === 'string' ? sectionFor(code) : undefined;
    return { mode: 'read', step: arg, ...(section ? { section } : {}) };
  }
  const o = arg as { mode?: unknown; step?: unknown } | null | undefined;
  if (!o || typeof o !== 'object') return undefined;
  const mode = (LESSON_MODES as readonly unknown[]).includes(o.mode) ? (o.mode as LessonMode) : 'read';
  const step = typeof o.step === 'string' && o.step !== '' ? o.step : undefined;
  return step || mode !== 'read' ? { mode, ...(step ? { step } : {}) } : undefined;
}

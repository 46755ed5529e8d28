// The lessons feature: fanout.openLessons (optional step id), fanout.startQuiz, the one lessons
// panel (restored after reload), progress in globalState, and the walkthrough's context keys.
import * as vscode from 'vscode';
import { LESSON_MODES, LESSONS_VIEW_TYPE, type LessonMode, type ShowRequest } from '../../protocol/lessons';
import { sectionFor } from '../../core/lessons/sections';
import { disposeAll } from '../disposable';
import { COMMANDS, type Services } from '../runBus';
import { createWebviewPanel } from '../webviewPanelHost';
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
      current.show(show);
      return;
    }
    const panel = createWebviewPanel(LESSONS_VIEW_TYPE, 'Fanout Lessons', { viewColumn: vscode.ViewColumn.Active }, context.extensionUri, { retainContextWhenHidden: false });
    adopt(panel).show(show);
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
    // The Lab's check from the palette or a keybinding, on the exercise in the active editor (or
    // the id given). Running a code exercise's tests runs the learner's code: the command is the
    // learner's explicit action, and check.ts refuses in an untrusted workspace. Returns the
    // answer (a grade or why there is none), which the Lab shows too when it is open.
    // The Lab's "Open exercise" from the palette: the learner's copy in the editor (created from
    // the starting file the first time). Returns its URI.
    vscode.commands.registerCommand(COMMANDS.openExercise, async (arg?: unknown) => {
      const got = await cache().get();
      if (!('course' in got)) {
        void vscode.window.showErrorMessage(`Fanout: the course could not be loaded: ${got.errors[0] ?? 'unknown error'}`);
        return undefined;
      }
      const picked = typeof arg === 'string' ? got.course.exercises.find((e) => e.id === arg)
        : (await vscode.window.showQuickPick(got.course.exercises.map((e) => ({ label: e.title, description: e.kind === 'code' ? e.language : 'plan', id: e.id })), { placeHolder: 'Open which exercise?' }))?.id;
      const exercise = typeof picked === 'string' ? got.course.exercises.find((e) => e.id === picked) : picked;
      if (!exercise) {
        if (typeof arg === 'string') void vscode.window.showWarningMessage(`Fanout: there is no exercise "${arg}" in the course.`);
        return undefined;
      }
      const files = new (lessonsHost().ExerciseFiles)(context.globalStorageUri, context.extensionUri);
      const editor = await files.open(got.loaded, exercise);
      store.apply({ type: 'exercise-opened', exercise: exercise.id });
      return editor.document.uri;
    }),
    vscode.commands.registerCommand(COMMANDS.runExerciseTests, async (arg?: unknown) => {
      const got = await cache().get();
      if (!('course' in got)) {
        void vscode.window.showErrorMessage(`Fanout: the course could not be loaded: ${got.errors[0] ?? 'unknown error'}`);
        return undefined;
      }
      const host = lessonsHost();
      const files = new host.ExerciseFiles(context.globalStorageUri, context.extensionUri);
      const active = vscode.window.activeTextEditor?.document.uri;
      const exercise = typeof arg === 'string' ? got.course.exercises.find((e) => e.id === arg) : active ? files.exerciseOf(got.course.exercises, active) : undefined;
      if (!exercise) {
        void vscode.window.showWarningMessage(typeof arg === 'string' ? `Fanout: there is no exercise "${arg}" in the course.` : 'Fanout: open an exercise from the Lab first (Fanout: Open Lessons, then Lab); Run Exercise Tests checks the exercise file in the active editor.');
        return undefined;
      }
      const answer = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: exercise.kind === 'code' ? `Fanout: running the tests of "${exercise.title}"` : `Fanout: checking "${exercise.title}"` },
        () => host.checkExercise(got.loaded, exercise, files, store),
      );
      current?.showCheck(answer);
      if (answer.type === 'check-failed') void vscode.window.showWarningMessage(`Fanout: ${answer.message}`);
      else {
        const failing = answer.result.checks.filter((c) => !c.passed).length;
        void vscode.window.showInformationMessage(answer.result.passed ? `Fanout: "${exercise.title}" passes — every check is green.` : `Fanout: "${exercise.title}": ${failing} of ${answer.result.checks.length} checks fail (the Lab lists them).`);
      }
      return answer;
    }),
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

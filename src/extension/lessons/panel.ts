// The one lessons panel: turns webview messages into progress actions, exercise files, sample
// runs and races, and keeps the webview's copy of progress current.
import * as vscode from 'vscode';
import { loadCourse, type LoadedCourse } from '../../core/lessons/load';
import { validateCourse } from '../../core/lessons/validate';
import { formatCourseError, type Course } from '../../core/lessons/types';
import { raceKey, type HostToView, type ShowRequest, type ViewCourse, type ViewToHost } from '../../protocol/lessons';
import { COMMANDS, type Services } from '../runBus';
import { buildViewCourse, courseMessage, refuseAction, resetStepAction } from './courseView';
import { checkExercise, type CheckAnswer } from './check';
import { ExerciseFiles } from './exercises';
import { WebviewPanelHost } from '../webviewPanelHost';
import { lessonsHtml } from './html';
import type { ProgressStore } from './progressStore';
import { buildComparisonRace, buildSampleRace, type RaceOutcome } from './race';

export interface LoadedView {
  readonly loaded: LoadedCourse;
  readonly course: Course;
  readonly view: ViewCourse;
}

/** Loads and renders the course once per session; a failure is kept (and reported) until reload. */
export class CourseCache {
  private pending: Promise<LoadedView | { readonly errors: readonly string[] }> | undefined;
  constructor(private readonly services: Services) {}

  get(): Promise<LoadedView | { readonly errors: readonly string[] }> {
    this.pending ??= this.load();
    return this.pending;
  }

  private async load(): Promise<LoadedView | { readonly errors: readonly string[] }> {
    const root = this.services.context.extensionUri.fsPath;
    let loaded: LoadedCourse;
    try {
      // Parse now (fast), validate in the background: the view opens at once, problems still surface.
      loaded = await loadCourse(root, { validate: false });
    } catch (err) {
      const message = `Could not read the course in ${root}: ${err instanceof Error ? err.message : String(err)}`;
      this.services.output.error(message);
      return { errors: [message] };
    }
    const errors = loaded.errors.map(formatCourseError);
    for (const e of errors) this.services.output.error(`Course: ${e}`);
    if (!loaded.course) {
      void vscode.window.showErrorMessage(`Fanout: the course could not be loaded: ${errors[0] ?? 'unknown error'}`, 'Show Log').then((a) => a && this.services.output.show());
      return { errors };
    }
    if (errors.length > 0) {
      void vscode.window.showWarningMessage(`Fanout: the course has ${errors.length} problem${errors.length > 1 ? 's' : ''} (first: ${errors[0]}). It opens anyway.`, 'Show Log').then((a) => a && this.services.output.show());
    }
    const course = loaded.course;
    void validateCourse(course, loaded.files).then((more) => {
      if (more.length === 0) return;
      for (const e of more) this.services.output.error(`Course: ${formatCourseError(e)}`);
      void vscode.window.showWarningMessage(`Fanout: the course has ${more.length} problem${more.length > 1 ? 's' : ''} (first: ${formatCourseError(more[0])}).`, 'Show Log').then((a) => a && this.services.output.show());
    }, (err) => this.services.output.error(`Course validation failed: ${err instanceof Error ? err.message : String(err)}`));
    return { loaded, course, view: buildViewCourse(course) };
  }
}

export class LessonsPanel extends WebviewPanelHost<HostToView, ViewToHost> {
  /** A mode/step asked for by a command before the webview was ready. */
  private pendingShow: ShowRequest | undefined;
  private readonly exercises: ExerciseFiles;

  constructor(
    panel: vscode.WebviewPanel,
    private readonly services: Services,
    private readonly cache: CourseCache,
    private readonly store: ProgressStore,
    onDisposed: () => void,
  ) {
    const ext = services.context.extensionUri;
    super(panel, {
      extensionUri: ext,
      title: 'Fanout Lessons',
      html: (page) => lessonsHtml({
        cspSource: page.cspSource,
        nonce: page.nonce,
        appScript: page.asset('dist', 'webview', 'lessons.js'),
        stylesheet: page.asset('media', 'lessons.css'),
      }),
      // Hidden, the webview is torn down; it posts 'ready' again when shown.
      retained: false,
      logName: 'Lessons view',
      output: services.output,
    });
    this.exercises = new ExerciseFiles(services.context.globalStorageUri, ext);
    this.register(store.onDidChange((progress) => this.post({ type: 'progress', progress })));
    this.onDispose(onDisposed);
  }

  /** Shows the panel, then the mode/step asked for (at once, or when the view is ready). */
  show(show?: ShowRequest): void {
    this.reveal();
    if (!show) return;
    if (this.ready) this.post({ type: 'show', show });
    else this.pendingShow = show;
  }

  protected async onMessage(m: ViewToHost): Promise<void> {
    if (m.type === 'error') {
      this.services.output.error(`Lessons view: ${m.message}`);
      return;
    }
    const got = await this.cache.get();
    if ('errors' in got) {
      if (m.type === 'ready') {
        this.markReady();
        this.post({ type: 'course-error', errors: got.errors });
      }
      return;
    }
    const { loaded, course } = got;
    switch (m.type) {
      case 'ready': {
        this.markReady();
        const show = this.pendingShow;
        this.pendingShow = undefined;
        this.post(courseMessage(got.view, this.store.current, show));
        break;
      }
      case 'progress': {
        const why = refuseAction(course, m.action);
        if (why) this.services.output.warn(`Lessons view: ignored ${m.action.type}: ${why}`);
        else this.store.apply(m.action);
        break;
      }
      case 'open-sample': {
        const sample = course.steps.flatMap((s) => s.samples).find((s) => s.path === m.path);
        if (!sample) return;
        const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>(COMMANDS.openSample, sample.path);
        // The sample comes with its plan view (plans/samples.ts); the run shows its timeline there.
        if (!uri || m.action === 'open') return;
        await vscode.commands.executeCommand(m.action === 'run' ? COMMANDS.run : COMMANDS.simulate, uri);
        break;
      }
      case 'open-exercise': {
        const e = course.exercises.find((x) => x.id === m.exercise);
        if (!e) return;
        const editor = await this.exercises.open(loaded, e);
        this.store.apply({ type: 'exercise-opened', exercise: e.id });
        this.post({ type: 'exercise-opened', exercise: e.id, fileLabel: editor.document.uri.path.split('/').pop() ?? e.id });
        break;
      }
      case 'restart-exercise': {
        const e = course.exercises.find((x) => x.id === m.exercise);
        if (!e) return;
        const ok = await vscode.window.showWarningMessage(`Start "${e.title}" over? Your edits to the plan are replaced by the starting plan.`, { modal: true }, 'Start Over');
        if (ok === 'Start Over') await this.exercises.restart(loaded, e);
        break;
      }
      case 'check-exercise': {
        const e = course.exercises.find((x) => x.id === m.exercise);
        if (!e) {
          this.post({ type: 'check-failed', exercise: m.exercise, message: `There is no exercise "${m.exercise}" in this course.` });
          return;
        }
        // Every check answers: a grade, or the reason there is none (never a silent "Checking…").
        this.post(await checkExercise(loaded, e, this.exercises, this.store));
        break;
      }
      case 'reveal-exercise': {
        const e = course.exercises.find((x) => x.id === m.exercise);
        if (e) await this.exercises.reveal(e, m.line, m.column);
        break;
      }
      case 'race-request': {
        const src = m.source;
        const text = (path: string) => this.courseText(loaded, path);
        let r: RaceOutcome | undefined;
        if (src.kind === 'sample') {
          if (course.steps.some((s) => s.samples.some((x) => x.path === src.path))) r = await buildSampleRace(src.path, await text(src.path), { cores: course.referenceCores });
        } else {
          const c = got.view.comparisons.find((x) => x.id === src.id);
          if (c) r = await buildComparisonRace(c, await text(c.left.path), await text(c.right.path), { cores: course.referenceCores });
        }
        if (!r) return;
        this.post(r.ok ? { type: 'race', race: r.race } : { type: 'race-error', key: raceKey(src), message: r.message });
        break;
      }
      case 'reset': {
        if (m.scope === 'all') {
          const ok = await vscode.window.showWarningMessage('Reset all your Fanout course progress? Steps, predictions, quiz history, test scores, exercises and flashcards are forgotten.', { modal: true }, 'Reset All');
          if (ok === 'Reset All') this.store.apply({ type: 'reset-all' });
        } else {
          const step = course.steps.find((s) => s.id === m.step);
          if (!step) return;
          const ok = await vscode.window.showWarningMessage(`Reset your progress on "${step.title}"?`, { modal: true }, 'Reset Step');
          if (ok === 'Reset Step') this.store.apply(resetStepAction(course, step.id));
        }
        break;
      }
      case 'open-external': {
        // Only web links: the Markdown renderer produces nothing else, and a webview is not trusted to.
        if (/^https?:\/\//i.test(m.url)) await vscode.env.openExternal(vscode.Uri.parse(m.url, true));
        break;
      }
    }
  }

  /** A course file's text: from the loaded course, else from the extension folder. */
  private async courseText(loaded: LoadedCourse, path: string): Promise<string> {
    return loaded.files.get(path) ?? new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.services.context.extensionUri, ...path.split('/'))));
  }

  /** A check run from the command palette: the Lab shows it too when it is open. */
  showCheck(answer: CheckAnswer): void {
    this.post(answer);
  }
}

// The lessons webview: a mode bar (tabs) over seven learning modes. The host owns progress: this
// side posts learner actions and redraws marks when the host sends progress back; transient UI
// state (current mode, step, a test in progress) is saved with setState so a hidden or restored
// panel comes back where it was.
import { LESSON_MODES, raceKey, type HostToView, type LearnerAction, type LessonMode, type LessonsViewState, type Progress, type ShowRequest, type ViewCourse, type ViewToHost } from '../../protocol/lessons';
import type { ModeContext, ModeView } from './context';
import { button, el, replaceChildren } from './dom';
import { flashcardsMode } from './flashcards';
import { labMode, newLabState, type LabView } from './lab';
import { predictMode } from './predict';
import { practiceMode, testMode, type PracticeRun, type QuizHolder, type TestRun } from './quiz';
import { newRaceState, raceMode, type RaceView } from './race';
import { readMode, type ReadView } from './read';
import { completedSteps } from './select';

export interface LessonsApi {
  postMessage(message: ViewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

interface SavedState extends LessonsViewState {
  readonly test?: TestRun;
  readonly practice?: PracticeRun;
  /** Steps read without predicting first (Read mode's "Skip the prediction"). */
  readonly skipped?: readonly string[];
}

const MODE_LABELS: Record<LessonMode, string> = {
  read: 'Read', predict: 'Predict', test: 'Test', practice: 'Practice', lab: 'Lab', flashcards: 'Flashcards', race: 'Race',
};

export class LessonsApp {
  private course: ViewCourse | undefined;
  private progress: Progress | undefined;
  private mode: LessonMode = 'read';
  private step = '';
  private readonly quiz: QuizHolder = {};
  private readonly lab = newLabState();
  private readonly race = newRaceState();
  private readonly skipped = new Set<string>();
  private view: ModeView | undefined;
  private readonly tabs = new Map<LessonMode, HTMLButtonElement>();
  private panel: HTMLElement | undefined;
  private overall: HTMLElement | undefined;
  private overallBar: HTMLProgressElement | undefined;

  constructor(private readonly root: HTMLElement, private readonly api: LessonsApi) {
    root.classList.add('fl-app');
    const saved = readSaved(api.getState());
    if (saved) {
      this.mode = saved.mode;
      this.step = saved.step ?? '';
      if (saved.test) this.quiz.test = saved.test;
      if (saved.practice) this.quiz.practice = saved.practice;
      for (const id of saved.skipped ?? []) this.skipped.add(id);
      if (saved.exercise) this.lab.exercise = saved.exercise;
    }
    // Step links inside rendered Markdown, and web links (opened by the host, never here).
    root.addEventListener('click', (ev) => {
      const a = (ev.target as Element | null)?.closest?.('a');
      if (!a || !root.contains(a)) return;
      ev.preventDefault();
      const step = a.getAttribute('data-step');
      const href = a.getAttribute('href') ?? '';
      if (step) this.go('read', { step });
      else if (a.getAttribute('data-external') === 'true' && /^https?:\/\//i.test(href)) this.post({ type: 'open-external', url: href });
    });
  }

  start(): void {
    window.addEventListener('message', (ev: MessageEvent) => this.onMessage(ev.data as HostToView));
    this.post({ type: 'ready' });
  }

  private post(m: ViewToHost): void {
    this.api.postMessage(m);
  }

  private onMessage(m: HostToView): void {
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'course':
        this.course = m.course;
        this.progress = m.progress;
        if (!this.step || !m.course.steps.some((s) => s.id === this.step)) this.step = m.progress.lastStep && m.course.steps.some((s) => s.id === m.progress.lastStep) ? m.progress.lastStep : m.course.steps[0]?.id ?? '';
        this.build();
        if (m.show) this.show(m.show);
        break;
      case 'course-error':
        replaceChildren(this.root, el('main', { class: 'fl-error' },
          el('h1', {}, 'The course could not be loaded'),
          el('p', {}, 'Fanout read its lessons folder and found these problems:'),
          el('ul', {}, ...m.errors.map((e) => el('li', {}, el('code', {}, e)))),
          el('p', {}, 'The full list is in the Fanout output channel. Reinstalling the extension restores the course.')));
        break;
      case 'progress':
        this.progress = m.progress;
        this.updateOverall();
        this.view?.refresh?.();
        break;
      case 'show':
        this.show(m.show);
        break;
      case 'exercise-opened':
        this.lab.opened.set(m.exercise, m.fileLabel);
        if (this.mode === 'lab') (this.view as LabView | undefined)?.update();
        break;
      case 'check-failed':
        this.lab.checking.delete(m.exercise);
        this.lab.grades.delete(m.exercise);
        this.lab.failures.set(m.exercise, m.message);
        if (this.mode === 'lab') (this.view as LabView | undefined)?.update();
        break;
      case 'grade':
        this.lab.checking.delete(m.exercise);
        this.lab.failures.delete(m.exercise);
        this.lab.grades.set(m.exercise, m.result);
        if (this.mode === 'lab') (this.view as LabView | undefined)?.update();
        break;
      case 'race':
        this.race.races.set(m.race.key, m.race);
        if (this.mode === 'race') (this.view as RaceView | undefined)?.update();
        break;
      case 'race-error':
        this.race.errors.set(m.key, m.message);
        if (this.mode === 'race') (this.view as RaceView | undefined)?.update();
        break;
    }
  }

  private show(s: ShowRequest): void {
    if (!this.course) return;
    this.go(s.mode, s.step ? { step: s.step, ...(s.section ? { section: s.section } : {}) } : undefined);
  }

  private context(): ModeContext {
    const course = this.course as ViewCourse;
    return {
      course,
      progress: () => this.progress as Progress,
      post: (m) => this.post(m),
      record: (action: LearnerAction) => this.post({ type: 'progress', action }),
      go: (mode, target) => this.go(mode, target),
      currentStep: () => this.step,
      saveState: () => this.save(),
      predictSkipped: (step) => this.skipped.has(step),
      skipPredict: (step) => { this.skipped.add(step); this.save(); },
      unskipPredict: (step) => { if (this.skipped.delete(step)) this.save(); },
    };
  }

  private build(): void {
    const course = this.course as ViewCourse;
    const bar = el('div', { class: 'fl-modes', role: 'tablist', 'aria-label': 'Learning mode' });
    this.tabs.clear();
    LESSON_MODES.forEach((mode, i) => {
      const tab = button(MODE_LABELS[mode], { class: 'fl-tab', role: 'tab', id: `fl-tab-${mode}`, 'aria-controls': 'fl-panel', 'data-mode': mode }, () => this.go(mode, undefined, false));
      tab.addEventListener('keydown', (ev) => {
        const n = LESSON_MODES.length;
        const to = ev.key === 'ArrowRight' ? (i + 1) % n : ev.key === 'ArrowLeft' ? (i - 1 + n) % n : ev.key === 'Home' ? 0 : ev.key === 'End' ? n - 1 : -1;
        if (to < 0) return;
        ev.preventDefault();
        const target = LESSON_MODES[to];
        this.go(target, undefined, false);
        this.tabs.get(target)?.focus();
      });
      this.tabs.set(mode, tab);
      bar.appendChild(tab);
    });
    this.overall = el('span', { class: 'fl-overall-text', id: 'fl-overall' });
    this.overallBar = el('progress', { class: 'fl-overall-bar', max: course.steps.length, 'aria-labelledby': 'fl-overall' });
    this.panel = el('main', { class: 'fl-panel', id: 'fl-panel', role: 'tabpanel' });
    replaceChildren(this.root,
      el('header', { class: 'fl-header' },
        el('h1', { class: 'fl-title' }, course.title),
        el('div', { class: 'fl-overall' }, this.overallBar, this.overall),
        button('Reset all progress…', { class: 'fl-link-button', 'data-action': 'reset-all' }, () => this.post({ type: 'reset', scope: 'all' }))),
      bar,
      this.panel);
    this.updateOverall();
    this.go(this.mode, undefined, false);
  }

  private updateOverall(): void {
    if (!this.course || !this.progress || !this.overall || !this.overallBar) return;
    const done = completedSteps(this.progress, this.course.steps);
    this.overall.textContent = `${done} of ${this.course.steps.length} steps completed`;
    this.overallBar.value = done;
  }

  go(mode: LessonMode, target?: { readonly step?: string; readonly sample?: string; readonly section?: string }, moveFocus = true): void {
    if (!this.course || !this.panel) return;
    if (target?.step && this.course.steps.some((s) => s.id === target.step)) this.step = target.step;
    if (target?.sample) this.race.key = raceKey({ kind: 'sample', path: target.sample });
    // Same mode, new step in Read: navigate within the view instead of rebuilding it.
    if (mode === this.mode && mode === 'read' && this.view && this.panel.firstChild === this.view.root && target?.step) {
      (this.view as ReadView).showStep(this.step, target.section);
      this.save();
      return;
    }
    this.view?.dispose?.();
    this.mode = mode;
    const ctx = this.context();
    switch (mode) {
      case 'read': this.view = readMode(ctx, this.step, (id) => { this.step = id; this.save(); }, target?.section); break;
      case 'predict': this.view = predictMode(ctx, this.step); break;
      case 'test': this.view = testMode(ctx, this.quiz); break;
      case 'practice': this.view = practiceMode(ctx, this.quiz); break;
      case 'lab': this.view = labMode(ctx, this.lab); break;
      case 'flashcards': this.view = flashcardsMode(ctx); break;
      case 'race': this.view = raceMode(ctx, this.race); break;
    }
    for (const [m, tab] of this.tabs) {
      const on = m === mode;
      tab.setAttribute('aria-selected', on ? 'true' : 'false');
      tab.tabIndex = on ? 0 : -1;
    }
    this.panel.setAttribute('aria-labelledby', `fl-tab-${mode}`);
    replaceChildren(this.panel, this.view.root);
    this.save();
    if (moveFocus && !(mode === 'read' && target?.section)) this.view.focus();
  }

  private save(): void {
    const state: SavedState = {
      mode: this.mode,
      ...(this.step ? { step: this.step } : {}),
      ...(this.quiz.test ? { test: this.quiz.test } : {}),
      ...(this.quiz.practice ? { practice: this.quiz.practice } : {}),
      ...(this.skipped.size > 0 ? { skipped: [...this.skipped] } : {}),
      ...(this.lab.exercise ? { exercise: this.lab.exercise } : {}),
    };
    this.api.setState(state);
  }
}

/** Saved state comes back from VS Code as plain JSON: accept only what makes sense. */
export function readSaved(raw: unknown): SavedState | undefined {
  const s = raw as { mode?: unknown; step?: unknown; exercise?: unknown; test?: unknown; practice?: unknown; skipped?: unknown } | null | undefined;
  if (!s || !(LESSON_MODES as readonly unknown[]).includes(s.mode)) return undefined;
  const t = s.test as Partial<TestRun> | undefined;
  const test = t && isIds(t.ids) && typeof t.index === 'number' && typeof t.seed === 'number'
    && t.first && typeof t.first === 'object' && typeof t.finished === 'boolean'
    ? { seed: t.seed, ids: t.ids, index: clampIndex(t.index, t.ids.length - 1), first: { ...(t.first as Record<string, boolean>) }, finished: t.finished, ...(isCounts(t.shown) ? { shown: { ...t.shown } } : {}) }
    : undefined;
  const p = s.practice as Partial<PracticeRun> | undefined;
  const practice = p && isIds(p.ids) && isIds(p.missed) && typeof p.index === 'number' && isCounts(p.shown)
    ? { ids: p.ids, missed: p.missed, index: clampIndex(p.index, p.ids.length), shown: { ...p.shown }, answered: isFlags(p.answered) ? { ...p.answered } : {} }
    : undefined;
  const skipped = Array.isArray(s.skipped) ? s.skipped.filter((x): x is string => typeof x === 'string').slice(0, 200) : [];
  return {
    mode: s.mode as LessonMode,
    ...(typeof s.step === 'string' ? { step: s.step } : {}),
    ...(typeof s.exercise === 'string' ? { exercise: s.exercise } : {}),
    ...(test ? { test } : {}),
    ...(practice ? { practice } : {}),
    ...(skipped.length > 0 ? { skipped } : {}),
  };
}

const isIds = (x: unknown): x is string[] => Array.isArray(x) && x.every((v) => typeof v === 'string');
const isRecord = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
const isCounts = (x: unknown): x is Record<string, number> => isRecord(x) && Object.values(x).every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0);
const isFlags = (x: unknown): x is Record<string, boolean> => isRecord(x) && Object.values(x).every((v) => typeof v === 'boolean');
const clampIndex = (i: number, max: number) => Math.max(0, Math.min(Math.max(0, max), Math.floor(i)));

// Lab mode: graded exercises. The learner opens an editable copy of a broken or slow plan (or,
// for a code exercise, a starting file of TypeScript, JavaScript or Python) in the editor, works
// on it there, and checks it here; the host grades a plan with the analyzer and a simulation, and
// runs a code exercise's hidden tests in a child process, and sends one result per check or test.
// Hints come one at a time.
import { formatMs } from '../../core/render/format';
import type { ViewExercise, ViewGrade } from '../../protocol/lessons';
import type { ModeContext, ModeView } from './context';
import { button, el, focusTarget, replaceChildren, srOnly } from './dom';
import { htmlBlock } from './sanitize';

export interface LabState {
  exercise?: string;
  readonly grades: Map<string, ViewGrade>;
  readonly opened: Map<string, string>;
  readonly checking: Set<string>;
  /** Why the last check of an exercise could not grade it (host's 'check-failed'). */
  readonly failures: Map<string, string>;
  /** Hints revealed here and not yet confirmed by the host's progress (shown at once). */
  readonly hints: Map<string, number>;
}

export function newLabState(): LabState {
  return { grades: new Map(), opened: new Map(), checking: new Set(), failures: new Map(), hints: new Map() };
}

export interface LabView extends ModeView {
  /** The host sent a grade or confirmed an opened file. */
  update(): void;
}

function statusOf(ctx: ModeContext, e: ViewExercise): { mark: string; text: string } {
  const p = ctx.progress().exercises[e.id];
  // Hints alone ('new') do not start the exercise: only a copy does.
  if (!p || p.status === 'new') return { mark: '○', text: 'not started' };
  if (p.status === 'passed') return { mark: '✓', text: 'passed' };
  if (p.status === 'failed') return { mark: '✗', text: 'not passing yet' };
  return { mark: '●', text: 'opened' };
}

export function labMode(ctx: ModeContext, state: LabState): LabView {
  const exercises = ctx.course.exercises;
  if (!state.exercise || !exercises.some((e) => e.id === state.exercise)) state.exercise = exercises[0]?.id;
  const list = el('ul', { class: 'fl-exercise-list' });
  const detail = el('section', { class: 'fl-exercise' });
  const root = el('div', { class: 'fl-mode fl-lab' },
    el('h2', { class: 'fl-mode-title' }, 'Lab: fix real plans, write real code'),
    el('p', { class: 'fl-mode-intro' }, 'Each exercise opens a file in the editor as your own copy (saved with the extension, kept across reloads): a plan to fix — the Problems panel and quick fixes help — or code to write, checked by running tests. Work on it there, then check it here.'),
    el('div', { class: 'fl-lab-grid' }, el('nav', { 'aria-label': 'Exercises' }, list), detail));

  function renderList(): void {
    replaceChildren(list, ...exercises.map((e) => {
      const s = statusOf(ctx, e);
      const b = button('', { class: 'fl-step-button', 'data-exercise': e.id, 'aria-current': e.id === state.exercise ? 'true' : null }, () => {
        state.exercise = e.id;
        ctx.saveState();
        renderList();
        renderDetail();
        focusTarget(detail.querySelector('h3'));
      });
      b.append(el('span', { class: `fl-mark fl-ex-${s.text.replace(/\W+/g, '-')}`, 'aria-hidden': 'true' }, s.mark), el('span', {}, e.title), srOnly(`, ${s.text}`));
      if (e.kind === 'code') b.setAttribute('data-kind', 'code');
      return el('li', {}, b);
    }));
  }

  function renderDetail(): void {
    const e = exercises.find((x) => x.id === state.exercise);
    if (!e) {
      replaceChildren(detail, el('p', {}, 'No exercises in this course.'));
      return;
    }
    const p = ctx.progress().exercises[e.id];
    const revealed = Math.min(Math.max(p?.hintsRevealed ?? 0, state.hints.get(e.id) ?? 0), e.hintsHtml.length);
    const grade = state.grades.get(e.id);
    const failure = state.failures.get(e.id);
    const opened = state.opened.get(e.id);
    // The learner has a copy: the host said so in this session, or progress says so from before.
    const hasCopy = opened !== undefined || (p !== undefined && p.status !== 'new');
    const step = ctx.course.steps.find((s) => s.id === e.step);
    const hints = el('ol', { class: 'fl-hints', 'aria-live': 'polite' }, ...e.hintsHtml.slice(0, revealed).map((h, i) => el('li', { class: 'fl-hint', 'data-hint': i + 1 }, htmlBlock('span', 'fl-hint-text', h))));
    const nextHint = revealed < e.hintsHtml.length
      ? button(`Show hint ${revealed + 1} of ${e.hintsHtml.length}`, { class: 'fl-secondary', 'data-action': 'hint' }, () => {
        state.hints.set(e.id, revealed + 1);
        ctx.record({ type: 'hint-revealed', exercise: e.id, count: revealed + 1 });
        renderDetail();
        focusTarget(detail.querySelector<HTMLElement>('.fl-hint:last-child'));
      })
      : el('p', { class: 'fl-note' }, 'All hints shown.');
    replaceChildren(detail,
      el('h3', {}, e.title),
      step ? el('p', { class: 'fl-kicker' }, 'Practises: ', button(step.title, { class: 'fl-link-button', 'data-action': 'read-step' }, () => ctx.go('read', { step: step.id }))) : null,
      htmlBlock('div', 'fl-markdown', e.briefHtml),
      // One primary action at a time: Open until the learner has a copy, then Check (two blue
      // buttons side by side left a newcomer guessing which comes first).
      el('div', { class: 'fl-actions' },
        button(hasCopy ? 'Open my copy' : 'Open exercise', { class: hasCopy ? 'fl-secondary' : 'fl-primary', 'data-action': 'open-exercise' }, () => ctx.post({ type: 'open-exercise', exercise: e.id })),
        button(checkLabel(e, state.checking.has(e.id)), { class: hasCopy ? 'fl-primary' : 'fl-secondary', 'data-action': 'check', disabled: state.checking.has(e.id) }, () => {
          state.checking.add(e.id);
          state.failures.delete(e.id);
          ctx.post({ type: 'check-exercise', exercise: e.id });
          renderDetail();
        }),
        hasCopy ? button('Start over', { class: 'fl-secondary', 'data-action': 'restart' }, () => ctx.post({ type: 'restart-exercise', exercise: e.id })) : null,
      ),
      e.kind === 'code'
        ? el('p', { class: 'fl-note fl-run-note', 'data-run-note': 'true' }, `Run tests runs your ${languageName(e.language)} file with ${e.language === 'python' ? 'python3' : 'node'} on this machine, against hidden tests. It is your code, but it is still code running here: Fanout runs it only in a trusted workspace and only when you press Run tests, and stops it after a time limit.`)
        : null,
      opened ? el('p', { class: 'fl-note' }, `Editing ${opened} — save or not, ${e.kind === 'code' ? 'Run tests' : 'Check'} reads what is in the editor.`) : null,
      el('section', { class: 'fl-hint-ladder', 'aria-label': 'Hints' }, el('h4', {}, 'Hints'), hints, nextHint),
      el('section', { class: 'fl-grade', 'aria-live': 'polite', 'aria-label': 'Check results' },
        failure ? el('p', { class: 'fl-check-failed', 'data-check-failed': 'true' }, failure) : grade ? gradeView(ctx, e, grade) : null),
    );
  }

  renderList();
  renderDetail();
  return {
    root,
    refresh: () => {
      // The host's progress is the truth again (a reset may have hidden hints).
      state.hints.clear();
      const active = document.activeElement as HTMLElement | null;
      const key = active?.closest('.fl-lab') ? active.getAttribute('data-action') ?? active.getAttribute('data-hint') : null;
      renderList();
      renderDetail();
      // Redrawing replaced the focused element: put focus back on its counterpart.
      if (key) focusTarget(detail.querySelector<HTMLElement>(`[data-action="${key}"]`) ?? detail.querySelector<HTMLElement>('.fl-hint:last-child'));
    },
    update: () => {
      renderList();
      renderDetail();
    },
    focus: () => focusTarget(root.querySelector('h2')),
  };
}

function checkLabel(e: ViewExercise, busy: boolean): string {
  if (e.kind === 'code') return busy ? 'Running tests…' : 'Run tests';
  return busy ? 'Checking…' : 'Check my solution';
}

function languageName(language: string | undefined): string {
  return language === 'typescript' ? 'TypeScript' : language === 'python' ? 'Python' : 'JavaScript';
}

function gradeView(ctx: ModeContext, e: ViewExercise, g: ViewGrade): HTMLElement {
  const what = e.kind === 'code' ? 'test' : 'check';
  const failing = g.checks.filter((c) => !c.passed).length;
  return el('div', { class: `fl-grade-result ${g.passed ? 'fl-good' : 'fl-bad'}` },
    el('h4', {}, g.passed ? `✓ Passed — every ${what} is green.` : `✗ Not yet: ${failing} of ${g.checks.length} ${what}s fail.`),
    g.makespanMs !== undefined && e.kind !== 'code' ? el('p', { class: 'fl-note' }, `Predicted makespan: ${formatMs(g.makespanMs)}.`) : null,
    g.runtime !== undefined ? el('p', { class: 'fl-note', 'data-runtime': 'true' }, `Ran with ${g.runtime}${g.durationMs !== undefined ? ` in ${formatMs(g.durationMs)}` : ''}.`) : null,
    el('ul', { class: 'fl-checks' }, ...g.checks.map((c) => el('li', { class: c.passed ? 'fl-check-pass' : 'fl-check-fail' },
      el('span', { class: 'fl-mark', 'aria-hidden': 'true' }, c.passed ? '✓' : '✗'),
      el('span', { class: 'fl-check-text' }, srOnly(c.passed ? 'Passed: ' : 'Failed: '), el('strong', {}, c.label), ' — ', c.message),
      !c.passed && c.line !== undefined
        ? button(`Go to line ${c.line}`, { class: 'fl-link-button', 'data-action': 'reveal' }, () => ctx.post({ type: 'reveal-exercise', exercise: e.id, line: c.line ?? 1, column: c.column ?? 1 }))
        : null))),
    g.output ? el('details', { class: 'fl-output' }, el('summary', {}, 'What your code printed'), el('pre', { class: 'fl-output-text' }, g.output)) : null);
}

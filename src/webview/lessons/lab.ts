// Lab mode: graded exercises. The learner opens an editable copy of a broken or slow plan in the
// editor, fixes it there, and checks it here; the host grades it with the analyzer and a
// simulation and sends one result per check. Hints come one at a time.
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
  if (!p) return { mark: '○', text: 'not started' };
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
    el('h2', { class: 'fl-mode-title' }, 'Lab: fix real plans'),
    el('p', { class: 'fl-mode-intro' }, 'Each exercise opens a plan in the editor as your own copy (saved with the extension, kept across reloads). Fix it there — the Problems panel and quick fixes help — then check it here.'),
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
      el('div', { class: 'fl-actions' },
        button(opened || p ? 'Open my copy' : 'Open exercise', { class: 'fl-primary', 'data-action': 'open-exercise' }, () => ctx.post({ type: 'open-exercise', exercise: e.id })),
        button(state.checking.has(e.id) ? 'Checking…' : 'Check my solution', { class: 'fl-primary', 'data-action': 'check', disabled: state.checking.has(e.id) }, () => {
          state.checking.add(e.id);
          state.failures.delete(e.id);
          ctx.post({ type: 'check-exercise', exercise: e.id });
          renderDetail();
        }),
        p ? button('Start over', { class: 'fl-secondary', 'data-action': 'restart' }, () => ctx.post({ type: 'restart-exercise', exercise: e.id })) : null,
      ),
      opened ? el('p', { class: 'fl-note' }, `Editing ${opened} — save or not, Check reads what is in the editor.`) : null,
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

function gradeView(ctx: ModeContext, e: ViewExercise, g: ViewGrade): HTMLElement {
  return el('div', { class: `fl-grade-result ${g.passed ? 'fl-good' : 'fl-bad'}` },
    el('h4', {}, g.passed ? '✓ Passed — every check is green.' : `✗ Not yet: ${g.checks.filter((c) => !c.passed).length} of ${g.checks.length} checks fail.`),
    g.makespanMs !== undefined ? el('p', { class: 'fl-note' }, `Predicted makespan: ${Math.round(g.makespanMs)} ms.`) : null,
    el('ul', { class: 'fl-checks' }, ...g.checks.map((c) => el('li', { class: c.passed ? 'fl-check-pass' : 'fl-check-fail' },
      el('span', { class: 'fl-mark', 'aria-hidden': 'true' }, c.passed ? '✓' : '✗'),
      el('span', {}, srOnly(c.passed ? 'Passed: ' : 'Failed: '), el('strong', {}, c.label), ' — ', c.message),
      !c.passed && c.line !== undefined
        ? button(`Go to line ${c.line}`, { class: 'fl-link-button', 'data-action': 'reveal' }, () => ctx.post({ type: 'reveal-exercise', exercise: e.id, line: c.line ?? 1, column: c.column ?? 1 }))
        : null))));
}

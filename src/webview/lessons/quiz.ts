// Test mode ("test this pattern": ten questions across the difficulties, score by difficulty at
// the end) and Practice mode (missed questions come back first). Only each question's first
// answer is recorded and scored; retrying after feedback is for learning.
import type { Difficulty, ViewQuestion } from '../../protocol/lessons';
import type { ModeContext, ModeView } from './context';
import { button, el, focusTarget, replaceChildren } from './dom';
import { renderQuestion } from './question';
import { choiceOrder, DIFFICULTY_ORDER, missedCount, pickTestQuestions, practiceQueue, scoreTest } from './select';

export interface TestRun {
  readonly seed: number;
  readonly ids: readonly string[];
  index: number;
  /** First answer per question id: right or not. */
  first: Record<string, boolean>;
  finished: boolean;
  /** Per question id: its presentation number when first shown here (select.ts choiceOrder). */
  shown?: Record<string, number>;
}

/** A practice session: its queue, where the learner is, and each question's presentation number. */
export interface PracticeRun {
  readonly ids: readonly string[];
  index: number;
  readonly missed: readonly string[];
  shown: Record<string, number>;
  /** Questions answered in this session (their first answer is recorded once). */
  answered: Record<string, boolean>;
}

export interface QuizHolder {
  test?: TestRun;
  practice?: PracticeRun;
}

/** How many answers the learner has given this question before: its next presentation number. */
function presentationOf(ctx: ModeContext, id: string): number {
  return ctx.progress().quiz[id]?.length ?? 0;
}

const PASS_RATIO = 0.7;

function questionHeading(q: ViewQuestion, label: string): HTMLElement {
  return el('h3', { class: 'fl-question-title' }, label, ' ',
    el('span', { class: `fl-badge fl-badge-${q.difficulty}` }, q.difficulty),
    ' ', el('span', { class: 'fl-badge' }, q.type.replace(/-/g, ' ')));
}

function quizQuestion(ctx: ModeContext, q: ViewQuestion, heading: HTMLElement, mode: 'test' | 'practice', presentation: number, onFirst: (correct: boolean) => void, recorded = false): HTMLElement {
  const card = renderQuestion({
    promptHtml: q.promptHtml, code: q.code, choicesHtml: q.choicesHtml, answer: q.answer,
    order: choiceOrder(q.id, q.choicesHtml.length, q.answer, presentation),
    explanationHtml: q.explanationHtml, hintHtml: q.hintHtml, mistakesHtml: q.mistakesHtml, style: 'retry',
    onAnswer: (choice, correct, first) => {
      if (!first || recorded) return;
      ctx.record({ type: 'answer', question: q.id, choice, correct, at: Date.now(), mode });
      onFirst(correct);
    },
  }, heading);
  card.dataset.question = q.id;
  return card;
}

export function testMode(ctx: ModeContext, holder: QuizHolder): ModeView {
  const body = el('div', { class: 'fl-test-body' });
  const root = el('div', { class: 'fl-mode fl-test-mode' }, el('h2', { class: 'fl-mode-title' }, 'Test this pattern'), body);
  const byId = (id: string) => ctx.course.quiz.find((q) => q.id === id);

  function intro(): void {
    const last = ctx.progress().tests[ctx.progress().tests.length - 1];
    const start = button('Start a 10-question test', { class: 'fl-primary', 'data-action': 'start-test' }, () => {
      const seed = Math.floor(Math.random() * 2 ** 31);
      holder.test = { seed, ids: pickTestQuestions(ctx.course.quiz, seed), index: 0, first: {}, finished: false };
      ctx.saveState();
      render(true);
    });
    replaceChildren(body,
      el('p', { class: 'fl-mode-intro' }, `Ten questions from the bank of ${ctx.course.quiz.length}, easy to hard. Each question's first answer counts; you get feedback at once and may try again. Pass at ${Math.round(PASS_RATIO * 100)}%.`),
      last ? el('div', { class: 'fl-last-score' }, el('h3', {}, 'Your last test'), scoreTable(last.scores)) : null,
      el('div', { class: 'fl-actions' }, start));
  }

  function question(run: TestRun, moveFocus: boolean): void {
    const q = byId(run.ids[run.index]);
    if (!q) {
      holder.test = undefined;
      intro();
      return;
    }
    const isLast = run.index === run.ids.length - 1;
    const next = button(isLast ? 'See my score' : 'Next question →', { class: 'fl-primary', 'data-action': 'next', hidden: run.first[q.id] === undefined }, () => {
      if (isLast) finish(run);
      else {
        run.index += 1;
        ctx.saveState();
        question(run, true);
      }
    });
    const heading = questionHeading(q, `Question ${run.index + 1} of ${run.ids.length}`);
    const line = el('p', { class: 'fl-progress-line' });
    const tally = () => { line.textContent = `${Object.keys(run.first).length} answered · ${Object.values(run.first).filter(Boolean).length} right first time`; };
    tally();
    // The presentation number is fixed when the question is first shown, so the order stays put
    // after the answer is recorded, across tab switches and reloads (it is in the saved state).
    run.shown ??= {};
    if (run.shown[q.id] === undefined) {
      run.shown[q.id] = presentationOf(ctx, q.id);
      ctx.saveState();
    }
    const card = quizQuestion(ctx, q, heading, 'test', run.shown[q.id], (correct) => {
      run.first[q.id] = correct;
      ctx.saveState();
      tally();
      next.hidden = false;
    });
    replaceChildren(body, line, card, el('div', { class: 'fl-step-footer' }, next));
    if (moveFocus) focusTarget(heading);
  }

  function finish(run: TestRun): void {
    run.finished = true;
    const scores = scoreTest(ctx.course.quiz, run.ids, run.first);
    ctx.record({ type: 'test-finished', at: Date.now(), scores });
    ctx.saveState();
    results(run, true);
  }

  function results(run: TestRun, moveFocus: boolean): void {
    const scores = scoreTest(ctx.course.quiz, run.ids, run.first);
    const total = DIFFICULTY_ORDER.reduce((n, d) => n + scores[d].total, 0);
    const right = DIFFICULTY_ORDER.reduce((n, d) => n + scores[d].correct, 0);
    const passed = total > 0 && right / total >= PASS_RATIO;
    const heading = el('h3', { class: 'fl-result-title' }, `You scored ${right} of ${total}${passed ? ' — passed' : ''}`);
    replaceChildren(body, el('section', { class: `fl-results ${passed ? 'fl-good' : 'fl-bad'}`, 'aria-live': 'polite' },
      heading,
      scoreTable(scores),
      el('p', {}, passed ? 'Well done. Practice mode will still bring back anything you missed.' : `Pass mark: ${Math.ceil(PASS_RATIO * total)}. Practice mode brings the missed questions back first.`),
      el('div', { class: 'fl-actions' },
        button('Practice missed questions', { class: 'fl-primary', 'data-action': 'practice' }, () => ctx.go('practice')),
        button('Take another test', { class: 'fl-secondary', 'data-action': 'new-test' }, () => {
          holder.test = undefined;
          ctx.saveState();
          intro();
          focusTarget(body.querySelector('button'));
        }))));
    if (moveFocus) focusTarget(heading);
  }

  function render(moveFocus: boolean): void {
    const run = holder.test;
    if (!run) intro();
    else if (run.finished) results(run, moveFocus);
    else question(run, moveFocus);
  }

  render(false);
  return {
    root,
    focus: () => focusTarget(body.querySelector<HTMLElement>('h3.fl-question-title, h3.fl-result-title') ?? body.querySelector('button')),
  };
}

export function scoreTable(scores: Readonly<Record<Difficulty, { correct: number; total: number }>>): HTMLElement {
  return el('table', { class: 'fl-score-table' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Difficulty'), el('th', { scope: 'col' }, 'Right'), el('th', { scope: 'col' }, 'Score'))),
    el('tbody', {}, ...DIFFICULTY_ORDER.map((d) => {
      const s = scores[d];
      return el('tr', { 'data-difficulty': d }, el('th', { scope: 'row' }, d), el('td', {}, `${s.correct} / ${s.total}`), el('td', {}, s.total === 0 ? '—' : `${Math.round((100 * s.correct) / s.total)}%`));
    })));
}

function newPractice(ctx: ModeContext): PracticeRun {
  const ids = practiceQueue(ctx.course.quiz, ctx.progress());
  return { ids, index: 0, missed: ids.slice(0, missedCount(ctx.course.quiz, ctx.progress())), shown: {}, answered: {} };
}

export function practiceMode(ctx: ModeContext, holder: QuizHolder): ModeView {
  // A session goes on across tab switches and reloads (saved state); a finished one starts afresh.
  if (!holder.practice || holder.practice.index >= holder.practice.ids.length) holder.practice = newPractice(ctx);
  let run = holder.practice;
  let queue = run.ids;
  const missedAtStart = new Set(run.missed);
  const body = el('div', { class: 'fl-practice-body' });
  const intro = el('p', { class: 'fl-mode-intro' });
  const root = el('div', { class: 'fl-mode fl-practice-mode' }, el('h2', { class: 'fl-mode-title' }, 'Practice'), intro, body);

  function render(moveFocus: boolean): void {
    intro.textContent = missedAtStart.size > 0
      ? `${missedAtStart.size} question${missedAtStart.size > 1 ? 's' : ''} you missed come${missedAtStart.size > 1 ? '' : 's'} first, then ones you have not seen.`
      : 'Nothing missed yet: questions you have not seen come first.';
    const index = run.index;
    const q = ctx.course.quiz.find((x) => x.id === queue[index]);
    if (!q) {
      const heading = el('h3', {}, 'You have been through every question.');
      replaceChildren(body, heading, el('div', { class: 'fl-actions' }, button('Start again', { class: 'fl-primary', 'data-action': 'restart' }, () => {
        run = holder.practice = newPractice(ctx);
        queue = run.ids;
        missedAtStart.clear();
        for (const id of run.missed) missedAtStart.add(id);
        ctx.saveState();
        render(true);
      })));
      if (moveFocus) focusTarget(heading);
      return;
    }
    const heading = questionHeading(q, `${missedAtStart.has(q.id) ? 'Missed before · ' : ''}Practice ${index + 1} of ${queue.length}`);
    const next = button('Next question →', { class: 'fl-primary', 'data-action': 'next', hidden: run.answered[q.id] !== true }, () => {
      run.index += 1;
      ctx.saveState();
      render(true);
    });
    if (run.shown[q.id] === undefined) {
      run.shown[q.id] = presentationOf(ctx, q.id);
      ctx.saveState();
    }
    const card = quizQuestion(ctx, q, heading, 'practice', run.shown[q.id], () => {
      run.answered[q.id] = true;
      ctx.saveState();
      next.hidden = false;
    }, run.answered[q.id] === true);
    replaceChildren(body, card, el('div', { class: 'fl-step-footer' }, next));
    if (moveFocus) focusTarget(heading);
  }

  render(false);
  return { root, focus: () => focusTarget(body.querySelector<HTMLElement>('h3')) };
}

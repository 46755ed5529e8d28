// One question: a native radio group (arrow keys move between choices), a Check button, feedback
// in a live region. Shared by Predict (one committed answer, then the explanation) and the
// quiz modes (a wrong answer shows its common mistake and may be retried; the explanation comes
// with the right answer or on "Show answer").
import type { ViewCode, ViewStep } from '../../protocol/lessons';
import type { ModeContext } from './context';
import { button, el, focusTarget, replaceChildren, srOnly, uid } from './dom';
import { htmlBlock } from './sanitize';
import { choiceOrder } from './select';

export interface QuestionSpec {
  readonly promptHtml: string;
  readonly code?: ViewCode;
  readonly choicesHtml: readonly string[];
  /** Indexes into choicesHtml in the order shown (select.ts choiceOrder); default: as authored. */
  readonly order?: readonly number[];
  readonly answer: number;
  readonly explanationHtml: string;
  readonly hintHtml?: string;
  readonly mistakesHtml?: Readonly<Record<string, string>>;
  /** 'commit': the first answer is final (predict-first). 'retry': wrong answers may be retried. */
  readonly style: 'commit' | 'retry';
  /** An answer recorded earlier (predict): shown as committed, with the explanation. */
  readonly committed?: number;
  /** `choice` is the authored index (the choice's identity), whatever its position on screen. */
  readonly onAnswer: (choice: number, correct: boolean, first: boolean) => void;
}

/** A valid permutation of the choices, or the authored order. */
function shownOrder(spec: QuestionSpec): number[] {
  const n = spec.choicesHtml.length;
  const o = spec.order;
  const valid = o !== undefined && o.length === n && new Set(o).size === n && o.every((i) => Number.isInteger(i) && i >= 0 && i < n);
  return valid ? [...o] : Array.from({ length: n }, (_, i) => i);
}

export function codeBlock(code: ViewCode): HTMLElement {
  return el('div', { class: 'fl-code' },
    el('div', { class: 'fl-code-lang' }, code.language),
    el('pre', {}, el('code', {}, code.source)));
}

export function renderQuestion(spec: QuestionSpec, heading: HTMLElement): HTMLElement {
  const name = uid('choice');
  const feedback = el('div', { class: 'fl-feedback', 'aria-live': 'polite', tabindex: -1 });
  const explanation = el('div', { class: 'fl-explanation' });
  const hint = el('div', { class: 'fl-hint', hidden: true });
  // Indexed by the authored choice index; appended to the page in the shown order.
  const labels: HTMLLabelElement[] = [];
  const inputs: HTMLInputElement[] = [];
  spec.choicesHtml.forEach((html, i) => {
    const input = el('input', { type: 'radio', name, value: i, id: `${name}-${i}` });
    const label = el('label', { class: 'fl-choice', for: `${name}-${i}`, 'data-choice': i }, input, htmlBlock('span', 'fl-choice-text', html));
    inputs.push(input);
    labels.push(label);
  });
  const legend = htmlBlock('legend', 'fl-prompt', spec.promptHtml);
  const fieldset = el('fieldset', { class: 'fl-choices' }, legend, spec.code ? codeBlock(spec.code) : null, ...shownOrder(spec).map((i) => labels[i]));
  let attempts = 0;
  let solved = false;

  const check = button(spec.style === 'commit' ? 'Commit my answer' : 'Check answer', { class: 'fl-primary', 'data-action': 'check' }, () => {
    const chosen = inputs.findIndex((x) => x.checked); // the authored index, not the position
    if (chosen < 0) {
      feedback.replaceChildren(el('p', { class: 'fl-note' }, 'Choose an answer first.'));
      return;
    }
    attempts += 1;
    const correct = chosen === spec.answer;
    spec.onAnswer(chosen, correct, attempts === 1);
    show(chosen, correct);
  });
  const hintButton = spec.hintHtml
    ? button('Show hint', { class: 'fl-secondary', 'data-action': 'hint', 'aria-expanded': 'false' }, () => {
      hint.hidden = false;
      hint.replaceChildren(el('strong', {}, 'Hint: '), htmlBlock('span', 'fl-hint-text', spec.hintHtml ?? ''));
      hintButton?.setAttribute('aria-expanded', 'true');
      if (hintButton) hintButton.disabled = true;
      focusTarget(hint);
    })
    : null;
  const reveal = spec.style === 'retry'
    ? button('Show answer', { class: 'fl-secondary', 'data-action': 'reveal', hidden: true }, () => {
      solved = true;
      finish();
      mark(-1);
      feedback.replaceChildren(el('p', { class: 'fl-verdict' }, 'The answer is marked.'));
      focusTarget(explanation);
    })
    : null;

  function mark(chosen: number): void {
    labels.forEach((l, i) => {
      l.classList.toggle('fl-is-answer', i === spec.answer && (solved || spec.style === 'commit'));
      l.classList.toggle('fl-is-wrong', i === chosen && i !== spec.answer);
      l.querySelector('.fl-sr-only')?.remove();
      if (i === spec.answer && (solved || spec.style === 'commit')) l.appendChild(srOnly(' (correct answer)'));
      else if (i === chosen) l.appendChild(srOnly(' (your answer, incorrect)'));
    });
  }

  function finish(): void {
    for (const x of inputs) x.disabled = true;
    check.disabled = true;
    if (reveal) reveal.hidden = true;
    explanation.replaceChildren(el('h4', {}, 'Why'), htmlBlock('div', 'fl-markdown', spec.explanationHtml));
  }

  function show(chosen: number, correct: boolean): void {
    const mistake = correct ? undefined : spec.mistakesHtml?.[String(chosen)];
    if (correct) solved = true;
    if (spec.style === 'commit' || correct) {
      finish();
      mark(chosen);
    } else {
      mark(chosen);
      if (reveal) reveal.hidden = false;
    }
    feedback.className = `fl-feedback ${correct ? 'fl-good' : 'fl-bad'}`;
    replaceChildren(feedback,
      el('p', { class: 'fl-verdict' }, correct ? '✓ Correct.' : spec.style === 'commit' ? '✗ Not quite.' : '✗ Not quite. Try another answer, or use the hint.'),
      mistake ? el('div', { class: 'fl-mistake' }, el('strong', {}, 'Common mistake: '), htmlBlock('span', 'fl-mistake-text', mistake)) : null,
    );
    // The Check button is disabled once the question is over: keep focus on the outcome.
    if (check.disabled) focusTarget(feedback);
  }

  const section = el('section', { class: 'fl-question' },
    heading,
    fieldset,
    el('div', { class: 'fl-actions' }, check, hintButton, reveal),
    hint,
    feedback,
    explanation,
  );
  if (spec.committed !== undefined && spec.committed >= 0 && spec.committed < inputs.length) {
    inputs[spec.committed].checked = true;
    const correct = spec.committed === spec.answer;
    solved = correct;
    finish();
    mark(spec.committed);
    feedback.className = `fl-feedback ${correct ? 'fl-good' : 'fl-bad'}`;
    feedback.replaceChildren(el('p', { class: 'fl-verdict' }, correct ? '✓ You predicted correctly.' : '✗ Your prediction was different.'));
  }
  return section;
}

/**
 * A step's predict-first question (Read and Predict modes): committed once, recorded as progress.
 * `onCommit` runs as soon as the learner commits (Read mode opens the step's body then).
 */
export function renderPredict(ctx: ModeContext, s: ViewStep, heading: HTMLElement, onCommit?: () => void): HTMLElement {
  return renderQuestion({
    promptHtml: s.predict.promptHtml,
    code: s.predict.code,
    choicesHtml: s.predict.choicesHtml,
    order: choiceOrder(`predict:${s.id}`, s.predict.choicesHtml.length, s.predict.answer),
    answer: s.predict.answer,
    explanationHtml: s.predict.explanationHtml,
    style: 'commit',
    committed: ctx.progress().steps[s.id]?.predict?.choice,
    onAnswer: (choice, correct) => {
      ctx.record({ type: 'predict', step: s.id, choice, correct });
      onCommit?.();
    },
  }, heading);
}

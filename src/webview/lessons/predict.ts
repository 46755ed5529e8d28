// Predict mode: every step's predict-first question in course order. The explanation appears
// only once the learner has committed; the committed answer is recorded and shown from then on.
import type { ModeContext, ModeView } from './context';
import { button, el, focusTarget, replaceChildren } from './dom';
import { renderPredict } from './question';

export function predictMode(ctx: ModeContext, startStep: string): ModeView {
  const steps = ctx.course.steps;
  let index = Math.max(0, steps.findIndex((s) => s.id === startStep));
  const tally = el('p', { class: 'fl-tally', 'aria-live': 'polite' });
  const body = el('div', { class: 'fl-predict-body' });
  const root = el('div', { class: 'fl-mode fl-predict-mode' },
    el('h2', { class: 'fl-mode-title' }, 'Predict, then learn'),
    el('p', { class: 'fl-mode-intro' }, 'Commit to an answer before you read the step. The explanation opens only after you commit, and your prediction is kept.'),
    tally, body);

  function updateTally(): void {
    const answered = steps.filter((s) => ctx.progress().steps[s.id]?.predict);
    const right = answered.filter((s) => ctx.progress().steps[s.id]?.predict?.correct).length;
    tally.textContent = `${answered.length} of ${steps.length} predicted, ${right} correctly.`;
  }

  function render(moveFocus: boolean): void {
    const s = steps[index];
    const heading = el('h3', { class: 'fl-question-title' }, `Prediction ${index + 1} of ${steps.length}: ${s.title}`);
    const q = renderPredict(ctx, s, heading);
    const prev = steps[index - 1];
    const next = steps[index + 1];
    replaceChildren(body, q, el('div', { class: 'fl-step-footer' },
      prev ? button('← Previous prediction', { class: 'fl-secondary', 'data-action': 'prev' }, () => { index -= 1; render(true); }) : null,
      button(`Read “${s.title}”`, { class: 'fl-secondary', 'data-action': 'read-step' }, () => ctx.go('read', { step: s.id })),
      next ? button('Next prediction →', { class: 'fl-primary', 'data-action': 'next' }, () => { index += 1; render(true); }) : null,
    ));
    updateTally();
    if (moveFocus) focusTarget(heading);
  }

  render(false);
  return {
    root,
    refresh: () => {
      updateTally();
      const recorded = ctx.progress().steps[steps[index].id]?.predict !== undefined;
      const shown = body.querySelector('input:disabled') !== null;
      if (recorded !== shown && !recorded) render(false); // reset: ask again
    },
    focus: () => focusTarget(root.querySelector('h2')),
  };
}

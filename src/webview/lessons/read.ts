// Read mode: the step list with progress marks (arrow keys move between steps), the step's
// predict-first question, its body, and its runnable samples.
import type { ViewStep } from '../../protocol/lessons';
import type { ModeContext, ModeView } from './context';
import { button, el, focusTarget, replaceChildren, srOnly } from './dom';
import { renderPredict } from './question';
import { htmlBlock } from './sanitize';
import { stepMark, type StepMark } from './select';

const MARK_SYMBOL: Record<StepMark, string> = { done: '✓', visited: '●', new: '○' };
const MARK_TEXT: Record<StepMark, string> = { done: 'completed', visited: 'visited', new: 'not started' };

export function stepList(ctx: ModeContext, current: string, onPick: (step: string) => void, label: string): { root: HTMLElement; refresh(current: string): void } {
  const list = el('ol', { class: 'fl-step-list' });
  const buttons: HTMLButtonElement[] = [];
  ctx.course.steps.forEach((s, i) => {
    const b = button('', { class: 'fl-step-button', 'data-step': s.id }, () => onPick(s.id));
    b.addEventListener('keydown', (ev) => {
      const k = ev.key;
      const to = k === 'ArrowDown' ? i + 1 : k === 'ArrowUp' ? i - 1 : k === 'Home' ? 0 : k === 'End' ? buttons.length - 1 : -2;
      if (to === -2) return;
      ev.preventDefault();
      buttons[Math.max(0, Math.min(buttons.length - 1, to))].focus();
    });
    buttons.push(b);
    list.appendChild(el('li', {}, b));
  });
  const refresh = (cur: string): void => {
    ctx.course.steps.forEach((s, i) => {
      const mark = stepMark(ctx.progress(), s.id);
      const b = buttons[i];
      b.dataset.mark = mark;
      if (s.id === cur) b.setAttribute('aria-current', 'step');
      else b.removeAttribute('aria-current');
      replaceChildren(b,
        el('span', { class: `fl-mark fl-mark-${mark}`, 'aria-hidden': 'true' }, MARK_SYMBOL[mark]),
        el('span', { class: 'fl-step-title' }, `${i + 1}. ${s.title}`),
        srOnly(`, ${MARK_TEXT[mark]}`));
    });
  };
  // In the one-column layout (narrow views) the list folds behind this button, so it never
  // covers or pushes away the step being read; wide layouts hide the button (lessons.css).
  const toggle = button('', { class: 'fl-steps-toggle', 'aria-expanded': 'false', 'data-action': 'toggle-steps' }, () => {
    const open = !root.classList.contains('fl-steps-open');
    root.classList.toggle('fl-steps-open', open);
    toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
  });
  const root = el('nav', { class: 'fl-steps', 'aria-label': label }, toggle, list);
  const refreshAll = (cur: string): void => {
    refresh(cur);
    const i = ctx.course.steps.findIndex((s) => s.id === cur);
    replaceChildren(toggle, el('span', { class: 'fl-steps-toggle-text' }, i >= 0 ? `Step ${i + 1} of ${ctx.course.steps.length}: ${ctx.course.steps[i].title}` : 'Course steps'), el('span', { 'aria-hidden': 'true' }, ' ▾'));
  };
  refreshAll(current);
  return {
    root,
    refresh: (cur: string) => {
      refreshAll(cur);
      // Picking a step folds the narrow list again.
      root.classList.remove('fl-steps-open');
      toggle.setAttribute('aria-expanded', 'false');
    },
  };
}

export interface ReadView extends ModeView {
  /** Shows a step; with a section (a heading's slug), opens the body and lands on that heading. */
  showStep(id: string, section?: string): void;
}

export function readMode(ctx: ModeContext, stepId: string, setStep: (id: string) => void, section?: string): ReadView {
  let step = ctx.course.steps.find((s) => s.id === stepId) ?? ctx.course.steps[0];
  const article = el('article', { class: 'fl-article' });
  const nav = stepList(ctx, step.id, (id) => show(id, false), 'Course steps');
  const root = el('div', { class: 'fl-read' }, nav.root, article);

  function show(id: string, moveFocus: boolean, sectionSlug?: string): void {
    const next = ctx.course.steps.find((s) => s.id === id);
    if (!next) return;
    step = next;
    setStep(step.id);
    ctx.record({ type: 'visit-step', step: step.id });
    renderArticle();
    nav.refresh(step.id);
    article.scrollTop = 0;
    if (sectionSlug && landOn(sectionSlug)) return;
    if (moveFocus) focusTarget(article.querySelector('h2'));
  }

  /**
   * "Learn why" from a diagnostic: the learner asked for the explanation, so a locked body opens
   * (as if the prediction were skipped; it can still be answered) and the section's heading is
   * scrolled to the top and focused. False when the step has no such section.
   */
  function landOn(slug: string): boolean {
    const find = () => Array.from(article.querySelectorAll<HTMLElement>('[data-section]')).find((h) => h.dataset.section === slug);
    if (!find()) {
      const holder = article.querySelector<HTMLElement>('.fl-step-body');
      if (!holder || !holder.classList.contains('fl-body-locked') || !restOfBody(step).includes(`data-section="${slug}"`)) return false;
      ctx.skipPredict(step.id);
      fillBody(holder, step);
    }
    const heading = find();
    if (!heading) return false;
    if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
    heading.scrollIntoView({ block: 'start' });
    return true;
  }

  /** The body (with the answer) opens once the prediction is committed or skipped (lessons/FORMAT.md). */
  const bodyOpen = (s: ViewStep) => ctx.progress().steps[s.id]?.predict !== undefined || ctx.predictSkipped(s.id);

  function fillBody(holder: HTMLElement, s: ViewStep): void {
    holder.classList.remove('fl-body-locked');
    replaceChildren(holder, htmlBlock('div', 'fl-markdown', restOfBody(s)), samples(ctx, s));
    const footer = article.querySelector<HTMLElement>('.fl-step-footer');
    if (footer) fillFooter(footer, s, true); // the body is open now, before the host echoes the prediction
  }

  function lockBody(holder: HTMLElement, s: ViewStep): void {
    holder.classList.add('fl-body-locked');
    replaceChildren(holder, el('div', { class: 'fl-locked-note' },
      el('p', {}, 'The rest of this step explains the answer, so it opens once you commit to a prediction.'),
      button('Skip the prediction and read the step', { class: 'fl-link-button', 'data-action': 'skip-predict' }, () => {
        ctx.skipPredict(s.id);
        fillBody(holder, s);
        focusTarget(holder.querySelector<HTMLElement>('.fl-markdown h3, .fl-markdown p'));
      })));
  }

  function renderArticle(): void {
    const s = step;
    const index = ctx.course.steps.indexOf(s);
    const predictHeading = el('h3', { class: 'fl-predict-title' }, 'Predict first');
    const body = el('div', { class: 'fl-step-body' });
    const predict = renderPredict(ctx, s, predictHeading, () => {
      if (body.classList.contains('fl-body-locked')) fillBody(body, s);
    });
    predict.classList.add('fl-predict');
    if (bodyOpen(s)) fillBody(body, s);
    else lockBody(body, s);
    replaceChildren(article,
      el('p', { class: 'fl-kicker' }, `Step ${index + 1} of ${ctx.course.steps.length}`),
      htmlBlock('div', 'fl-markdown fl-body-head', firstHeading(s)),
      el('p', { class: 'fl-summary' }, s.summary),
      predict,
      body,
      fillFooter(el('div', { class: 'fl-step-footer' }), s),
    );
  }

  /**
   * Completing is offered only once the step can be read: while the body is locked behind the
   * prediction, "Mark complete" would let a learner finish a step they never saw.
   */
  function fillFooter(footer: HTMLElement, s: ViewStep, readable = bodyOpen(s)): HTMLElement {
    const index = ctx.course.steps.indexOf(s);
    const prev = ctx.course.steps[index - 1];
    const next = ctx.course.steps[index + 1];
    const done = ctx.progress().steps[s.id]?.completed === true;
    replaceChildren(footer,
      prev ? button(`← ${prev.title}`, { class: 'fl-secondary', 'data-action': 'prev' }, () => show(prev.id, true)) : null,
      done || readable
        ? button(done ? (next ? `Next: ${next.title} →` : 'Completed ✓') : next ? 'Mark complete and continue →' : 'Mark complete', { class: 'fl-primary', 'data-action': 'complete' }, () => {
          ctx.record({ type: 'complete-step', step: s.id });
          if (next) show(next.id, true);
          else nav.refresh(s.id);
        })
        : null,
      button('Reset this step', { class: 'fl-link-button', 'data-action': 'reset-step' }, () => ctx.post({ type: 'reset', scope: 'step', step: s.id })),
    );
    return footer;
  }

  renderArticle();
  ctx.record({ type: 'visit-step', step: step.id });
  // Landing needs the article in the page to scroll; the app attaches it right after this returns.
  if (section) queueMicrotask(() => landOn(section));
  return {
    root,
    refresh: () => {
      nav.refresh(step.id);
      // A reset (or another window) changed this step's recorded prediction: redraw it.
      const rec = ctx.progress().steps[step.id]?.predict;
      const shown = article.querySelector('.fl-predict input:disabled') !== null;
      if (shown !== (rec !== undefined)) {
        // A reset asks the question again, with the body folded again.
        if (rec === undefined) ctx.unskipPredict(step.id);
        renderArticle();
      }
    },
    focus: () => focusTarget(article.querySelector('h2')),
    showStep: (id: string, sectionSlug?: string) => show(id, true, sectionSlug),
  };
}

/** The body's first heading goes above the predict card; the rest follows it. */
function splitBody(s: ViewStep): [string, string] {
  const m = /^\s*(<h2[\s>][\s\S]*?<\/h2>)/.exec(s.html);
  return m ? [m[1], s.html.slice(m[0].length)] : [`<h2>${escapeText(s.title)}</h2>`, s.html];
}
const firstHeading = (s: ViewStep) => splitBody(s)[0];
const restOfBody = (s: ViewStep) => splitBody(s)[1];

function escapeText(t: string): string {
  return t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function samples(ctx: ModeContext, s: ViewStep): HTMLElement | null {
  if (s.samples.length === 0) return null;
  return el('section', { class: 'fl-samples', 'aria-label': 'Runnable samples' },
    el('h3', {}, 'Try it: sample plans'),
    el('ul', { class: 'fl-sample-list' }, ...s.samples.map((x) => el('li', { class: 'fl-sample' },
      el('div', { class: 'fl-sample-name' }, el('code', {}, x.label)),
      el('p', { class: 'fl-sample-caption' }, x.caption),
      x.expect.length > 0 ? el('p', { class: 'fl-sample-expect' }, `Expect: ${x.expect.join(', ')}`) : null,
      el('div', { class: 'fl-actions' },
        button('Run this sample', { class: 'fl-primary', 'data-action': 'run-sample', 'data-path': x.path }, () => ctx.post({ type: 'open-sample', path: x.path, action: 'run' })),
        button('Simulate', { class: 'fl-secondary', 'data-action': 'simulate-sample' }, () => ctx.post({ type: 'open-sample', path: x.path, action: 'simulate' })),
        button('Open', { class: 'fl-secondary', 'data-action': 'open-sample' }, () => ctx.post({ type: 'open-sample', path: x.path, action: 'open' })),
        button('Race it', { class: 'fl-secondary', 'data-action': 'race-sample' }, () => ctx.go('race', { sample: x.path })),
      ),
    ))),
  );
}

// Flashcards: myths (the belief, then the correction) and takeaways (a question, then the rule).
// Keyboard: Space/Enter on the card or F flips; ←/→ move between cards.
import type { ViewFlashcard } from '../../protocol/lessons';
import type { ModeContext, ModeView } from './context';
import { button, el, focusTarget, replaceChildren } from './dom';
import { htmlBlock } from './sanitize';

const DECKS = [
  { id: 'myths', label: 'Myths', front: 'Myth', back: 'Reality' },
  { id: 'takeaways', label: 'Takeaways', front: 'Question', back: 'Takeaway' },
] as const;

export function flashcardsMode(ctx: ModeContext): ModeView {
  let deck: ViewFlashcard['deck'] = 'myths';
  let index = 0;
  let flipped = false;
  const deckBar = el('div', { class: 'fl-deck-bar', role: 'group', 'aria-label': 'Deck' });
  const counter = el('p', { class: 'fl-tally' });
  const card = el('div', { class: 'fl-card', role: 'button', tabindex: 0, 'aria-live': 'polite' });
  const flipButton = button('Flip', { class: 'fl-primary', 'data-action': 'flip' }, () => flip());
  const controls = el('div', { class: 'fl-actions' },
    button('← Previous', { class: 'fl-secondary', 'data-action': 'prev-card' }, () => move(-1)),
    flipButton,
    button('Next →', { class: 'fl-secondary', 'data-action': 'next-card' }, () => move(1)));
  const root = el('div', { class: 'fl-mode fl-flashcards' },
    el('h2', { class: 'fl-mode-title' }, 'Flashcards'),
    el('p', { class: 'fl-mode-intro' }, 'Say your answer, then flip. Keys: Space or F flips, ← and → move between cards.'),
    deckBar, counter, card, controls);

  const cards = () => ctx.course.flashcards.filter((c) => c.deck === deck);
  const flip = () => {
    flipped = !flipped;
    const c = cards()[index];
    if (flipped && c) ctx.record({ type: 'flashcard-seen', card: c.id });
    render();
  };
  const move = (by: number) => {
    const n = cards().length;
    if (n === 0) return;
    index = (index + by + n) % n;
    flipped = false;
    render();
  };
  card.addEventListener('click', flip);
  root.addEventListener('keydown', (ev) => {
    if (ev.target instanceof HTMLButtonElement && (ev.key === ' ' || ev.key === 'Enter')) return;
    if ((ev.key === ' ' || ev.key === 'Enter') && ev.target === card) { ev.preventDefault(); flip(); }
    else if (ev.key === 'f' || ev.key === 'F') { ev.preventDefault(); flip(); }
    else if (ev.key === 'ArrowRight') { ev.preventDefault(); move(1); }
    else if (ev.key === 'ArrowLeft') { ev.preventDefault(); move(-1); }
  });

  function render(): void {
    const list = cards();
    const d = DECKS.find((x) => x.id === deck) ?? DECKS[0];
    replaceChildren(deckBar, ...DECKS.map((x) => button(`${x.label} (${ctx.course.flashcards.filter((c) => c.deck === x.id).length})`, { class: 'fl-toggle', 'aria-pressed': x.id === deck ? 'true' : 'false', 'data-deck': x.id }, () => {
      deck = x.id;
      index = 0;
      flipped = false;
      render();
      deckBar.querySelector<HTMLElement>('[aria-pressed="true"]')?.focus();
    })));
    const seen = list.filter((c) => ctx.progress().flashcardsSeen.includes(c.id)).length;
    counter.textContent = list.length === 0 ? 'No cards in this deck.' : `Card ${index + 1} of ${list.length} · ${seen} seen`;
    const c = list[index];
    card.classList.toggle('fl-flipped', flipped);
    card.setAttribute('aria-pressed', flipped ? 'true' : 'false');
    replaceChildren(card, c ? el('div', { class: 'fl-card-face' },
      el('p', { class: 'fl-card-side' }, flipped ? d.back : d.front),
      htmlBlock('p', 'fl-card-text', flipped ? c.backHtml : c.frontHtml)) : null);
    flipButton.textContent = flipped ? 'Show front' : 'Flip';
  }

  render();
  return {
    root,
    refresh: () => {
      const c = cards();
      counter.textContent = c.length === 0 ? 'No cards in this deck.' : `Card ${index + 1} of ${c.length} · ${c.filter((x) => ctx.progress().flashcardsSeen.includes(x.id)).length} seen`;
    },
    focus: () => focusTarget(card),
  };
}

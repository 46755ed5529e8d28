// Pitfalls and errors with their lessons ("Learn why") and a way to jump to the spot.
import type { ViewAnalysis, ViewDiagnostic } from '../../protocol/planView';
import { el, replaceChildren } from './dom';

export interface DiagnosticActions {
  readonly learn: (lesson: string, code: string) => void;
  readonly reveal: (line: number, column: number) => void;
}

const ICON = { error: '✗', warning: '⚠', info: 'ℹ' } as const;

export class DiagnosticsView {
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly heading: HTMLHeadingElement;

  constructor(private readonly actions: DiagnosticActions) {
    this.heading = el('h2', { id: 'fo-diagnostics-title' }, 'Problems and pitfalls');
    this.list = el('ul', { class: 'fo-diagnostics', 'aria-labelledby': 'fo-diagnostics-title' });
    this.element = el('section', { class: 'fo-section fo-diagnostics-section', 'aria-labelledby': 'fo-diagnostics-title' }, this.heading, this.list);
  }

  update(a: Pick<ViewAnalysis, 'diagnostics'>): void {
    this.heading.textContent = a.diagnostics.length > 0 ? `Problems and pitfalls (${a.diagnostics.length})` : 'Problems and pitfalls';
    if (a.diagnostics.length === 0) {
      replaceChildren(this.list, el('li', { class: 'fo-empty' }, 'No problems found.'));
      return;
    }
    replaceChildren(this.list, ...a.diagnostics.slice(0, 500).map((d) => this.item(d)));
  }

  private item(d: ViewDiagnostic): HTMLLIElement {
    const learn = el('button', { type: 'button', class: 'fo-link', 'aria-label': `Learn why: ${d.code}` }, 'Learn why');
    learn.addEventListener('click', () => this.actions.learn(d.lesson, d.code));
    const go = el('button', { type: 'button', class: 'fo-link', 'aria-label': `Go to line ${d.line}, column ${d.column}` }, `Ln ${d.line}, Col ${d.column}`);
    go.addEventListener('click', () => this.actions.reveal(d.line, d.column));
    return el('li', { class: `fo-diagnostic fo-sev-${d.severity}` },
      el('span', { class: 'fo-sev-icon', 'aria-hidden': 'true' }, ICON[d.severity] ?? '•'),
      el('span', { class: 'fo-visually-hidden' }, `${d.severity}: `),
      el('div', { class: 'fo-diag-body' },
        el('div', { class: 'fo-diag-head' }, el('code', { class: 'fo-code' }, d.code), el('span', { class: 'fo-diag-message' }, d.message)),
        d.suggestion ? el('div', { class: 'fo-diag-suggestion' }, d.suggestion) : null,
        el('div', { class: 'fo-diag-actions' }, learn, go)));
  }
}

// Past runs of this plan (newest first); choosing one shows its timeline.
import type { RunSummary } from '../../protocol/planView';
import { el, replaceChildren } from './dom';
import { fmtFullDate, fmtMs, fmtWhen } from './format';

export class HistoryView {
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;
  private runs: readonly RunSummary[] = [];
  private current: string | null = null;

  constructor(private readonly open: (runId: string) => void) {
    this.list = el('ul', { class: 'fo-history', 'aria-labelledby': 'fo-history-title' });
    this.element = el('section', { class: 'fo-section fo-history-section', 'aria-labelledby': 'fo-history-title' },
      el('h2', { id: 'fo-history-title' }, 'Run history'), this.list);
    this.draw();
  }

  setRuns(runs: readonly RunSummary[]): void {
    this.runs = runs;
    this.draw();
  }

  setCurrent(runId: string | null): void {
    if (runId === this.current) return;
    this.current = runId;
    this.draw();
  }

  private draw(): void {
    if (this.runs.length === 0) {
      replaceChildren(this.list, el('li', { class: 'fo-empty' }, 'No runs yet.'));
      return;
    }
    replaceChildren(this.list, ...this.runs.map((r) => {
      const label = `${r.mode === 'simulate' ? 'Simulation' : 'Run'} ${r.status}, ${fmtMs(r.makespanMs)}, ${fmtFullDate(r.startedAt)}`;
      const b = el('button', { type: 'button', class: `fo-history-item fo-run-${r.status}`, 'aria-current': r.runId === this.current ? 'true' : undefined, 'aria-label': `Show ${label}` },
        el('span', { class: 'fo-history-mode' }, r.mode === 'simulate' ? 'simulation' : 'run'),
        el('span', { class: `fo-history-status fo-st-${r.status}` }, r.status),
        el('span', { class: 'fo-history-time' }, fmtMs(r.makespanMs)),
        el('span', { class: 'fo-history-when', title: fmtFullDate(r.startedAt) }, fmtWhen(r.startedAt)));
      b.addEventListener('click', () => this.open(r.runId));
      return el('li', {}, b);
    }));
  }
}

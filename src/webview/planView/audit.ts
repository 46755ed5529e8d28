// An audited trace in the plan view (protocol ViewAudit, docs/audit.md): a header with the trace's
// name and the toggle between the trace as it ran and the same work scheduled by Fanout, and a
// summary saying "actual X → Y" with the saving broken down by cause. The timeline itself is the
// plan view's (timeline.ts); app.ts feeds it the schedule the toggle picks.
import type { ViewAudit } from '../../protocol/planView';
import { el, replaceChildren, type Child } from './dom';
import { fmtMs, fmtX, plural } from './format';
import type { TurnLane } from './timeline';

export type AuditSchedule = 'actual' | 'counterfactual';

export class AuditHeaderView {
  readonly element: HTMLElement;
  private readonly title: HTMLHeadingElement;
  private readonly badges: HTMLDivElement;
  private readonly buttons: Record<AuditSchedule, HTMLButtonElement>;

  constructor(onPick: (s: AuditSchedule) => void, openReport: () => void) {
    this.title = el('h1', { class: 'fo-title' }, 'Trace audit');
    this.badges = el('div', { class: 'fo-badges' });
    const button = (s: AuditSchedule, text: string, title: string): HTMLButtonElement => {
      const b = el('button', { type: 'button', class: 'fo-button', title, 'aria-pressed': 'false', 'data-schedule': s }, text);
      b.addEventListener('click', () => onPick(s));
      return b;
    };
    this.buttons = {
      actual: button('actual', 'As it ran', 'The model turns and tool calls at the times the trace recorded'),
      counterfactual: button('counterfactual', 'Scheduled by Fanout', 'The same calls (their measured durations) and turns, with only the dependencies the trace supports, scheduled by Fanout'),
    };
    const report = el('button', { type: 'button', class: 'fo-button', title: 'The audit as text (what `fanout audit` prints), beside this view' }, 'Text report');
    report.addEventListener('click', openReport);
    this.element = el('header', { class: 'fo-header fo-audit-header' },
      el('div', { class: 'fo-heading' }, this.title, this.badges),
      el('div', { class: 'fo-toolbar' },
        el('div', { class: 'fo-audit-toggle', role: 'group', 'aria-label': 'Timeline shows' }, this.buttons.actual, this.buttons.counterfactual),
        report));
  }

  update(a: ViewAudit, shown: AuditSchedule): void {
    this.title.textContent = `Trace audit: ${a.fileLabel}`;
    const findings = a.diagnostics.length;
    replaceChildren(this.badges,
      el('span', { class: 'fo-badge' }, a.format),
      el('span', { class: 'fo-badge' }, plural(a.synthetic ? 0 : a.turns.length, 'turn')),
      el('span', { class: 'fo-badge' }, plural(a.tools.length, 'tool call')),
      el('span', { class: `fo-badge ${findings > 0 ? 'fo-invalid' : 'fo-valid'}` }, findings > 0 ? `⚠ ${plural(findings, 'finding')}` : '✓ no findings'),
      el('span', { class: 'fo-badge fo-file', title: a.uri }, a.fileLabel));
    for (const s of ['actual', 'counterfactual'] as const) this.buttons[s].setAttribute('aria-pressed', String(s === shown));
  }
}

export class AuditSummaryView {
  readonly element: HTMLElement;
  private readonly headline: HTMLParagraphElement;
  private readonly list: HTMLDListElement;
  private readonly notes: HTMLUListElement;

  constructor() {
    this.headline = el('p', { class: 'fo-audit-headline', 'data-testid': 'audit-headline' });
    this.list = el('dl', { class: 'fo-stats', 'data-testid': 'audit-stats' });
    this.notes = el('ul', { class: 'fo-audit-notes', 'aria-label': 'What the trace did not say' });
    this.element = el('section', { class: 'fo-section fo-summary', 'aria-labelledby': 'fo-audit-summary-title' },
      el('h2', { id: 'fo-audit-summary-title' }, 'Summary'), this.headline, this.list, this.notes);
  }

  update(a: ViewAudit): void {
    replaceChildren(this.headline, `actual ${fmtMs(a.actualMs)} → ${fmtMs(a.counterfactualMs)} scheduled by Fanout`,
      a.counterfactualMs > 0 ? ` (${fmtX(Math.round((a.actualMs / a.counterfactualMs) * 100) / 100)})` : '');
    const s = a.savings;
    const items: Child[] = [
      ...stat('Actual', fmtMs(a.actualMs), 'actual', 'From the first span\'s start to the last span\'s end'),
      ...stat('Scheduled by Fanout', fmtMs(a.counterfactualMs), 'counterfactual', 'The same tool calls and model turns, their measured times, scheduled by Fanout with the dependencies the trace supports'),
      ...stat('Serialized batches', `−${fmtMs(s.serializedBatchMs)}`, 'saving-serialized', 'Calls of one turn started together instead of one after another (serialized-batch)'),
      ...stat('Missed parallelism', `−${fmtMs(s.missedParallelismMs)}`, 'saving-missed', 'Calls asked for at the earliest turn their arguments allow (missed-parallelism)'),
      ...stat('Turns no longer needed', s.turnsRemoved > 0 ? `${s.turnsRemoved} (${fmtMs(s.turnsRemovedMs)})` : '0', 'turns-removed'),
      ...stat('Evidence', a.contentCaptured ? 'captured content (data flow) and timing' : 'timing only: no captured arguments or results', 'evidence', undefined, 'fo-wide'),
    ];
    replaceChildren(this.list, ...items);
    replaceChildren(this.notes, ...a.notes.map((n) => el('li', {}, n)));
    this.notes.hidden = a.notes.length === 0;
  }
}

/** The model lanes of one schedule: turns it drops are left out. */
export function turnLanesOf(a: ViewAudit, shown: AuditSchedule): TurnLane[] {
  const placed = a[shown].turns;
  return a.lanes.map((label, lane) => ({
    label,
    turns: a.turns.flatMap((t, k) => {
      const p = placed[k];
      return t.lane === lane && p ? [{ label: t.label, startedAt: p.startedAt, endedAt: p.endedAt, calls: t.calls, ...(t.model ? { model: t.model } : {}) }] : [];
    }),
  }));
}

/** The timeline's caption for one schedule. */
export function auditCaption(a: ViewAudit, shown: AuditSchedule): string {
  const keys = 'Arrow keys move between calls; Enter shows the span in the trace.';
  if (shown === 'actual') return `As it ran: ${plural(a.tools.length, 'tool call')} at the times the trace recorded, ${fmtMs(a.actualMs)} in all. ${keys}`;
  const dropped = a.counterfactual.turns.filter((t) => t === null).length;
  return `Scheduled by Fanout: the same calls with their measured durations, ${fmtMs(a.counterfactualMs)} in all (actual ${fmtMs(a.actualMs)})${dropped > 0 ? `, ${plural(dropped, 'turn')} no longer needed` : ''}. ${keys}`;
}

function stat(term: string, value: string, key: string, hint?: string, cls = ''): HTMLElement[] {
  return [
    el('dt', { class: cls, title: hint }, term),
    el('dd', { class: cls, 'data-stat': key, title: hint }, value),
  ];
}

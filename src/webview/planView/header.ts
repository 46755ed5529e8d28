// Plan name, format, validity, run state and the run controls. Buttons are real <button>s, so
// Tab, Enter and Space work as everywhere else in VS Code.
import type { ViewAnalysis } from '../../protocol/planView';
import { el, replaceChildren } from './dom';
import { plural } from './format';
import type { RunModel } from './runModel';

export interface HeaderActions {
  readonly run: () => void;
  readonly simulate: () => void;
  readonly cancel: () => void;
  readonly exportTrace: () => void;
}

export class HeaderView {
  readonly element: HTMLElement;
  private readonly title: HTMLHeadingElement;
  private readonly badges: HTMLDivElement;
  private readonly state: HTMLParagraphElement;
  readonly runButton: HTMLButtonElement;
  readonly simulateButton: HTMLButtonElement;
  readonly cancelButton: HTMLButtonElement;
  readonly exportButton: HTMLButtonElement;

  constructor(actions: HeaderActions) {
    this.title = el('h1', { class: 'fo-title' }, 'Loading plan…');
    this.badges = el('div', { class: 'fo-badges' });
    this.state = el('p', { class: 'fo-run-state', role: 'status', 'aria-live': 'polite' });
    this.runButton = button('▶ Run', 'Run the plan for real', actions.run, 'fo-primary');
    this.simulateButton = button('▷ Simulate', 'Simulate the plan on a virtual clock (instant, nothing runs)', actions.simulate);
    this.cancelButton = button('■ Cancel', 'Cancel the running plan', actions.cancel);
    this.exportButton = button('⇩ Export trace', 'Export the last run as a Chrome trace (opens in Perfetto)', actions.exportTrace);
    this.cancelButton.disabled = true;
    this.exportButton.disabled = true;
    this.element = el('header', { class: 'fo-header' },
      el('div', { class: 'fo-heading' }, this.title, this.badges),
      el('div', { class: 'fo-toolbar', role: 'toolbar', 'aria-label': 'Plan actions' }, this.runButton, this.simulateButton, this.cancelButton, this.exportButton),
      this.state);
  }

  update(a: ViewAnalysis | null, model: RunModel): void {
    if (a) {
      this.title.textContent = a.planName || a.fileLabel;
      const errors = a.diagnostics.filter((d) => d.severity === 'error').length;
      const warnings = a.diagnostics.filter((d) => d.severity === 'warning').length;
      replaceChildren(this.badges,
        el('span', { class: 'fo-badge fo-format', title: `Format: ${a.format}`, 'data-format': a.format }, a.formatName),
        el('span', { class: 'fo-badge' }, plural(a.tools.length, 'tool')),
        a.valid
          ? el('span', { class: 'fo-badge fo-valid' }, warnings > 0 ? `✓ valid, ${plural(warnings, 'warning')}` : '✓ valid')
          : el('span', { class: 'fo-badge fo-invalid' }, `✗ invalid: ${plural(errors, 'error')}`),
        el('span', { class: 'fo-badge fo-file', title: a.uri }, a.fileLabel));
    }
    const running = model.phase === 'running';
    const canRun = a !== null && a.valid && !running;
    this.runButton.disabled = !canRun;
    this.simulateButton.disabled = !canRun;
    this.cancelButton.disabled = !running;
    this.exportButton.disabled = running || model.record === null;
    const why = a && !a.valid ? 'Fix the errors below to run this plan' : running ? 'A run is in progress' : '';
    this.runButton.title = why || 'Run the plan for real';
    this.simulateButton.title = why || 'Simulate the plan on a virtual clock (instant, nothing runs)';
    this.state.textContent = runState(model);
  }
}

function runState(model: RunModel): string {
  const what = model.mode === 'simulate' ? 'Simulation' : 'Run';
  switch (model.phase) {
    case 'idle': return '';
    case 'running': return `${what} in progress…`;
    case 'succeeded': return `${what} succeeded.`;
    case 'failed': return `${what} finished with failures.`;
    case 'cancelled': return `${what} cancelled.`;
  }
}

function button(text: string, title: string, onClick: () => void, cls = ''): HTMLButtonElement {
  const b = el('button', { type: 'button', class: `fo-button ${cls}`.trim(), title }, text);
  b.addEventListener('click', onClick);
  return b;
}

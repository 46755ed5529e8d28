// The status-bar item while plans run (click = cancel) and the `fanout.running` context key that
// shows "Cancel Run" in the palette only when there is something to cancel. It subscribes to the
// plan sessions' runs (planSessions.ts) like every other view.
import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import { COMMANDS } from '../runBus';
import type { PlanSessions } from './planSessions';

export interface RunningView {
  readonly planName: string;
  readonly mode: 'run' | 'simulate';
  readonly done: number;
  readonly total: number;
}

export class RunStatusBar extends Disposable {
  private readonly item = this.register(vscode.window.createStatusBarItem('fanout.run', vscode.StatusBarAlignment.Left, 10));
  private running = false;

  constructor(private readonly sessions: PlanSessions) {
    super();
    this.item.name = 'Fanout Run';
    this.item.command = COMMANDS.cancelRun;
    this.register(sessions.onDidChange((e) => { if (e.change.kind.startsWith('run-')) this.update(); }));
  }

  private update(): void {
    const runs: RunningView[] = [];
    for (const s of this.sessions.all()) {
      const r = s.run;
      if (!r || r.record) continue;
      runs.push({ planName: s.analysis().analysis?.plan.name ?? s.fileLabel, mode: r.mode, done: r.done, total: r.tools.length });
    }
    this.show(runs);
  }

  show(runs: readonly RunningView[]): void {
    const active = runs.length > 0;
    if (active !== this.running) {
      this.running = active;
      void vscode.commands.executeCommand('setContext', 'fanout.running', active);
    }
    if (!active) {
      this.item.hide();
      return;
    }
    const done = runs.reduce((s, r) => s + r.done, 0);
    const total = runs.reduce((s, r) => s + r.total, 0);
    const first = runs[0];
    this.item.text = `$(sync~spin) ${runs.length === 1 ? first.planName : `${runs.length} plans`} ${done}/${total}`;
    this.item.tooltip = new vscode.MarkdownString(
      `${runs.map((r) => `**${r.planName.replace(/[\\`*_[\]<>]/g, '\\$&')}** (${r.mode === 'run' ? 'run' : 'simulation'}): ${r.done}/${r.total} tools done`).join('  \n')}\n\nClick to cancel.`);
    this.item.show();
  }

}

// CodeLens above a plan: ▶ Run · Simulate · Graph · a one-line summary.
import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import { COMMANDS } from '../runBus';
import type { PlanSessions } from './planSessions';
import { analysisLensText } from './format';
import { toolsKeyLine } from '../../core/plan/toolsKeyLine';

export class PlanCodeLens extends Disposable implements vscode.CodeLensProvider {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly sessions: PlanSessions) {
    super();
    this.register(sessions.onDidChange((e) => { if (e.change.kind === 'analysis') this.changed.fire(); }));
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    // The document's plan session: the same analysis (with learned estimates) the plan view shows.
    // It is debounced while the user types; lenses refresh when it lands.
    const src = this.sessions.get(doc.uri).analysis();
    const a = src.analysis;
    const toolsKey = a?.plan.ranges.tools;
    // On the `tools` key's line (JSON puts it after name/maxConcurrency): the parser's when the
    // analysis has landed, else a line scan that finds the same line, so the lens never jumps.
    const line = toolsKey ? Math.max(0, toolsKey.line - 1) : toolsKeyLine(doc.getText());
    const at = new vscode.Range(line, 0, line, 0);
    const args = [doc.uri];
    const lenses = [
      new vscode.CodeLens(at, { title: '$(play) Run', command: COMMANDS.run, arguments: args, tooltip: 'Run this plan for real (Fanout)' }),
      new vscode.CodeLens(at, { title: 'Simulate', command: COMMANDS.simulate, arguments: args, tooltip: 'Run the scheduler on a virtual clock: instant, nothing is executed' }),
      new vscode.CodeLens(at, { title: 'Graph', command: COMMANDS.showGraph, arguments: args, tooltip: 'Show the dependency graph and timeline' }),
    ];
    if (a) {
      const problems = !a.valid;
      lenses.push(new vscode.CodeLens(at, problems
        ? { title: analysisLensText(a), command: 'workbench.actions.view.problems', tooltip: 'Open the Problems panel' }
        : { title: analysisLensText(a), command: COMMANDS.showGraph, arguments: args, tooltip: 'Critical path: the longest chain of dependent tools; no schedule can beat it' }));
    }
    return lenses;
  }

}

// Owned by the plans feature (analysis, diagnostics, quick fixes, CodeLens, runs, history).
import * as vscode from 'vscode';
import { COMMANDS, type Services } from '../runBus';
import { getSettings, onDidChangeSettings } from '../settings';
import { createAnalyzeCommand } from './analyzeCommand';
import { AnalysisService } from './analysisService';
import { PlanCodeActions } from './codeActions';
import { PlanCodeLens } from './codeLens';
import { DiagnosticsPublisher } from './diagnostics';
import { EstimateStore } from './estimates';
import { HistoryStore } from './history';
import { createExportTraceCommand, createShowHistoryCommand } from './historyCommands';
import { LiveAnalysis } from './liveAnalysis';
import { RunController } from './runController';
import { createOpenSampleCommand } from './samples';

/** Plan documents by name; untitled copies of samples carry a plan file name too. */
const PLAN_SELECTOR: vscode.DocumentSelector = [
  { pattern: '**/*.toolplan.json' }, { pattern: '**/*.toolplan.yaml' }, { pattern: '**/*.toolplan.yml' },
];

export function registerPlanFeatures(services: Services): void {
  const { context } = services;
  const subs = context.subscriptions;

  const estimates = new EstimateStore(context.workspaceState);
  const history = new HistoryStore(context, () => getSettings().historySize);
  services.history = history;

  const analyses = new AnalysisService({ estimates: () => estimates.get() });
  const publisher = new DiagnosticsPublisher();
  const live = new LiveAnalysis(analyses, publisher);
  const runs = new RunController({ services, analyses, publisher, history, estimates, onEstimatesChanged: () => live.refreshAll() });
  const lenses = new PlanCodeLens(analyses);
  subs.push(history, analyses, publisher, live, runs, lenses);

  subs.push(
    vscode.languages.registerCodeActionsProvider('*', new PlanCodeActions(publisher), PlanCodeActions.metadata),
    vscode.languages.registerCodeLensProvider(PLAN_SELECTOR, lenses),
    onDidChangeSettings(() => void history.prune()),
    vscode.commands.registerCommand(COMMANDS.analyze, createAnalyzeCommand(analyses, publisher, services.output)),
    vscode.commands.registerCommand(COMMANDS.run, (arg?: unknown) => runs.start(arg, 'run')),
    vscode.commands.registerCommand(COMMANDS.simulate, (arg?: unknown) => runs.start(arg, 'simulate')),
    vscode.commands.registerCommand(COMMANDS.cancelRun, (arg?: unknown) => runs.cancel(arg)),
    vscode.commands.registerCommand(COMMANDS.openSample, createOpenSampleCommand(context.extensionUri)),
    vscode.commands.registerCommand(COMMANDS.showHistory, createShowHistoryCommand(history)),
    vscode.commands.registerCommand(COMMANDS.exportTrace, createExportTraceCommand(history)),
  );
  void vscode.commands.executeCommand('setContext', 'fanout.running', false);
}

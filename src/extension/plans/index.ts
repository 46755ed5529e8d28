// Owned by the plans feature (analysis, diagnostics, quick fixes, CodeLens, runs, history).
import * as vscode from 'vscode';
import { COMMANDS, type RunHistoryStore, type Services } from '../runBus';
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
import { McpDiagnostics } from './mcpDiagnostics';
import { PlanSessions } from './planSessions';
import { RunController } from './runController';
import { RunStatusBar } from './runUi';
import { createOpenSampleCommand } from './samples';

/** Plan documents by name; untitled copies of samples carry a plan file name too. */
const PLAN_SELECTOR: vscode.DocumentSelector = [
  { pattern: '**/*.toolplan.json' }, { pattern: '**/*.toolplan.yaml' }, { pattern: '**/*.toolplan.yml' },
];

/** What the plans feature gives the features registered after it (passed explicitly, never polled). */
export interface PlanFeatures extends vscode.Disposable {
  /** One session per document: analysis with learned estimates, runs, history (planSession.ts). */
  readonly sessions: PlanSessions;
  readonly history: RunHistoryStore;
}

export function registerPlanFeatures(services: Services): PlanFeatures {
  const { context } = services;
  const subs: vscode.Disposable[] = [];

  const estimates = new EstimateStore(context.workspaceState);
  const history = new HistoryStore(context, () => getSettings().historySize);

  const analyses = new AnalysisService({ estimates: () => estimates.get() });
  const sessions = new PlanSessions({ analyses, runBus: services.runBus, history });
  const publisher = new DiagnosticsPublisher();
  const live = new LiveAnalysis(analyses, publisher);
  const runs = new RunController({ services, analyses, publisher, history, estimates, onEstimatesChanged: () => live.refreshAll() });
  const lenses = new PlanCodeLens(sessions);
  const statusBar = new RunStatusBar(sessions);
  const mcpChecks = new McpDiagnostics(analyses);
  subs.push(history, analyses, sessions, publisher, live, runs, lenses, statusBar, mcpChecks);

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
  return { sessions, history, dispose: () => { for (const d of subs.splice(0).reverse()) d.dispose(); } };
}

// Owned by the plans feature (analysis, diagnostics, quick fixes, CodeLens, runs, history).
import * as vscode from 'vscode';
import { disposeAll } from '../disposable';
import { COMMANDS, type RunHistoryStore, type Services } from '../runBus';
import { getSettings, onDidChangeSettings } from '../settings';
import { createAnalyzeCommand } from './analyzeCommand';
import { AnalysisService, isPlanDocument } from './analysisService';
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
import { choosePlanTarget } from './planTargets';
import { RunStatusBar } from './runUi';
import { createOpenSampleCommand } from './samples';
import { SelectionDocuments } from './selectionDocuments';
import { createOpenRunRecordCommand, OPEN_RUN_RECORD_COMMAND, RunRecordDocuments } from './runRecords';
import type { RunMode } from '../runBus';

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
  const runs = new RunController({ services, analyses, publisher, history, estimates, onEstimatesChanged: () => live.refreshAll(), planViewVisible: (uri) => sessions.get(uri).viewVisible });
  const lenses = new PlanCodeLens(sessions);
  const statusBar = new RunStatusBar(sessions);
  const mcpChecks = new McpDiagnostics(analyses, services.mcpListings);
  const snapshots = new SelectionDocuments();
  const records = new RunRecordDocuments();
  subs.push(history, analyses, sessions, publisher, live, runs, lenses, statusBar, mcpChecks, snapshots, records);

  // Run and Simulate act on a plan file, a selection or a picked fenced block (planTargets.ts);
  // a part of a document runs as its selection document, so the plan view and history follow it.
  const startRun = (mode: RunMode) => async (arg?: unknown) => {
    const target = await choosePlanTarget(arg, analyses, { verb: mode === 'run' ? 'Run' : 'Simulate', selectionInPlanFiles: false });
    if (!target) return undefined;
    if (target.kind === 'document') return runs.start(target.doc.uri, mode);
    const src = analyses.forSelection(target.doc, target.range);
    if (!src.analysis) {
      if (!isPlanDocument(target.doc)) publisher.clear(target.doc.uri);
      const first = src.diagnostics[0];
      const at = first ? ` (line ${first.range.line}, column ${first.range.column})` : '';
      void vscode.window.showWarningMessage(`Fanout cannot ${mode} the selection: it is not a tool plan${at}: ${first?.message ?? 'no tool calls found.'}`);
      return undefined;
    }
    return runs.start(snapshots.put(target.doc.uri, target.first, target.last, target.text), mode);
  };

  subs.push(
    vscode.languages.registerCodeActionsProvider('*', new PlanCodeActions(publisher), PlanCodeActions.metadata),
    vscode.languages.registerCodeLensProvider(PLAN_SELECTOR, lenses),
    onDidChangeSettings(() => void history.prune()),
    vscode.commands.registerCommand(COMMANDS.analyze, createAnalyzeCommand({ analyses, publisher, snapshots, log: services.output })),
    vscode.commands.registerCommand(COMMANDS.run, startRun('run')),
    vscode.commands.registerCommand(COMMANDS.simulate, startRun('simulate')),
    vscode.commands.registerCommand(COMMANDS.cancelRun, (arg?: unknown) => runs.cancel(arg)),
    vscode.commands.registerCommand(COMMANDS.openSample, createOpenSampleCommand(context.extensionUri)),
    vscode.commands.registerCommand(COMMANDS.showHistory, createShowHistoryCommand(history)),
    vscode.commands.registerCommand(COMMANDS.exportTrace, createExportTraceCommand(history)),
    vscode.commands.registerCommand(OPEN_RUN_RECORD_COMMAND, createOpenRunRecordCommand(sessions, records)),
  );
  void vscode.commands.executeCommand('setContext', 'fanout.running', false);
  const registration = disposeAll(subs);
  return { sessions, history, dispose: () => registration.dispose() };
}

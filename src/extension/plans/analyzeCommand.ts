// fanout.analyze: the selection if there is one (any document), else the whole document.
import * as vscode from 'vscode';
import { COMMANDS } from '../runBus';
import type { AnalysisService, DocumentAnalysis } from './analysisService';
import type { DiagnosticsPublisher } from './diagnostics';
import { fileLabel, NO_PLAN_MESSAGE, resolveTarget } from './documents';
import { analysisSummary, countSeverities } from './format';

/** What the command resolves with (for tests and other extensions). */
export interface AnalyzeCommandResult {
  readonly uri: string;
  readonly selection: boolean;
  readonly valid: boolean;
  readonly format?: string;
  readonly tools: number;
  readonly diagnostics: readonly { code: string; severity: string; line: number; column: number; message: string }[];
}

export function createAnalyzeCommand(analyses: AnalysisService, publisher: DiagnosticsPublisher, log: vscode.LogOutputChannel) {
  return async (arg?: unknown): Promise<AnalyzeCommandResult | undefined> => {
    const target = await resolveTarget(arg);
    if (!target) {
      // With an argument, resolveTarget has already said what went wrong.
      if (arg === undefined) void vscode.window.showInformationMessage(NO_PLAN_MESSAGE);
      return undefined;
    }
    const { doc, editor } = target;
    const sel = editor && !editor.selection.isEmpty ? editor.selection : undefined;
    const src: DocumentAnalysis = sel ? analyses.forSelection(doc, sel) : analyses.forDocument(doc);
    publisher.publish(doc, src);
    if (!src.selection) analyses.notify(doc.uri);
    report(src, doc, log);
    return {
      uri: doc.uri.toString(),
      selection: src.selection,
      valid: src.analysis?.valid ?? false,
      ...(src.analysis ? { format: src.analysis.plan.format } : {}),
      tools: src.analysis?.plan.tools.length ?? 0,
      diagnostics: src.diagnostics.map((d) => ({ code: d.code, severity: d.severity, line: d.range.line, column: d.range.column, message: d.message })),
    };
  };
}

function report(src: DocumentAnalysis, doc: vscode.TextDocument, log: vscode.LogOutputChannel): void {
  const where = `${fileLabel(doc.uri)}${src.selection ? ` (selection at line ${src.base.line})` : ''}`;
  const a = src.analysis;
  const showProblems = 'Show Problems';
  const showGraph = 'Show Graph';
  if (!a) {
    const first = src.diagnostics[0];
    log.warn(`Analyze ${where}: not a tool plan. ${first?.message ?? ''}`);
    void vscode.window.showWarningMessage(`Not a tool plan: ${first?.message ?? 'no tool calls found.'}`, showProblems).then((c) => {
      if (c === showProblems) void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
    return;
  }
  const summary = analysisSummary(a, where);
  log.info(`Analyze ${summary}`);
  for (const d of src.diagnostics) log.info(`  ${d.range.line}:${d.range.column} ${d.severity} ${d.code}: ${d.message}`);
  if (a.valid && a.levels.length > 0) log.info(`  levels: ${a.levels.map((l) => `[${l.join(', ')}]`).join(' → ')}`);
  const buttons = [...(src.selection ? [] : [showGraph]), ...(src.diagnostics.length > 0 ? [showProblems] : [])];
  const counts = countSeverities(src.diagnostics);
  const show = counts.errors > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void show(summary, ...buttons).then((c) => {
    if (c === showProblems) void vscode.commands.executeCommand('workbench.actions.view.problems');
    if (c === showGraph) void vscode.commands.executeCommand(COMMANDS.showGraph, doc.uri).then(undefined, () => undefined);
  });
}

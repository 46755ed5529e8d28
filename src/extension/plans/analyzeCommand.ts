// fanout.analyze: a plan file whole; a selection (fences stripped) or a picked fenced block of
// any document, shown in the plan view; never a non-plan document read whole (planTargets.ts).
import * as vscode from 'vscode';
import { COMMANDS } from '../runBus';
import { isPlanDocument, type AnalysisService, type DocumentAnalysis } from './analysisService';
import type { DiagnosticsPublisher } from './diagnostics';
import { fileLabel } from './documents';
import { analysisSummary, countSeverities } from './format';
import { choosePlanTarget } from './planTargets';
import type { SelectionDocuments } from './selectionDocuments';

/** What the command resolves with (for tests and other extensions). */
export interface AnalyzeCommandResult {
  readonly uri: string;
  readonly selection: boolean;
  readonly valid: boolean;
  readonly format?: string;
  readonly tools: number;
  readonly diagnostics: readonly { code: string; severity: string; line: number; column: number; message: string }[];
  /** The selection document the plan view shows, when a selection or a block was analysed as a plan. */
  readonly view?: string;
}

export interface AnalyzeDeps {
  readonly analyses: AnalysisService;
  readonly publisher: DiagnosticsPublisher;
  readonly snapshots: SelectionDocuments;
  readonly log: vscode.LogOutputChannel;
}

export function createAnalyzeCommand({ analyses, publisher, snapshots, log }: AnalyzeDeps) {
  return async (arg?: unknown): Promise<AnalyzeCommandResult | undefined> => {
    const target = await choosePlanTarget(arg, analyses, { verb: 'Analyze', selectionInPlanFiles: true });
    if (!target) return undefined;
    const { doc } = target;
    let src: DocumentAnalysis;
    let view: vscode.Uri | undefined;
    if (target.kind === 'part') {
      src = analyses.forSelection(doc, target.range);
      if (src.analysis) {
        publisher.publish(doc, src);
        view = snapshots.put(doc.uri, target.first, target.last, target.text);
      } else if (!isPlanDocument(doc)) {
        // A failed selection leaves nothing behind: the message says what is wrong instead.
        publisher.clear(doc.uri);
      }
    } else {
      src = analyses.forDocument(doc);
      publisher.publish(doc, src);
      analyses.notify(doc.uri);
    }
    report(src, doc, log, view);
    if (view) await vscode.commands.executeCommand(COMMANDS.showGraph, view).then(undefined, (err) => log.error(`Show Graph for a selection: ${String(err)}`));
    return {
      uri: doc.uri.toString(),
      selection: src.selection,
      valid: src.analysis?.valid ?? false,
      ...(src.analysis ? { format: src.analysis.plan.format } : {}),
      tools: src.analysis?.plan.tools.length ?? 0,
      diagnostics: src.diagnostics.map((d) => ({ code: d.code, severity: d.severity, line: d.range.line, column: d.range.column, message: d.message })),
      ...(view ? { view: view.toString() } : {}),
    };
  };
}

function report(src: DocumentAnalysis, doc: vscode.TextDocument, log: vscode.LogOutputChannel, view: vscode.Uri | undefined): void {
  const where = `${fileLabel(doc.uri)}${src.selection ? ` (selection at line ${src.base.line})` : ''}`;
  const a = src.analysis;
  const showProblems = 'Show Problems';
  const showGraph = 'Show Graph';
  if (!a) {
    const first = src.diagnostics[0];
    log.warn(`Analyze ${where}: not a tool plan. ${first?.message ?? ''}`);
    if (src.selection) {
      // Nothing was published for a failed selection: the message carries the where and the what.
      const at = first ? ` (line ${first.range.line}, column ${first.range.column})` : '';
      void vscode.window.showWarningMessage(`Fanout: the selection is not a tool plan${at}: ${first?.message ?? 'no tool calls found.'}`);
      return;
    }
    void vscode.window.showWarningMessage(`Not a tool plan: ${first?.message ?? 'no tool calls found.'}`, showProblems).then((c) => {
      if (c === showProblems) void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
    return;
  }
  const summary = analysisSummary(a, where);
  log.info(`Analyze ${summary}`);
  for (const d of src.diagnostics) log.info(`  ${d.range.line}:${d.range.column} ${d.severity} ${d.code}: ${d.message}`);
  if (a.valid && a.levels.length > 0) log.info(`  levels: ${a.levels.map((l) => `[${l.join(', ')}]`).join(' → ')}`);
  // A selection opens the plan view itself (graph, estimate, problems): no toast to read.
  if (view) return;
  const buttons = [showGraph, ...(src.diagnostics.length > 0 ? [showProblems] : [])];
  const counts = countSeverities(src.diagnostics);
  const show = counts.errors > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void show(summary, ...buttons).then((c) => {
    if (c === showProblems) void vscode.commands.executeCommand('workbench.actions.view.problems');
    if (c === showGraph) void vscode.commands.executeCommand(COMMANDS.showGraph, doc.uri).then(undefined, () => undefined);
  });
}

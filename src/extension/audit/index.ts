// Trace audit in VS Code: `Fanout: Audit Trace…` (and opening a `*.otlp.json` / `*.otlp.jsonl`
// file) audits an agent trace with the core (src/core/trace, docs/audit.md): the findings go to
// the Problems panel at the span they concern, each code a *Learn why* link to its lesson. The
// command shows the trace in the plan view (panel.ts): model lanes and tool rows as they happened,
// toggled against the same work scheduled by Fanout, "actual X → Y" in its summary; the text
// report (what `fanout audit` prints) opens from the view's "Text report" button.
import * as vscode from 'vscode';
import type { AuditResult } from '../../core/trace/audit';
import type { Diagnostic } from '../../core/plan/types';
import { AUDIT_VIEW_TYPE, type ViewAudit } from '../../protocol/planView';
import { disposeAll } from '../disposable';
import { lazyBundle } from '../lazyBundle';
import { lessonCommandUri } from '../plans/diagnostics';
import type { Services } from '../runBus';
import { auditPanelState, AuditPanels, type AuditPanel } from './panel';
import { auditToView } from './toView';

/** The audit itself (src/extension/auditHost.ts), loaded when the first trace is audited. */
const auditHost = lazyBundle<typeof import('../auditHost')>('auditHost.js');

export const AUDIT_COMMAND = 'fanout.auditTrace';
export const REPORT_SCHEME = 'fanout-audit';
/** Files audited when opened (documented in the README). */
export const TRACE_FILE = /\.otlp\.jsonl?$/i;

const SEVERITY: Record<Diagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export interface AuditOutcome {
  readonly uri: vscode.Uri;
  readonly result?: AuditResult;
  readonly error?: string;
  readonly reportUri?: vscode.Uri;
  /** What the plan view was sent (command runs only). */
  readonly view?: ViewAudit;
  readonly panel?: AuditPanel;
}

export function registerAudit(services: Services): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('fanout-audit');
  const reports = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const provider: vscode.TextDocumentContentProvider = { onDidChange: changed.event, provideTextDocumentContent: (uri) => reports.get(uri.toString()) ?? '' };

  const openReport = async (reportUri: vscode.Uri): Promise<void> => {
    const doc = await vscode.workspace.openTextDocument(reportUri);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: false });
  };
  const reportUriOf = (uri: vscode.Uri): vscode.Uri =>
    vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${vscode.workspace.asRelativePath(uri).replace(/[\\/]/g, '_')}.audit.txt`, query: uri.toString() });
  const panels = new AuditPanels({
    extensionUri: services.context.extensionUri,
    output: services.output,
    openReport: async (trace) => {
      const reportUri = reportUriOf(trace);
      if (!reports.has(reportUri.toString())) await audit(trace, false);
      await openReport(reportUri);
    },
  });

  const audit = async (uri: vscode.Uri, show: boolean, panel?: vscode.WebviewPanel): Promise<AuditOutcome> => {
    const { auditTrace, MAX_TRACE_BYTES, renderAuditReport, toolRanges, TraceError } = auditHost();
    let text: string;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_TRACE_BYTES) throw new Error(`the trace is ${Math.round(stat.size / 1048576)} MB; traces are limited to ${MAX_TRACE_BYTES / 1048576} MB`);
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch (err) {
      const error = `Could not read ${vscode.workspace.asRelativePath(uri)}: ${err instanceof Error ? err.message : String(err)}`;
      if (show) void vscode.window.showErrorMessage(error);
      return { uri, error };
    }
    let result: AuditResult;
    try {
      result = auditTrace(text);
    } catch (err) {
      if (!(err instanceof TraceError)) throw err;
      const at = new vscode.Position(err.line - 1, err.column - 1);
      const d = new vscode.Diagnostic(new vscode.Range(at, at), err.message, vscode.DiagnosticSeverity.Error);
      d.source = 'Fanout';
      d.code = 'parse-error';
      collection.set(uri, [d]);
      if (show) void vscode.window.showErrorMessage(`Fanout: ${err.message}`);
      return { uri, error: err.message };
    }
    collection.set(uri, result.diagnostics.map((d) => {
      const start = new vscode.Position(d.range.line - 1, d.range.column - 1);
      const end = new vscode.Position(d.range.endLine - 1, d.range.endColumn - 1);
      const vs = new vscode.Diagnostic(new vscode.Range(start, end), d.message, SEVERITY[d.severity]);
      vs.source = 'Fanout';
      vs.code = { value: d.code, target: lessonCommandUri(d.lesson, d.code) };
      return vs;
    }));
    const name = vscode.workspace.asRelativePath(uri);
    const reportUri = reportUriOf(uri);
    reports.set(reportUri.toString(), renderAuditReport(name, result, { width: 110 }));
    changed.fire(reportUri);
    // The view only when asked for (the command, a restored panel) or already open (a save).
    const open = panels.get(uri);
    if (!show && !panel && !open) return { uri, result, reportUri };
    const view = auditToView(result, { uri: uri.toString(), fileLabel: name, ranges: toolRanges(result, text) });
    let shown: AuditPanel | undefined;
    if (panel) shown = panels.adopt(panel, uri, view);
    else if (show) shown = panels.show(uri, view, false);
    else if (open) {
      panels.refresh(uri, view);
      shown = open;
    }
    return { uri, result, reportUri, view, ...(shown ? { panel: shown } : {}) };
  };

  const command = async (arg?: unknown): Promise<AuditOutcome | undefined> => {
    let uri = arg instanceof vscode.Uri ? arg : undefined;
    const active = vscode.window.activeTextEditor?.document;
    if (!uri && active && active.uri.scheme !== REPORT_SCHEME && /\.jsonl?$/i.test(active.fileName)) uri = active.uri;
    if (!uri) {
      const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Audit', title: 'Audit an agent trace', filters: { 'Traces (JSON, JSON lines)': ['json', 'jsonl'] } });
      uri = picked?.[0];
    }
    return uri ? audit(uri, true) : undefined;
  };

  // Trace files are audited when opened and when saved; their problems leave with them.
  const auto = (doc: vscode.TextDocument): void => {
    if (doc.uri.scheme === 'file' && TRACE_FILE.test(doc.fileName)) void audit(doc.uri, false);
  };
  const registration = disposeAll([
    collection, changed, panels,
    vscode.window.registerWebviewPanelSerializer(AUDIT_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
        const s = auditPanelState(state);
        if (!s) {
          panel.dispose();
          return;
        }
        const outcome = await audit(vscode.Uri.parse(s.uri, true), false, panel);
        if (!outcome.view) panel.dispose();
      },
    }),
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, provider),
    vscode.commands.registerCommand(AUDIT_COMMAND, command),
    vscode.workspace.onDidOpenTextDocument(auto),
    vscode.workspace.onDidSaveTextDocument(auto),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      if (TRACE_FILE.test(doc.fileName)) collection.delete(doc.uri);
    }),
  ]);
  for (const doc of vscode.workspace.textDocuments) auto(doc);
  return registration;
}

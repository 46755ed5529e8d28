// An audited trace in the plan view: the plan view's webview (same bundle, same HTML and CSP) in a
// panel of its own type (fanout.auditView), sent one 'audit' message instead of a plan analysis.
// One panel per trace file; re-auditing the file (on save) redraws the open panel.
import * as vscode from 'vscode';
import { AUDIT_VIEW_TYPE, type HostToView, type PlanViewState, type ViewAudit, type ViewToHost } from '../../protocol/planView';
import { Disposable } from '../disposable';
import { planViewPage } from '../planView/page';
import { COMMANDS } from '../runBus';
import { createWebviewPanel, WebviewPanelHost } from '../webviewPanelHost';

export interface AuditPanelHost {
  readonly extensionUri: vscode.Uri;
  readonly output: vscode.LogOutputChannel;
  /** Opens the text report of the trace beside the view. */
  readonly openReport: (trace: vscode.Uri) => Promise<void>;
}

export class AuditPanels extends Disposable {
  private readonly panels = new Map<string, AuditPanel>();

  constructor(private readonly host: AuditPanelHost) {
    super();
    this.onDispose(() => {
      for (const p of [...this.panels.values()]) p.dispose();
    });
  }

  /** Shows (or redraws) the audit of `trace`. */
  show(trace: vscode.Uri, view: ViewAudit, preserveFocus: boolean): AuditPanel {
    const key = trace.toString();
    let p = this.panels.get(key);
    if (p) {
      p.update(view);
      p.reveal(preserveFocus);
      return p;
    }
    const panel = createWebviewPanel(AUDIT_VIEW_TYPE, 'Fanout audit', { viewColumn: vscode.ViewColumn.Beside, preserveFocus }, this.host.extensionUri, { retainContextWhenHidden: true });
    p = this.adopt(panel, trace, view);
    return p;
  }

  /** A restored or new panel for `trace`; `view` may follow later (update). */
  adopt(panel: vscode.WebviewPanel, trace: vscode.Uri, view?: ViewAudit): AuditPanel {
    const key = trace.toString();
    this.panels.get(key)?.dispose();
    const p = new AuditPanel(panel, trace, this.host, () => {
      if (this.panels.get(key) === p) this.panels.delete(key);
    });
    if (view) p.update(view);
    this.panels.set(key, p);
    return p;
  }

  /** Redraws the panel of `trace` if one is open (a re-audit after a save). */
  refresh(trace: vscode.Uri, view: ViewAudit): void {
    this.panels.get(trace.toString())?.update(view);
  }

  get(trace: vscode.Uri): AuditPanel | undefined {
    return this.panels.get(trace.toString());
  }
}

/** One trace's audit in the plan view's page: the lifecycle is the shared host's (webviewPanelHost.ts). */
export class AuditPanel extends WebviewPanelHost<HostToView, ViewToHost> {
  private view: ViewAudit | undefined;

  constructor(panel: vscode.WebviewPanel, readonly trace: vscode.Uri, private readonly host: AuditPanelHost, onClosed: () => void) {
    const title = `Audit: ${basename(trace)}`;
    super(panel, {
      extensionUri: host.extensionUri,
      title,
      ...planViewPage(host.extensionUri, title),
      retained: true,
      logName: `Audit view (${basename(trace)})`,
      output: host.output,
    });
    this.onDispose(onClosed);
  }

  /** What the webview shows, for tests: the last audit sent (or to be sent once it is ready). */
  get shown(): ViewAudit | undefined {
    return this.view;
  }

  get isReady(): boolean {
    return this.ready;
  }

  update(view: ViewAudit): void {
    this.view = view;
    this.post({ type: 'audit', audit: view });
  }

  protected async onMessage(m: ViewToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.markReady();
        if (this.view) this.post({ type: 'audit', audit: this.view });
        break;
      case 'open-lesson':
        // With the code, the lessons open at the section that explains it (DIAGNOSTIC_SECTIONS).
        await vscode.commands.executeCommand(COMMANDS.openLessons, m.lesson, ...(m.code ? [m.code] : []));
        break;
      case 'reveal':
        await this.revealInEditor(m.line, m.column);
        break;
      case 'open-audit-report':
        await this.host.openReport(this.trace);
        break;
      case 'error':
        this.host.output.error(`Audit view (${basename(this.trace)}): ${m.message}`);
        break;
      default:
        break; // plan actions (run, simulate, history) do not apply to a trace
    }
  }

  private async revealInEditor(line: number, column: number): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(this.trace);
    const l = Math.min(Math.max(0, Math.floor(line) - 1), Math.max(0, doc.lineCount - 1));
    const c = Math.min(Math.max(0, Math.floor(column) - 1), doc.lineAt(l).text.length);
    const pos = new vscode.Position(l, c);
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.trace.toString());
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One, selection: new vscode.Range(pos, pos) });
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}

export function auditPanelState(state: unknown): PlanViewState | undefined {
  const s = state as { uri?: unknown } | null | undefined;
  return s && typeof s.uri === 'string' && s.uri.length > 0 ? { uri: s.uri } : undefined;
}

function basename(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

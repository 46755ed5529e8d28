// An audited trace in the plan view: the plan view's webview (same bundle, same HTML and CSP) in a
// panel of its own type (fanout.auditView), sent one 'audit' message instead of a plan analysis.
// One panel per trace file; re-auditing the file (on save) redraws the open panel.
import * as vscode from 'vscode';
import { AUDIT_VIEW_TYPE, type HostToView, type PlanViewState, type ViewAudit, type ViewToHost } from '../../protocol/planView';
import { makeNonce, planViewHtml } from '../planView/html';
import { COMMANDS } from '../runBus';

export interface AuditPanelHost {
  readonly extensionUri: vscode.Uri;
  readonly output: vscode.LogOutputChannel;
  /** Opens the text report of the trace beside the view. */
  readonly openReport: (trace: vscode.Uri) => Promise<void>;
}

export class AuditPanels implements vscode.Disposable {
  private readonly panels = new Map<string, AuditPanel>();

  constructor(private readonly host: AuditPanelHost) {}

  /** Shows (or redraws) the audit of `trace`. */
  show(trace: vscode.Uri, view: ViewAudit, preserveFocus: boolean): AuditPanel {
    const key = trace.toString();
    let p = this.panels.get(key);
    if (p) {
      p.update(view);
      p.panel.reveal(undefined, preserveFocus);
      return p;
    }
    const panel = vscode.window.createWebviewPanel(AUDIT_VIEW_TYPE, 'Fanout audit', { viewColumn: vscode.ViewColumn.Beside, preserveFocus }, { enableScripts: true, enableFindWidget: true, retainContextWhenHidden: true });
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

  dispose(): void {
    for (const p of [...this.panels.values()]) p.dispose();
  }
}

export class AuditPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private view: ViewAudit | undefined;
  private ready = false;
  private disposed = false;

  constructor(readonly panel: vscode.WebviewPanel, readonly trace: vscode.Uri, private readonly host: AuditPanelHost, private readonly onDispose: () => void) {
    const webviewDir = vscode.Uri.joinPath(host.extensionUri, 'dist', 'webview');
    const mediaDir = vscode.Uri.joinPath(host.extensionUri, 'media');
    panel.webview.options = { enableScripts: true, localResourceRoots: [webviewDir, mediaDir] };
    panel.iconPath = { light: vscode.Uri.joinPath(mediaDir, 'planView-light.svg'), dark: vscode.Uri.joinPath(mediaDir, 'planView-dark.svg') };
    panel.title = `Audit: ${basename(trace)}`;
    const webview = panel.webview;
    webview.html = planViewHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      appScript: webview.asWebviewUri(vscode.Uri.joinPath(webviewDir, 'planView.js')).toString(),
      mermaidScript: webview.asWebviewUri(vscode.Uri.joinPath(webviewDir, 'mermaid.min.js')).toString(),
      stylesheet: webview.asWebviewUri(vscode.Uri.joinPath(mediaDir, 'planView.css')).toString(),
      title: panel.title,
    });
    this.disposables.push(
      webview.onDidReceiveMessage((m: ViewToHost) => void this.onMessage(m).catch((err: unknown) => this.log(err))),
      panel.onDidDispose(() => this.dispose()),
    );
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

  private async onMessage(m: ViewToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        if (this.view) this.post({ type: 'audit', audit: this.view });
        break;
      case 'open-lesson':
        // With the code, the lessons open at the section that explains it (DIAGNOSTIC_SECTIONS).
        await vscode.commands.executeCommand(COMMANDS.openLessons, m.lesson, ...(m.code ? [m.code] : []));
        break;
      case 'reveal':
        await this.reveal(m.line, m.column);
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

  private async reveal(line: number, column: number): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(this.trace);
    const l = Math.min(Math.max(0, Math.floor(line) - 1), Math.max(0, doc.lineCount - 1));
    const c = Math.min(Math.max(0, Math.floor(column) - 1), doc.lineAt(l).text.length);
    const pos = new vscode.Position(l, c);
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.trace.toString());
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One, selection: new vscode.Range(pos, pos) });
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private post(message: HostToView): void {
    if (this.disposed || !this.ready) return;
    void this.panel.webview.postMessage(message).then(undefined, (err: unknown) => this.log(err));
  }

  private log(err: unknown): void {
    this.host.output.error(`Audit view (${basename(this.trace)}): ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.onDispose();
    this.panel.dispose();
  }
}

export function auditPanelState(state: unknown): PlanViewState | undefined {
  const s = state as { uri?: unknown } | null | undefined;
  return s && typeof s.uri === 'string' && s.uri.length > 0 ? { uri: s.uri } : undefined;
}

function basename(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

// One plan view panel: a webview showing one plan document. It re-analyses the document as it
// changes (debounced), forwards that document's runs, and turns webview requests into the
// commands other features register.
import * as vscode from 'vscode';
import { predictMakespan } from '../../core/engine/simulate';
import type { HostToView, PlanViewState, ViewAnalysis, ViewToHost } from '../../protocol/planView';
import { COMMANDS, type Services } from '../runBus';
import { getSettings } from '../settings';
import { makeNonce, planViewHtml } from './html';
import type { RunCache } from './runCache';
import { analyzeForView, panelTitle, toRunSummaries, toViewRecord } from './toView';

const REANALYZE_DELAY_MS = 300;

export interface PanelHost {
  readonly services: Services;
  readonly runs: RunCache;
  readonly onDidDispose: (panel: PlanPanel) => void;
}

export class PlanPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private analysis: ViewAnalysis | undefined;
  /** A past run the user chose to look at (history), shown instead of the latest run. */
  private shownRun: { runId: string; mode: 'run' | 'simulate' } | undefined;
  private ready = false;
  private stale = true;
  private disposed = false;

  constructor(readonly panel: vscode.WebviewPanel, readonly uri: vscode.Uri, private readonly host: PanelHost) {
    const extensionUri = host.services.context.extensionUri;
    const webviewDir = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    const mediaDir = vscode.Uri.joinPath(extensionUri, 'media');
    panel.webview.options = { enableScripts: true, localResourceRoots: [webviewDir, mediaDir] };
    panel.iconPath = {
      light: vscode.Uri.joinPath(mediaDir, 'planView-light.svg'),
      dark: vscode.Uri.joinPath(mediaDir, 'planView-dark.svg'),
    };
    const fileLabel = labelOf(uri);
    panel.title = panelTitle(undefined, fileLabel);
    const webview = panel.webview;
    webview.html = planViewHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      mermaidScript: webview.asWebviewUri(vscode.Uri.joinPath(webviewDir, 'mermaid.min.js')).toString(),
      appScript: webview.asWebviewUri(vscode.Uri.joinPath(webviewDir, 'planView.js')).toString(),
      stylesheet: webview.asWebviewUri(vscode.Uri.joinPath(mediaDir, 'planView.css')).toString(),
      title: panel.title,
    });
    this.disposables.push(
      webview.onDidReceiveMessage((m: ViewToHost) => void this.onMessage(m).catch((err) => this.log(err))),
      panel.onDidDispose(() => this.dispose()),
      // Hidden webviews are torn down (retainContextWhenHidden: false); they say 'ready' again when shown.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === this.key && e.contentChanges.length > 0) this.scheduleAnalysis();
      }),
    );
  }

  get key(): string {
    return this.uri.toString();
  }

  reveal(preserveFocus: boolean): void {
    this.panel.reveal(undefined, preserveFocus);
  }

  /** Shows a past run from history (fanout.showGraph with { runId }, or the webview's history list). */
  async showRun(runId: string): Promise<void> {
    const stored = await this.host.services.history?.get(runId);
    if (!stored) {
      void vscode.window.showWarningMessage('Fanout: the record of that run is no longer stored in the history.');
      return;
    }
    this.shownRun = { runId, mode: stored.summary.mode };
    this.post({ type: 'show-record', runId, mode: stored.summary.mode, record: toViewRecord(stored.record) });
  }

  /** A run of this document started, produced events or ended: forward it when the webview is live. */
  postRun(message: HostToView): void {
    if (message.type === 'run-started') this.shownRun = undefined;
    if (this.shownRun) return;
    this.post(message);
  }

  sendHistory(): void {
    const runs = this.host.services.history?.list(this.key) ?? [];
    this.post({ type: 'history', runs: toRunSummaries(runs) });
  }

  private scheduleAnalysis(): void {
    this.stale = true;
    if (!this.ready) return; // analysed when the webview says 'ready'
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.sendAnalysis().catch((err) => this.log(err)), REANALYZE_DELAY_MS);
  }

  private async sendAnalysis(): Promise<void> {
    this.timer = undefined;
    if (this.disposed) return;
    if (this.stale || !this.analysis) {
      this.analysis = await this.analyze();
      this.stale = false;
    }
    if (this.disposed) return;
    this.panel.title = panelTitle(this.analysis.planName, this.analysis.fileLabel);
    this.post({ type: 'analysis', analysis: this.analysis });
  }

  private async analyze(): Promise<ViewAnalysis> {
    const fileLabel = labelOf(this.uri);
    const source = { uri: this.key, fileLabel };
    let text: string;
    try {
      text = (await vscode.workspace.openTextDocument(this.uri)).getText();
    } catch (err) {
      const message = `Could not open ${fileLabel}: ${err instanceof Error ? err.message : String(err)}. Reopen the file and show the graph again.`;
      return { ...analyzeForView('{"tools": []}', source), valid: false, diagnostics: [{ code: 'parse-error', severity: 'error', message, tools: [], line: 1, column: 1, lesson: 'plan-format' }] };
    }
    const settings = getSettings(this.uri);
    return analyzeForView(text, source, {
      parse: { fileName: this.uri.path, defaultEstimateMs: settings.defaultEstimateMs },
      analyze: {
        defaultEstimateMs: settings.defaultEstimateMs,
        // The engine's own schedule under the cap a run would use, as the editor's analysis does.
        predictMakespan: (plan, graph, durations) =>
          predictMakespan(plan, graph, durations, plan.maxConcurrency === undefined ? settings.maxConcurrency ?? undefined : undefined),
      },
      defaultMaxConcurrency: settings.maxConcurrency,
    });
  }

  private async onMessage(m: ViewToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        await this.sendAnalysis();
        this.sendHistory();
        if (this.shownRun) await this.showRun(this.shownRun.runId);
        else for (const msg of this.host.runs.replay(this.key)) this.post(msg);
        break;
      case 'run':
        await vscode.commands.executeCommand(m.mode === 'simulate' ? COMMANDS.simulate : COMMANDS.run, this.uri);
        break;
      case 'cancel':
        await vscode.commands.executeCommand(COMMANDS.cancelRun, this.uri);
        break;
      case 'open-lesson':
        await vscode.commands.executeCommand(COMMANDS.openLessons, m.lesson);
        break;
      case 'export-trace': {
        const runId = this.shownRun?.runId ?? this.host.runs.get(this.key)?.runId;
        await vscode.commands.executeCommand(COMMANDS.exportTrace, ...(runId ? [runId] : [this.uri]));
        break;
      }
      case 'open-run':
        await this.showRun(m.runId);
        break;
      case 'reveal':
        await this.revealInEditor(m.line, m.column);
        break;
      case 'error':
        this.host.services.output.error(`Plan view (${labelOf(this.uri)}): ${m.message}`);
        break;
    }
  }

  private async revealInEditor(line: number, column: number): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(this.uri);
    const l = clamp(Math.floor(line) - 1, 0, Math.max(0, doc.lineCount - 1));
    const c = clamp(Math.floor(column) - 1, 0, doc.lineAt(l).text.length);
    const pos = new vscode.Position(l, c);
    // Reuse the editor column that already shows the plan, else the first one (the view sits beside).
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.key);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One, selection: new vscode.Range(pos, pos), preserveFocus: false });
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private post(message: HostToView): void {
    if (this.disposed || !this.ready) return;
    void this.panel.webview.postMessage(message).then(undefined, (err) => this.log(err));
  }

  private log(err: unknown): void {
    this.host.services.output.error(`Plan view (${labelOf(this.uri)}): ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.host.onDidDispose(this);
    this.panel.dispose();
  }
}

export function panelState(state: unknown): PlanViewState | undefined {
  const s = state as { uri?: unknown } | null | undefined;
  return s && typeof s.uri === 'string' && s.uri.length > 0 ? { uri: s.uri } : undefined;
}

function labelOf(uri: vscode.Uri): string {
  const base = uri.path.split('/').pop();
  return base && base.length > 0 ? base : uri.toString();
}

function clamp(x: number, lo: number, hi: number): number {
  return Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : lo;
}

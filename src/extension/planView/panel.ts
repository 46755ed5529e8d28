// One plan view panel: a webview showing one plan session (plans/planSession.ts). It keeps no
// analysis or run state of its own: it forwards the session's changes to the webview and turns
// webview requests into the commands other features register.
import * as vscode from 'vscode';
import type { HostToView, PlanViewState, ViewSection, ViewToHost } from '../../protocol/planView';
import type { PlanSession, SessionChange } from '../plans/planSession';
import { COMMANDS, type RunHistoryStore } from '../runBus';
import { WebviewPanelHost } from '../webviewPanelHost';
import { planViewPage } from './page';
import { panelTitle, toViewRecord } from './toView';

export interface PanelHost {
  readonly extensionUri: vscode.Uri;
  readonly history: RunHistoryStore;
  readonly output: vscode.LogOutputChannel;
  readonly onDidDispose: (panel: PlanPanel) => void;
}

export class PlanPanel extends WebviewPanelHost<HostToView, ViewToHost> {
  /** A past run the user chose to look at (history), shown instead of the latest run. */
  private shownRun: { runId: string; mode: 'run' | 'simulate' } | undefined;
  /** A section asked for before the view said 'ready' (a panel just created): sent after its first state. */
  private pendingSection: { readonly section: ViewSection; readonly focus: boolean } | undefined;

  constructor(panel: vscode.WebviewPanel, readonly session: PlanSession, private readonly host: PanelHost) {
    const title = panelTitle(undefined, session.fileLabel);
    super(panel, {
      extensionUri: host.extensionUri,
      title,
      ...planViewPage(host.extensionUri, title),
      // Kept alive while hidden (planView/index.ts): it keeps receiving the session's changes, so
      // showing it again needs no replay. A reload (or a restored panel) says 'ready' again.
      retained: true,
      logName: `Plan view (${session.fileLabel})`,
      output: host.output,
    });
    this.register(session.onDidChange((change) => this.onSessionChange(change)));
    session.setViewVisible(this, panel.visible);
    this.register(panel.onDidChangeViewState(() => session.setViewVisible(this, panel.visible)));
    this.onDispose(() => session.setViewVisible(this, false));
    this.onDispose(() => host.onDidDispose(this));
  }

  get key(): string {
    return this.session.uri;
  }

  /** Shows a past run from history (fanout.showGraph with { runId }, or the webview's history list). */
  async showRun(runId: string): Promise<void> {
    const stored = await this.host.history.get(runId);
    if (!stored) {
      void vscode.window.showWarningMessage('Fanout: the record of that run is no longer stored in the history.');
      return;
    }
    this.shownRun = { runId, mode: stored.summary.mode };
    this.post({ type: 'show-record', runId, mode: stored.summary.mode, record: toViewRecord(stored.record) });
  }

  /**
   * Brings a section of the view into view (Show Graph: the graph; Run: the timeline). A view not
   * ready yet gets it after its first state, so it lands on the section once laid out.
   */
  revealSection(section: ViewSection, focus: boolean): void {
    if (this.ready) this.post({ type: 'reveal', section, focus });
    else this.pendingSection = { section, focus };
  }

  private onSessionChange(change: SessionChange): void {
    switch (change.kind) {
      case 'analysis':
        this.sendAnalysis();
        break;
      case 'history':
        this.sendHistory();
        break;
      case 'run-started': {
        const r = change.run;
        this.shownRun = undefined;
        this.post({ type: 'run-started', runId: r.runId, mode: r.mode, tools: r.tools, slots: r.slots });
        break;
      }
      case 'run-events':
        if (!this.shownRun) this.post({ type: 'run-events', runId: change.runId, events: change.events });
        break;
      case 'run-ended':
        if (!this.shownRun) this.post({ type: 'run-ended', runId: change.runId, record: change.record });
        break;
    }
  }

  private sendHistory(): void {
    this.post({ type: 'history', runs: this.session.history() });
  }

  private sendAnalysis(): void {
    if (this.isDisposed || !this.ready) return;
    const analysis = this.session.view();
    this.panel.title = panelTitle(analysis.planName, analysis.fileLabel);
    this.post({ type: 'analysis', analysis });
  }

  protected async onMessage(m: ViewToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.markReady();
        this.sendAnalysis();
        this.sendHistory();
        if (this.shownRun) await this.showRun(this.shownRun.runId);
        else for (const msg of this.session.replayRun()) this.post(msg);
        if (this.pendingSection) {
          this.post({ type: 'reveal', ...this.pendingSection });
          this.pendingSection = undefined;
        }
        break;
      case 'run':
        await vscode.commands.executeCommand(m.mode === 'simulate' ? COMMANDS.simulate : COMMANDS.run, vscode.Uri.parse(this.key, true));
        break;
      case 'cancel':
        await vscode.commands.executeCommand(COMMANDS.cancelRun, vscode.Uri.parse(this.key, true));
        break;
      case 'open-lesson':
        await vscode.commands.executeCommand(COMMANDS.openLessons, m.lesson);
        break;
      case 'export-trace': {
        const runId = this.shownRun?.runId ?? this.session.run?.runId;
        await vscode.commands.executeCommand(COMMANDS.exportTrace, ...(runId ? [runId] : [vscode.Uri.parse(this.key, true)]));
        break;
      }
      case 'open-run':
        await this.showRun(m.runId);
        break;
      case 'reveal':
        await this.revealInEditor(m.line, m.column);
        break;
      case 'error':
        this.host.output.error(`Plan view (${this.session.fileLabel}): ${m.message}`);
        break;
    }
  }

  private async revealInEditor(line: number, column: number): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(this.key, true));
    const l = clamp(Math.floor(line) - 1, 0, Math.max(0, doc.lineCount - 1));
    const c = clamp(Math.floor(column) - 1, 0, doc.lineAt(l).text.length);
    const pos = new vscode.Position(l, c);
    // Reuse the editor column that already shows the plan, else the first one (the view sits beside).
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.key);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One, selection: new vscode.Range(pos, pos), preserveFocus: false });
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}

export function panelState(state: unknown): PlanViewState | undefined {
  const s = state as { uri?: unknown } | null | undefined;
  return s && typeof s.uri === 'string' && s.uri.length > 0 ? { uri: s.uri } : undefined;
}

function clamp(x: number, lo: number, hi: number): number {
  return Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : lo;
}

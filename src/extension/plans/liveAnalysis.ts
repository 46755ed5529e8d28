// Plan files are analysed when opened and as you type (debounced, so a burst of keystrokes costs
// one analysis of the latest text). Other documents only get diagnostics from the Analyze
// command, cleared by their next edit: their offsets would no longer be right.
import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import { getSettings, onDidChangeSettings } from '../settings';
import { isPlanDocument, type AnalysisService } from './analysisService';
import type { DiagnosticsPublisher } from './diagnostics';

export const DEBOUNCE_MS = 300;
/** Big plans take longer to analyse: wait at least twice that long after the last keystroke. */
const MAX_DEBOUNCE_MS = 3000;

export class LiveAnalysis extends Disposable {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly cost = new Map<string, number>();

  constructor(private readonly analyses: AnalysisService, private readonly publisher: DiagnosticsPublisher) {
    super();
    const w = vscode.workspace;
    this.onDispose(() => {
      for (const t of this.timers.values()) clearTimeout(t);
      this.timers.clear();
    });
    this.registerAll(
      w.onDidOpenTextDocument((doc) => { if (isPlanDocument(doc)) this.refresh(doc); }),
      w.onDidChangeTextDocument((e) => this.changed(e)),
      w.onDidSaveTextDocument((doc) => { if (isPlanDocument(doc)) this.refresh(doc); }),
      w.onDidCloseTextDocument((doc) => this.closed(doc)),
      onDidChangeSettings(() => this.refreshAll()),
    );
    for (const doc of w.textDocuments) if (isPlanDocument(doc)) this.refresh(doc);
  }

  /** Analyse now and publish (also used by the run controller so Problems matches what runs). */
  refresh(doc: vscode.TextDocument): void {
    this.cancel(doc.uri);
    if (doc.isClosed) return;
    const t0 = Date.now();
    const src = this.analyses.forDocument(doc);
    this.publisher.publish(doc, src);
    this.cost.set(doc.uri.toString(), Date.now() - t0);
    this.analyses.notify(doc.uri);
  }

  /** Settings or learned estimates changed: re-analyse every open plan. */
  refreshAll(): void {
    this.analyses.invalidateAll();
    for (const doc of vscode.workspace.textDocuments) if (isPlanDocument(doc)) this.refresh(doc);
  }

  private changed(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0) return;
    const doc = e.document;
    if (!isPlanDocument(doc)) {
      if (this.publisher.get(doc.uri)) this.publisher.clear(doc.uri);
      return;
    }
    if (!getSettings(doc.uri).analyzeOnType) return;
    this.cancel(doc.uri);
    const key = doc.uri.toString();
    // A newer edit cancels the pending analysis; the timer always analyses the latest text.
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.refresh(doc);
    }, debounceFor(this.cost.get(key) ?? 0)));
  }

  private closed(doc: vscode.TextDocument): void {
    this.cancel(doc.uri);
    this.publisher.clear(doc.uri);
    this.analyses.forget(doc.uri);
    this.cost.delete(doc.uri.toString());
  }

  private cancel(uri: vscode.Uri): void {
    const key = uri.toString();
    const t = this.timers.get(key);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(key);
  }
}

export function debounceFor(lastCostMs: number): number {
  return Math.min(MAX_DEBOUNCE_MS, Math.max(DEBOUNCE_MS, 2 * lastCostMs));
}

// The plan sessions of open documents (planSession.ts), fed from VS Code: the AnalysisService
// (analysis, with learned estimates), the RunBus (runs) and the history store. Views subscribe
// to one session (the plan view) or to all (CodeLens, the run status bar). docs/architecture.md.
import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import { toViewEvents, toViewRecord } from '../planView/toView';
import type { RunBus, RunHistoryStore } from '../runBus';
import { getSettings } from '../settings';
import { isPlanDocument, type AnalysisService } from './analysisService';
import { fileLabel } from './documents';
import { predictStream } from './engine';
import { PlanSession, type SessionChange } from './planSession';

/** Documents live analysis does not cover (not plan files, or analyzeOnType off) re-analyse this long after an edit. */
const REANALYZE_DELAY_MS = 300;

export interface SessionEvent {
  readonly session: PlanSession;
  readonly change: SessionChange;
}

export interface PlanSessionsDeps {
  readonly analyses: AnalysisService;
  readonly runBus: RunBus;
  readonly history: RunHistoryStore;
}

export class PlanSessions extends Disposable {
  private readonly sessions = new Map<string, { readonly session: PlanSession; doc: vscode.TextDocument | undefined; timer?: ReturnType<typeof setTimeout> }>();
  private readonly changed = this.register(new vscode.EventEmitter<SessionEvent>());
  /** Every session's changes, tagged with the session. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly deps: PlanSessionsDeps) {
    super();
    const { analyses, runBus, history } = deps;
    this.onDispose(() => {
      for (const s of this.sessions.values()) if (s.timer) clearTimeout(s.timer);
      this.sessions.clear();
    });
    this.registerAll(
      analyses.onDidChange((uri) => {
        if (uri === undefined) for (const s of this.sessions.values()) s.session.analysisChanged();
        else this.sessions.get(uri.toString())?.session.analysisChanged();
      }),
      runBus.onDidStartRun((info) => this.session(info.uri).runStarted(info.runId, info.mode, info.tools, info.slots)),
      runBus.onDidRunEvents((info) => this.sessions.get(info.uri)?.session.runEvents(info.runId, toViewEvents(info.events))),
      runBus.onDidEndRun((info) => this.session(info.uri).runEnded(info.runId, info.mode, toViewRecord(info.record))),
      history.onDidChange(() => { for (const s of this.sessions.values()) s.session.historyChanged(); }),
      vscode.workspace.onDidChangeTextDocument((e) => this.edited(e)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.closed(doc)),
    );
  }

  /** The session of a document (created on first use). Its analysis needs the document open: see open(). */
  get(uri: vscode.Uri | string): PlanSession {
    return this.session(uri.toString());
  }

  /** The session of a document, opening the document (a file, untitled or virtual selection) if needed. */
  async open(uri: vscode.Uri): Promise<PlanSession> {
    const entry = this.entry(uri.toString());
    if (!entry.doc || entry.doc.isClosed) {
      entry.doc = await vscode.workspace.openTextDocument(uri);
      this.deps.analyses.forDocument(entry.doc);
      entry.session.analysisChanged();
    }
    return entry.session;
  }

  /** Sessions with an open document, for views over all of them (the status bar). */
  all(): readonly PlanSession[] {
    return [...this.sessions.values()].map((s) => s.session);
  }

  private session(key: string): PlanSession {
    return this.entry(key).session;
  }

  private entry(key: string) {
    let entry = this.sessions.get(key);
    if (entry) return entry;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    const uri = vscode.Uri.parse(key, true);
    let last: ReturnType<AnalysisService['forDocument']> | undefined;
    const session = new PlanSession(key, fileLabel(uri), {
      // The AnalysisService's latest whole-document analysis (what CodeLens shows), else one made
      // now; a closed document keeps its last analysis until it is opened again.
      analyze: () => {
        const d = this.sessions.get(key)?.doc;
        const hit = this.deps.analyses.peek(uri);
        if (hit) last = hit;
        else if (d) last = this.deps.analyses.forDocument(d);
        return last ?? unopened(this.deps.analyses, uri);
      },
      history: () => this.deps.history.list(key),
      defaultMaxConcurrency: () => getSettings(uri).maxConcurrency,
      streamPolicy: () => getSettings(uri).streamPolicy,
      predictStream: (input) => predictStream(input),
    });
    session.onDidChange((change) => this.changed.fire({ session, change }));
    entry = { session, doc };
    this.sessions.set(key, entry);
    return entry;
  }

  private edited(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0) return;
    const entry = this.sessions.get(e.document.uri.toString());
    if (!entry) return;
    entry.doc = e.document;
    // Plan files with analyze-on-type are re-analysed by LiveAnalysis, which notifies the AnalysisService.
    if (isPlanDocument(e.document) && getSettings(e.document.uri).analyzeOnType) return;
    if (entry.timer) clearTimeout(entry.timer);
    const doc = e.document;
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      if (doc.isClosed) return;
      this.deps.analyses.forDocument(doc);
      entry.session.analysisChanged();
    }, REANALYZE_DELAY_MS);
  }

  private closed(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const entry = this.sessions.get(key);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    // Nobody watches and nothing runs: forget it. Otherwise it keeps its last analysis and run.
    if (entry.session.listenerCount <= 1 && !entry.session.running) this.sessions.delete(key);
  }

}

/** A session whose document was never opened: no tools, one clear error. */
function unopened(analyses: AnalysisService, uri: vscode.Uri): ReturnType<AnalysisService['forDocument']> {
  return analyses.unavailable(uri, `${fileLabel(uri)} is not open. Open it and show the graph again.`);
}

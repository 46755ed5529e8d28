// One plan session per document: the document's analysis (with learned estimates, the same
// object CodeLens, diagnostics and runs use), its active or latest run and its run history, and
// one typed change stream every view subscribes to. Pure (no vscode): the registry that feeds it
// from VS Code events is planSessions.ts; docs/architecture.md ("Plan sessions") describes both.
import type { Plan } from '../../core/plan/types';
import type { HostToView, RunSummary, ViewAnalysis, ViewRunEvent, ViewRunRecord, ViewStreamPrediction } from '../../protocol/planView';
import type { RunMode, StoredRunSummary } from '../runBus';
import type { SourceAnalysis } from './analyzeSource';
import { toRunSummaries, viewOfSource } from '../planView/toView';

/** A run of this document as the session keeps it (payload-free: outputs stay in the history). */
export interface SessionRun {
  readonly runId: string;
  readonly mode: RunMode;
  /** Tool ids in plan order. */
  readonly tools: readonly string[];
  /** The effective global cap, or null when unbounded. */
  readonly slots: number | null;
  /** Events so far; dropped once the run has ended (the record replaces them). */
  readonly events: readonly ViewRunEvent[];
  /** Tools that reached a final state so far. */
  readonly done: number;
  /** Set when the run has ended. */
  readonly record: ViewRunRecord | null;
}

/** What changed in a session. Listeners read the new state from the session itself. */
export type SessionChange =
  | { readonly kind: 'analysis' }
  | { readonly kind: 'run-started'; readonly run: SessionRun }
  /** Coalesced by the run controller (about every 50 ms). */
  | { readonly kind: 'run-events'; readonly runId: string; readonly events: readonly ViewRunEvent[] }
  | { readonly kind: 'run-ended'; readonly runId: string; readonly record: ViewRunRecord }
  | { readonly kind: 'history' };

export interface SessionInputs {
  /** The document's analysis at its current version (cached by the AnalysisService). */
  analyze(): SourceAnalysis;
  /** This document's finished runs, newest first. */
  history(): readonly StoredRunSummary[];
  /** The cap a run would use when the plan sets none (the fanout.maxConcurrency setting). */
  defaultMaxConcurrency(): number | null;
  /** The fanout.streamPolicy setting: how a streamed plan's calls would start. */
  streamPolicy?(): StreamPolicyName;
  /**
   * Simulates a streamed plan as a run would go (the engine's simulateStream, on the virtual
   * clock). Without it a streamed plan's view has no `stream.predicted`.
   */
  predictStream?(input: StreamPredictionInput): Promise<ViewStreamPrediction>;
}

export type StreamPolicyName = ViewStreamPrediction['policy'];

export interface StreamPredictionInput {
  readonly plan: Plan;
  /** The analysis's durations (learned estimates included), in plan order. */
  readonly durations: readonly number[];
  /** The cap a run would use when the plan sets none; undefined: the plan's own (or unbounded). */
  readonly maxConcurrency: number | undefined;
  readonly policy: StreamPolicyName;
}

export interface Subscription {
  dispose(): void;
}

/** Replays are chunked so one postMessage never carries an unbounded array. */
const REPLAY_CHUNK = 5000;

const FINAL = new Set(['succeeded', 'failed', 'timed-out', 'skipped', 'cancelled', 'denied']);

export class PlanSession {
  private readonly listeners = new Set<(change: SessionChange) => void>();
  private readonly visibleViews = new Set<object>();
  private latest: (SessionRun & { events: ViewRunEvent[]; done: number }) | undefined;
  private viewCache: { readonly src: SourceAnalysis; readonly cap: number | null; readonly view: ViewAnalysis } | undefined;
  /** The streamed prediction for one analysis, cap and policy: pending, then done (or failed). */
  private prediction: { readonly src: SourceAnalysis; readonly cap: number | null; readonly policy: StreamPolicyName; result?: ViewStreamPrediction; failed?: boolean } | undefined;

  constructor(
    /** The document's URI string: the session's identity. */
    readonly uri: string,
    /** Short name of the document (basename), shown when the plan has no name. */
    readonly fileLabel: string,
    private readonly inputs: SessionInputs,
  ) {}

  /** Subscribe to this session's changes. */
  onDidChange(listener: (change: SessionChange) => void): Subscription {
    this.listeners.add(listener);
    return { dispose: () => { this.listeners.delete(listener); } };
  }

  /**
   * Whether a plan view shows this session on screen now (planView/panel.ts reports it): a run then
   * reports its progress in the status bar, not in a notification over the view's timeline.
   */
  get viewVisible(): boolean {
    return this.visibleViews.size > 0;
  }

  setViewVisible(view: object, visible: boolean): void {
    if (visible) this.visibleViews.add(view);
    else this.visibleViews.delete(view);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** The document's analysis: exactly what CodeLens and the run controller see. */
  analysis(): SourceAnalysis {
    return this.inputs.analyze();
  }

  /**
   * The analysis as the plan view shows it, rebuilt only when the analysis object changes. A
   * streamed plan's view gains `stream.predicted` once the stream is simulated: the first call
   * starts the simulation and, when it is done, the session emits `analysis` again.
   */
  view(): ViewAnalysis {
    const src = this.inputs.analyze();
    const cap = this.inputs.defaultMaxConcurrency();
    const hit = this.viewCache;
    let view: ViewAnalysis;
    if (hit && hit.src === src && hit.cap === cap) view = hit.view;
    else {
      view = viewOfSource(src, { uri: this.uri, fileLabel: this.fileLabel }, cap);
      this.viewCache = { src, cap, view };
    }
    const predicted = view.stream ? this.streamPrediction(src, cap) : undefined;
    return predicted && view.stream ? { ...view, stream: { ...view.stream, predicted } } : view;
  }

  private streamPrediction(src: SourceAnalysis, cap: number | null): ViewStreamPrediction | undefined {
    const predict = this.inputs.predictStream;
    const a = src.analysis;
    if (!predict || !a || !a.valid) return undefined;
    const policy = this.inputs.streamPolicy?.() ?? 'dispatch-on-close';
    const p = this.prediction;
    if (p && p.src === src && p.cap === cap && p.policy === policy) return p.result;
    const entry: NonNullable<PlanSession['prediction']> = { src, cap, policy };
    this.prediction = entry;
    // The run's cap: the plan's own, else the setting (as the run controller and the CodeLens do).
    const maxConcurrency = a.plan.maxConcurrency === undefined ? cap ?? undefined : undefined;
    predict({ plan: a.plan, durations: a.durations, maxConcurrency, policy }).then((result) => {
      entry.result = result;
      if (this.prediction === entry) this.emit({ kind: 'analysis' });
    }, () => {
      // The figure is only an extra: without it the summary says it is not known.
      entry.failed = true;
    });
    return undefined;
  }

  /** The active run, else the latest one this session saw. */
  get run(): SessionRun | undefined {
    return this.latest;
  }

  get running(): boolean {
    return this.latest !== undefined && this.latest.record === null;
  }

  history(limit?: number): RunSummary[] {
    return toRunSummaries(this.inputs.history(), limit);
  }

  /** The analysis may have changed (a new document version, settings, learned estimates). */
  analysisChanged(): void {
    this.emit({ kind: 'analysis' });
  }

  historyChanged(): void {
    this.emit({ kind: 'history' });
  }

  runStarted(runId: string, mode: RunMode, tools: readonly string[], slots: number | null): void {
    this.latest = { runId, mode, tools, slots, events: [], done: 0, record: null };
    this.emit({ kind: 'run-started', run: this.latest });
  }

  /** Ignores events of a run this session does not know (it started before the session existed). */
  runEvents(runId: string, events: readonly ViewRunEvent[]): void {
    const run = this.latest;
    if (!run || run.runId !== runId || run.record || events.length === 0) return;
    for (const e of events) {
      run.events.push(e);
      if (e.type !== 'run-ended' && FINAL.has(e.type)) run.done++;
    }
    this.emit({ kind: 'run-events', runId, events });
  }

  runEnded(runId: string, mode: RunMode, record: ViewRunRecord): void {
    const run = this.latest;
    this.latest = run && run.runId === runId
      ? { ...run, events: [], done: record.tools.length, record }
      : { runId, mode, tools: record.tools.map((t) => t.id), slots: null, events: [], done: record.tools.length, record };
    this.emit({ kind: 'run-ended', runId, record });
  }

  /** The messages that bring a fresh webview up to date with this document's latest run. */
  replayRun(): HostToView[] {
    const run = this.latest;
    if (!run) return [];
    const out: HostToView[] = [{ type: 'run-started', runId: run.runId, mode: run.mode, tools: run.tools, slots: run.slots }];
    if (run.record) {
      out.push({ type: 'run-ended', runId: run.runId, record: run.record });
      return out;
    }
    for (let i = 0; i < run.events.length; i += REPLAY_CHUNK) {
      out.push({ type: 'run-events', runId: run.runId, events: run.events.slice(i, i + REPLAY_CHUNK) });
    }
    return out;
  }

  private emit(change: SessionChange): void {
    for (const l of [...this.listeners]) l(change);
  }
}

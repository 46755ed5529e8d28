// The latest run of each document, as the plan view needs to replay it. Kept outside the panels:
// the run controller publishes `run-started` before it opens the panel, and a webview that was
// hidden (retainContextWhenHidden: false) starts from scratch and must be told everything again.
// Pure (no vscode).
import type { HostToView, ViewRunEvent, ViewRunRecord } from '../../protocol/planView';

export interface CachedRun {
  readonly runId: string;
  readonly mode: 'run' | 'simulate';
  readonly tools: readonly string[];
  readonly slots: number | null;
  /** Events so far; dropped once the run has ended (the record replaces them). */
  events: ViewRunEvent[];
  record: ViewRunRecord | null;
}

/** Replays are chunked so one postMessage never carries an unbounded array. */
const REPLAY_CHUNK = 5000;

export class RunCache {
  private readonly runs = new Map<string, CachedRun>();

  started(uri: string, runId: string, mode: 'run' | 'simulate', tools: readonly string[], slots: number | null): void {
    this.runs.set(uri, { runId, mode, tools, slots, events: [], record: null });
  }

  /** Returns false for events of a run this cache does not know (it started before activation). */
  events(uri: string, runId: string, events: readonly ViewRunEvent[]): boolean {
    const run = this.runs.get(uri);
    if (!run || run.runId !== runId || run.record) return false;
    for (const e of events) run.events.push(e);
    return true;
  }

  ended(uri: string, runId: string, mode: 'run' | 'simulate', record: ViewRunRecord): void {
    const run = this.runs.get(uri);
    if (run && run.runId === runId) {
      run.record = record;
      run.events = [];
    } else {
      this.runs.set(uri, { runId, mode, tools: record.tools.map((t) => t.id), slots: null, events: [], record });
    }
  }

  get(uri: string): CachedRun | undefined {
    return this.runs.get(uri);
  }

  isRunning(uri: string): boolean {
    const run = this.runs.get(uri);
    return run !== undefined && run.record === null;
  }

  forget(uri: string): void {
    this.runs.delete(uri);
  }

  /** The messages that bring a fresh webview up to date with this document's latest run. */
  replay(uri: string): HostToView[] {
    const run = this.runs.get(uri);
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
}

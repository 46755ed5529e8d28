// The seam between whoever runs plans (plans/) and whoever shows runs (planView/): the run
// controller publishes, panels subscribe. Neither imports the other.
import * as vscode from 'vscode';
import { Disposable } from './disposable';
import type { RunEvent, RunRecord } from '../core/engine/types';
import type { McpListingCache } from './runners/mcpListings';

export type RunMode = 'run' | 'simulate';

export interface RunStartedInfo {
  readonly runId: string;
  /** The document the plan came from (uri.toString()). */
  readonly uri: string;
  readonly mode: RunMode;
  /** Tool ids in plan order. */
  readonly tools: readonly string[];
  /** The effective global cap, or null when unbounded. */
  readonly slots: number | null;
}

export interface RunEventsInfo {
  readonly runId: string;
  readonly uri: string;
  /** Coalesced by the publisher (about every 50 ms) so a 1,000-tool run does not flood listeners. */
  readonly events: readonly RunEvent[];
}

export interface RunEndedInfo {
  readonly runId: string;
  readonly uri: string;
  readonly mode: RunMode;
  readonly record: RunRecord;
}

export class RunBus extends Disposable {
  private readonly started = this.register(new vscode.EventEmitter<RunStartedInfo>());
  private readonly events = this.register(new vscode.EventEmitter<RunEventsInfo>());
  private readonly ended = this.register(new vscode.EventEmitter<RunEndedInfo>());
  readonly onDidStartRun = this.started.event;
  readonly onDidRunEvents = this.events.event;
  readonly onDidEndRun = this.ended.event;

  fireStarted(info: RunStartedInfo): void {
    this.started.fire(info);
  }
  fireEvents(info: RunEventsInfo): void {
    if (info.events.length > 0) this.events.fire(info);
  }
  fireEnded(info: RunEndedInfo): void {
    this.ended.fire(info);
  }
}

/** One finished run as kept in workspace storage (history). */
export interface StoredRunSummary {
  readonly runId: string;
  readonly uri: string;
  readonly planName: string;
  readonly mode: RunMode;
  /** ISO time the run started. */
  readonly startedAt: string;
  readonly status: RunRecord['status'];
  readonly makespanMs: number;
}

/** Run history, owned by the plans feature (it writes runs); the plan view only reads. */
export interface RunHistoryStore {
  /** Newest first; only the runs of one document when `uri` is given. */
  list(uri?: string): readonly StoredRunSummary[];
  /** The full record of a past run, or undefined when it has been pruned. */
  get(runId: string): Promise<{ readonly summary: StoredRunSummary; readonly record: RunRecord } | undefined>;
  readonly onDidChange: vscode.Event<void>;
}

/** What every feature module receives at activation. */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly runBus: RunBus;
  /** "Fanout" output channel: a readable log of analyses and runs. */
  readonly output: vscode.LogOutputChannel;
  /** MCP servers' tool listings kept between analyses (runners/mcpListings.ts): one per activation, no module state. */
  readonly mcpListings: McpListingCache;
}

/**
 * Command ids and their arguments, shared by every feature so none imports another.
 * `fanout.run` / `fanout.simulate` / `fanout.analyze` / `fanout.showGraph` take an optional
 * document URI (default: the active editor); `fanout.openLessons` an optional step id.
 */
export const COMMANDS = {
  openLessons: 'fanout.openLessons',
  startQuiz: 'fanout.startQuiz',
  /** Runs a code exercise's hidden tests (argument: exercise id; default: the exercise open in the editor). */
  runExerciseTests: 'fanout.runExerciseTests',
  /** Opens the learner's copy of an exercise (argument: exercise id; default: a quick pick). */
  openExercise: 'fanout.openExercise',
  analyze: 'fanout.analyze',
  run: 'fanout.run',
  simulate: 'fanout.simulate',
  cancelRun: 'fanout.cancelRun',
  openSample: 'fanout.openSample',
  exportTrace: 'fanout.exportTrace',
  showHistory: 'fanout.showHistory',
  showGraph: 'fanout.showGraph',
} as const;

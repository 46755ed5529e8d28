// Persistence for the pure progress reducer: globalState (per user, survives reloads, synced by
// Settings Sync) plus the walkthrough context keys derived from it.
import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import { emptyProgress, parseProgress, reduceProgress, walkthroughFacts, type Progress, type ProgressAction } from '../../core/lessons/progress';

export const PROGRESS_KEY = 'fanout.progress.v1';
/** Walkthrough facts that are not course progress (a plan was run). */
export const WALKTHROUGH_KEY = 'fanout.walkthrough.v1';

/** Context keys the walkthrough's completionEvents listen to (package.json contributes.walkthroughs). */
export const CONTEXT_KEYS = {
  lessonDone: 'fanout.walkthrough.lessonDone',
  quizPassed: 'fanout.walkthrough.quizPassed',
  exercisePassed: 'fanout.walkthrough.exercisePassed',
  planRun: 'fanout.walkthrough.planRun',
} as const;

export class ProgressStore extends Disposable {
  private progress: Progress;
  private readonly changed = this.register(new vscode.EventEmitter<Progress>());
  readonly onDidChange = this.changed.event;
  /** Writes in order, so a quick series of actions never lands out of order. */
  private writing: Promise<unknown> = Promise.resolve();

  constructor(private readonly memento: vscode.Memento & { setKeysForSync?(keys: readonly string[]): void }) {
    super();
    this.progress = parseProgress(memento.get(PROGRESS_KEY) ?? emptyProgress());
    memento.setKeysForSync?.([PROGRESS_KEY]);
  }

  get current(): Progress {
    return this.progress;
  }

  apply(action: ProgressAction): Progress {
    const next = reduceProgress(this.progress, action);
    if (next === this.progress) return next;
    this.progress = next;
    this.writing = this.writing.then(() => this.memento.update(PROGRESS_KEY, next), () => this.memento.update(PROGRESS_KEY, next));
    this.changed.fire(next);
    void this.updateContext();
    return next;
  }

  get planRun(): boolean {
    return this.memento.get<{ planRun?: boolean }>(WALKTHROUGH_KEY)?.planRun === true;
  }

  async markPlanRun(): Promise<void> {
    if (this.planRun) return;
    await this.memento.update(WALKTHROUGH_KEY, { planRun: true });
    await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.planRun, true);
  }

  /** Sets every walkthrough key from stored progress (at activation and after each change). */
  async updateContext(): Promise<void> {
    const f = walkthroughFacts(this.progress);
    await Promise.all([
      vscode.commands.executeCommand('setContext', CONTEXT_KEYS.lessonDone, f.lessonDone),
      vscode.commands.executeCommand('setContext', CONTEXT_KEYS.quizPassed, f.quizPassed),
      vscode.commands.executeCommand('setContext', CONTEXT_KEYS.exercisePassed, f.exercisePassed),
      vscode.commands.executeCommand('setContext', CONTEXT_KEYS.planRun, this.planRun),
    ]);
  }

  /** Resolves once every write so far has reached globalState (tests, deactivation). */
  flushed(): Promise<unknown> {
    return this.writing;
  }

}

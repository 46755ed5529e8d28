// What every mode gets from the app: the course, live progress, and ways to act.
import type { LearnerAction, LessonMode, Progress, ViewCourse, ViewToHost } from '../../protocol/lessons';

export interface ModeContext {
  readonly course: ViewCourse;
  progress(): Progress;
  post(message: ViewToHost): void;
  /** Records a learner action with the host (which persists it and sends progress back). */
  record(action: LearnerAction): void;
  /** Switches mode (optionally to a step, or to a sample for the race), moving focus into the new content. */
  go(mode: LessonMode, target?: { readonly step?: string; readonly sample?: string }): void;
  /** The step the learner is on (Read mode), for modes that default to it. */
  currentStep(): string;
  /** Saves UI state that should survive the panel being hidden or VS Code reloading. */
  saveState(): void;
  /** The learner chose to read a step without predicting first (kept in the webview state). */
  predictSkipped(step: string): boolean;
  skipPredict(step: string): void;
  unskipPredict(step: string): void;
}

/** A mode's rendered content; `refresh` is called when progress arrives (never rebuilds questions mid-answer). */
export interface ModeView {
  readonly root: HTMLElement;
  refresh?(): void;
  /** Where focus goes when the mode is entered. */
  focus(): void;
  dispose?(): void;
}

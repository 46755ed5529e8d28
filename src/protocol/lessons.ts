// Messages between the extension host and the lessons webview. Discriminated unions both ways;
// both sides import these types, so a renamed field breaks the build, not the panel.
// Fields named `…Html` hold Markdown the HOST rendered with markdown-it (raw HTML disabled, links
// restricted to step: and http(s)); the webview still passes them through its own allowlist
// sanitiser before inserting them. Every other string is plain text and goes in as text.
import type { Difficulty } from '../core/lessons/types';
import type { StreamPolicy } from '../core/stream/policy';
import type { Progress, ProgressAction } from '../core/lessons/progress';

export type { Difficulty } from '../core/lessons/types';
export type { DifficultyScore, Progress, ProgressAction, QuizAttempt, StepProgress, ExerciseProgress } from '../core/lessons/progress';

export const LESSONS_VIEW_TYPE = 'fanout.lessons';

export const LESSON_MODES = ['read', 'predict', 'test', 'practice', 'lab', 'flashcards', 'race'] as const;
export type LessonMode = (typeof LESSON_MODES)[number];

export interface ViewCode {
  readonly language: string;
  readonly source: string;
}

export interface ViewSample {
  /** Relative to the extension root: `lessons/samples/…toolplan.json` (the id fanout.openSample takes). */
  readonly path: string;
  /** The file name, for buttons. */
  readonly label: string;
  readonly caption: string;
  /** Diagnostic codes the sample is meant to show. */
  readonly expect: readonly string[];
}

export interface ViewPredict {
  readonly promptHtml: string;
  readonly code?: ViewCode;
  readonly choicesHtml: readonly string[];
  readonly answer: number;
  readonly explanationHtml: string;
}

export interface ViewStep {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly html: string;
  readonly samples: readonly ViewSample[];
  readonly predict: ViewPredict;
}

export interface ViewQuestion {
  readonly id: string;
  readonly difficulty: Difficulty;
  readonly type: 'multiple-choice' | 'predict-output' | 'spot-the-bug';
  readonly step: string;
  readonly promptHtml: string;
  readonly code?: ViewCode;
  readonly choicesHtml: readonly string[];
  readonly answer: number;
  readonly explanationHtml: string;
  readonly hintHtml: string;
  /** Why a learner picks each wrong choice, keyed by choice index. */
  readonly mistakesHtml: Readonly<Record<string, string>>;
}

export interface ViewExercise {
  readonly id: string;
  /** 'plan': fix a plan, graded by the analyzer; 'code': write code, graded by running hidden tests. */
  readonly kind: 'plan' | 'code';
  /** For code exercises: typescript, javascript or python. */
  readonly language?: string;
  readonly title: string;
  readonly step: string;
  readonly briefHtml: string;
  readonly hintsHtml: readonly string[];
}

export interface ViewFlashcard {
  readonly id: string;
  readonly deck: 'myths' | 'takeaways';
  readonly frontHtml: string;
  readonly backHtml: string;
  readonly step: string;
}

/** Two sample plans to race side by side. */
export interface ViewComparison {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly step: string;
  /** `stream`: the dispatch policy a streamed side runs under (the fanout.streamPolicy names). */
  readonly left: { readonly label: string; readonly path: string; readonly stream?: StreamPolicy };
  readonly right: { readonly label: string; readonly path: string; readonly stream?: StreamPolicy };
}

export interface ViewCourse {
  readonly title: string;
  readonly comparisons: readonly ViewComparison[];
  readonly steps: readonly ViewStep[];
  readonly quiz: readonly ViewQuestion[];
  readonly exercises: readonly ViewExercise[];
  readonly flashcards: readonly ViewFlashcard[];
}

export interface ViewGradeCheck {
  readonly label: string;
  readonly passed: boolean;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

export interface ViewGrade {
  readonly passed: boolean;
  readonly checks: readonly ViewGradeCheck[];
  readonly makespanMs?: number;
  /** Code exercises: what the learner's code printed (bounded), and what ran it for how long. */
  readonly output?: string;
  readonly runtime?: string;
  readonly durationMs?: number;
}

/** One tool's bar in a race lane (ms from the start of the simulated run). */
export interface RaceBar {
  readonly id: string;
  readonly start: number;
  readonly end: number;
  readonly status: string;
}

export interface RaceLane {
  /** e.g. "One at a time (maxConcurrency 1)" */
  readonly label: string;
  readonly cap: number | null;
  readonly makespanMs: number;
  readonly bars: readonly RaceBar[];
  /**
   * The warnings and errors the analysis reports for this lane's plan (as this lane runs it). The
   * virtual clock knows durations, dependencies, caps and CPU contention (cpu tools share the
   * course's referenceCores) but not rate limits or lost writes, so a lane with problems is
   * flagged and never called the faster one; a lane flagged only for wait-for-end (a cost the
   * clock does show) can be.
   */
  readonly problems: readonly RaceProblem[];
  /** A streamed lane: when the stream ends on the lane's clock (drawn as a marker), and its policy. */
  readonly stream?: { readonly endMs: number; readonly policy: StreamPolicy };
}

export interface RaceProblem {
  readonly code: string;
  readonly message: string;
}

/**
 * What to race: one sample against itself at maxConcurrency 1, or a course comparison (two plans).
 * As a string key: `sample:<path>` or `comparison:<id>`.
 */
export type RaceSource = { readonly kind: 'sample'; readonly path: string } | { readonly kind: 'comparison'; readonly id: string };

export function raceKey(s: RaceSource): string {
  return s.kind === 'sample' ? `sample:${s.path}` : `comparison:${s.id}`;
}

/** Two lanes, each simulated by the real scheduler on a virtual clock, played on one clock. */
export interface ViewRace {
  readonly key: string;
  readonly title: string;
  readonly caption: string;
  readonly lanes: readonly [RaceLane, RaceLane];
}

export interface ShowRequest {
  readonly mode: LessonMode;
  readonly step?: string;
  /** A heading's slug in that step (src/core/lessons/sections.ts): Read mode opens the body there. */
  readonly section?: string;
}

export type HostToView =
  | { readonly type: 'course'; readonly course: ViewCourse; readonly progress: Progress; readonly show?: ShowRequest }
  /** The course could not be loaded or validated: each line is `file:line:col: message`. */
  | { readonly type: 'course-error'; readonly errors: readonly string[] }
  | { readonly type: 'progress'; readonly progress: Progress }
  | { readonly type: 'show'; readonly show: ShowRequest }
  | { readonly type: 'exercise-opened'; readonly exercise: string; readonly fileLabel: string }
  | { readonly type: 'grade'; readonly exercise: string; readonly result: ViewGrade }
  /** A check that could not grade (the exercise was never opened, …): why, in words. Every check gets a grade or this. */
  | { readonly type: 'check-failed'; readonly exercise: string; readonly message: string }
  | { readonly type: 'race'; readonly race: ViewRace }
  | { readonly type: 'race-error'; readonly key: string; readonly message: string };

export type SampleAction = 'open' | 'run' | 'simulate';

/**
 * What the webview may record by itself. Resets go through the host (it asks for confirmation);
 * exercise checks are recorded by the host, which grades them.
 */
export type LearnerAction = Exclude<ProgressAction, { readonly type: 'reset-step' | 'reset-all' | 'exercise-opened' | 'exercise-checked' }>;

export type ViewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'progress'; readonly action: LearnerAction }
  | { readonly type: 'open-sample'; readonly path: string; readonly action: SampleAction }
  | { readonly type: 'open-exercise'; readonly exercise: string }
  | { readonly type: 'check-exercise'; readonly exercise: string }
  | { readonly type: 'restart-exercise'; readonly exercise: string }
  | { readonly type: 'reveal-exercise'; readonly exercise: string; readonly line: number; readonly column: number }
  | { readonly type: 'race-request'; readonly source: RaceSource }
  | { readonly type: 'reset'; readonly scope: 'all' }
  | { readonly type: 'reset'; readonly scope: 'step'; readonly step: string }
  | { readonly type: 'open-external'; readonly url: string }
  /** Errors inside the webview are reported to the host's output channel, not swallowed. */
  | { readonly type: 'error'; readonly message: string };

/** What the webview persists with setState, so the serializer restores the same place. */
export interface LessonsViewState {
  readonly mode: LessonMode;
  readonly step?: string;
  /** The Lab's current exercise, so a tab switch or a reload comes back to it. */
  readonly exercise?: string;
}

// A learner's progress through the course, as plain JSON (stored in VS Code's globalState) and a
// pure reducer over it. The extension host owns the only copy: the webview posts actions, the
// host reduces, persists and sends the new progress back. Timestamps come in with the actions so
// the reducer stays deterministic.
import type { Difficulty } from './types';

export const PROGRESS_VERSION = 1;

export interface PredictAnswer {
  readonly choice: number;
  readonly correct: boolean;
}

export interface StepProgress {
  readonly visited: boolean;
  readonly completed: boolean;
  /** The learner's committed answer to the step's predict-first question. */
  readonly predict?: PredictAnswer;
}

export type AnswerMode = 'test' | 'practice';

export interface QuizAttempt {
  readonly choice: number;
  readonly correct: boolean;
  /** Epoch ms. */
  readonly at: number;
  readonly mode: AnswerMode;
}

export interface DifficultyScore {
  readonly correct: number;
  readonly total: number;
}

export interface TestResult {
  readonly at: number;
  readonly scores: Readonly<Record<Difficulty, DifficultyScore>>;
}

export interface ExerciseProgress {
  /**
   * 'new': the learner only revealed hints, no copy exists yet (the Lab still offers "Open
   * exercise"); 'opened': the learner has an editable copy; 'failed': the last check did not pass.
   */
  readonly status: 'new' | 'opened' | 'failed' | 'passed';
  readonly hintsRevealed: number;
  readonly checks: number;
}

export interface Progress {
  readonly version: typeof PROGRESS_VERSION;
  readonly steps: Readonly<Record<string, StepProgress>>;
  /** Every answer, oldest first, per question id (practice mode brings back the missed ones). */
  readonly quiz: Readonly<Record<string, readonly QuizAttempt[]>>;
  /** Finished tests, oldest first (at most MAX_TESTS kept). */
  readonly tests: readonly TestResult[];
  readonly exercises: Readonly<Record<string, ExerciseProgress>>;
  /** Flashcard ids the learner has flipped. */
  readonly flashcardsSeen: readonly string[];
  /** The step last opened in the Read mode, to resume there. */
  readonly lastStep?: string;
}

/** Answers kept per question: enough for "missed lately", small enough for globalState. */
export const MAX_ATTEMPTS_PER_QUESTION = 20;
export const MAX_TESTS = 50;
/** A test counts as passed at this share of correct answers (walkthrough "Pass a quiz"). */
export const TEST_PASS_RATIO = 0.7;

export type ProgressAction =
  | { readonly type: 'visit-step'; readonly step: string }
  | { readonly type: 'complete-step'; readonly step: string }
  | { readonly type: 'predict'; readonly step: string; readonly choice: number; readonly correct: boolean }
  | { readonly type: 'answer'; readonly question: string; readonly choice: number; readonly correct: boolean; readonly at: number; readonly mode: AnswerMode }
  | { readonly type: 'test-finished'; readonly at: number; readonly scores: Readonly<Record<Difficulty, DifficultyScore>> }
  | { readonly type: 'exercise-opened'; readonly exercise: string }
  | { readonly type: 'exercise-checked'; readonly exercise: string; readonly passed: boolean }
  /** Reveals hints up to `count` (never hides one already shown). */
  | { readonly type: 'hint-revealed'; readonly exercise: string; readonly count: number }
  | { readonly type: 'flashcard-seen'; readonly card: string }
  /** Forgets one step: its marks and predict answer, and the quiz answers, exercises and cards that belong to it. */
  | { readonly type: 'reset-step'; readonly step: string; readonly questions: readonly string[]; readonly exercises: readonly string[]; readonly flashcards: readonly string[] }
  | { readonly type: 'reset-all' };

export function emptyProgress(): Progress {
  return { version: PROGRESS_VERSION, steps: {}, quiz: {}, tests: [], exercises: {}, flashcardsSeen: [] };
}

const NO_STEP: StepProgress = { visited: false, completed: false };
const NO_EXERCISE: ExerciseProgress = { status: 'new', hintsRevealed: 0, checks: 0 };

export function reduceProgress(p: Progress, a: ProgressAction): Progress {
  switch (a.type) {
    case 'visit-step': {
      const s = p.steps[a.step] ?? NO_STEP;
      if (s.visited && p.lastStep === a.step) return p;
      return { ...p, steps: { ...p.steps, [a.step]: { ...s, visited: true } }, lastStep: a.step };
    }
    case 'complete-step': {
      const s = p.steps[a.step] ?? NO_STEP;
      if (s.completed) return p;
      return { ...p, steps: { ...p.steps, [a.step]: { ...s, visited: true, completed: true } } };
    }
    case 'predict': {
      const s = p.steps[a.step] ?? NO_STEP;
      // The first committed answer is the prediction; changing it afterwards would defeat the point.
      if (s.predict) return p;
      return { ...p, steps: { ...p.steps, [a.step]: { ...s, visited: true, predict: { choice: a.choice, correct: a.correct } } } };
    }
    case 'answer': {
      const prev = p.quiz[a.question] ?? [];
      const next = [...prev, { choice: a.choice, correct: a.correct, at: a.at, mode: a.mode }].slice(-MAX_ATTEMPTS_PER_QUESTION);
      return { ...p, quiz: { ...p.quiz, [a.question]: next } };
    }
    case 'test-finished':
      return { ...p, tests: [...p.tests, { at: a.at, scores: a.scores }].slice(-MAX_TESTS) };
    case 'exercise-opened': {
      const e = p.exercises[a.exercise];
      if (e && e.status !== 'new') return p;
      // Hints revealed before the copy existed are kept.
      return { ...p, exercises: { ...p.exercises, [a.exercise]: { ...(e ?? NO_EXERCISE), status: 'opened' } } };
    }
    case 'exercise-checked': {
      const e = p.exercises[a.exercise] ?? NO_EXERCISE;
      // Once passed, a later failing check (the learner experimenting) does not take the pass away.
      const status = e.status === 'passed' || a.passed ? 'passed' : 'failed';
      return { ...p, exercises: { ...p.exercises, [a.exercise]: { ...e, status, checks: e.checks + 1 } } };
    }
    case 'hint-revealed': {
      const e = p.exercises[a.exercise] ?? NO_EXERCISE;
      const count = Math.max(e.hintsRevealed, Math.max(0, Math.floor(a.count)));
      if (count === e.hintsRevealed && p.exercises[a.exercise]) return p;
      return { ...p, exercises: { ...p.exercises, [a.exercise]: { ...e, hintsRevealed: count } } };
    }
    case 'flashcard-seen':
      return p.flashcardsSeen.includes(a.card) ? p : { ...p, flashcardsSeen: [...p.flashcardsSeen, a.card] };
    case 'reset-step': {
      const steps = without(p.steps, [a.step]);
      const quiz = without(p.quiz, a.questions);
      const exercises = without(p.exercises, a.exercises);
      const drop = new Set(a.flashcards);
      const { lastStep: _drop, ...rest } = p;
      return { ...(p.lastStep === a.step ? rest : p), steps, quiz, exercises, flashcardsSeen: p.flashcardsSeen.filter((c) => !drop.has(c)) };
    }
    case 'reset-all':
      return emptyProgress();
  }
}

function without<T>(record: Readonly<Record<string, T>>, keys: readonly string[]): Record<string, T> {
  const out: Record<string, T> = { ...record };
  for (const k of keys) delete out[k];
  return out;
}

/** Did the learner pass any test? (at least TEST_PASS_RATIO of its questions right) */
export function hasPassedTest(p: Progress): boolean {
  return p.tests.some((t) => {
    const all = Object.values(t.scores);
    const total = all.reduce((n, s) => n + s.total, 0);
    const correct = all.reduce((n, s) => n + s.correct, 0);
    return total > 0 && correct / total >= TEST_PASS_RATIO;
  });
}

/** Facts the native walkthrough completes on, derived from progress. */
export function walkthroughFacts(p: Progress): { readonly lessonDone: boolean; readonly quizPassed: boolean; readonly exercisePassed: boolean } {
  return {
    lessonDone: Object.values(p.steps).some((s) => s.completed),
    quizPassed: hasPassedTest(p),
    exercisePassed: Object.values(p.exercises).some((e) => e.status === 'passed'),
  };
}

/**
 * Reads stored progress defensively: globalState may hold an older or hand-edited value. Anything
 * malformed is dropped field by field rather than losing the whole record.
 */
export function parseProgress(raw: unknown): Progress {
  if (!isObject(raw) || raw.version !== PROGRESS_VERSION) return emptyProgress();
  const steps: Record<string, StepProgress> = {};
  for (const [id, s] of entries(raw.steps)) {
    if (!isObject(s)) continue;
    const predict = isObject(s.predict) && isCount(s.predict.choice) && typeof s.predict.correct === 'boolean' ? { choice: s.predict.choice, correct: s.predict.correct } : undefined;
    steps[id] = { visited: s.visited === true, completed: s.completed === true, ...(predict ? { predict } : {}) };
  }
  const quiz: Record<string, QuizAttempt[]> = {};
  for (const [id, list] of entries(raw.quiz)) {
    if (!Array.isArray(list)) continue;
    const attempts = list.filter((x): x is QuizAttempt => isObject(x) && isCount(x.choice) && typeof x.correct === 'boolean' && typeof x.at === 'number' && (x.mode === 'test' || x.mode === 'practice'))
      .map((x) => ({ choice: x.choice, correct: x.correct, at: x.at, mode: x.mode }));
    if (attempts.length > 0) quiz[id] = attempts.slice(-MAX_ATTEMPTS_PER_QUESTION);
  }
  const tests: TestResult[] = [];
  for (const t of Array.isArray(raw.tests) ? raw.tests : []) {
    if (!isObject(t) || typeof t.at !== 'number' || !isObject(t.scores)) continue;
    const sc = t.scores;
    const score = (d: unknown): DifficultyScore | undefined => (isObject(d) && isCount(d.correct) && isCount(d.total) && d.correct <= d.total ? { correct: d.correct, total: d.total } : undefined);
    const easy = score(sc.easy), medium = score(sc.medium), hard = score(sc.hard);
    if (easy && medium && hard) tests.push({ at: t.at, scores: { easy, medium, hard } });
  }
  const exercises: Record<string, ExerciseProgress> = {};
  for (const [id, e] of entries(raw.exercises)) {
    if (!isObject(e) || (e.status !== 'new' && e.status !== 'opened' && e.status !== 'failed' && e.status !== 'passed')) continue;
    exercises[id] = { status: e.status, hintsRevealed: isCount(e.hintsRevealed) ? e.hintsRevealed : 0, checks: isCount(e.checks) ? e.checks : 0 };
  }
  const flashcardsSeen = Array.isArray(raw.flashcardsSeen) ? [...new Set(raw.flashcardsSeen.filter((x): x is string => typeof x === 'string'))] : [];
  return {
    version: PROGRESS_VERSION, steps, quiz, tests: tests.slice(-MAX_TESTS), exercises, flashcardsSeen,
    ...(typeof raw.lastStep === 'string' ? { lastStep: raw.lastStep } : {}),
  };
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0;
}

function entries(x: unknown): [string, unknown][] {
  return isObject(x) ? Object.entries(x) : [];
}

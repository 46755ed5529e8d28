// The course as data. Everything under lessons/ is read into these readonly shapes; the lessons
// webview, the CLI (`fanout lessons --json`) and the tests all consume them.
import type { DiagnosticCode, JsonValue, ToolKind } from '../plan/types';
import type { StreamPolicy } from '../stream/policy';

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

export const QUESTION_TYPES = ['multiple-choice', 'predict-output', 'spot-the-bug'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/**
 * What a quiz question is about, so the bank's balance can be checked (the data test under
 * test/unit/lessons keeps `js-promises` to at most a quarter of the bank). A fixed list, so a typo
 * is an error rather than a new topic that escapes the count.
 */
export const QUIZ_TOPICS = [
  'js-promises',            // JavaScript promise and event-loop semantics
  'python-async',           // asyncio, threads, the GIL, free-threading
  'scheduling',             // sequential vs parallel, critical path, priority, Amdahl, Little's law
  'dependencies',           // DAGs, references, cycles
  'limits',                 // caps, rate limits, token buckets, Retry-After, adaptive limits
  'failures',               // timeouts, retries, idempotency, cancellation
  'safety',                 // write races, approval, side effects
  'provider-apis',          // Chat Completions, Responses, Anthropic Messages, plan formats
  'mcp',                    // the Model Context Protocol
  'frameworks',             // LangGraph, durable engines, build systems
  'streaming',              // streaming dispatch
  'traces',                 // reading traces, fanout audit
  'cost',                   // tokens, context, prompt caching, sub-agents
  'structured-concurrency', // AbortSignal trees, TaskGroup, deadlines, context propagation
] as const;
export type QuizTopic = (typeof QUIZ_TOPICS)[number];

export const CODE_LANGUAGES = ['javascript', 'typescript', 'python', 'yaml', 'json', 'text'] as const;
export type CodeLanguage = (typeof CODE_LANGUAGES)[number];

export const FLASHCARD_DECKS = ['myths', 'takeaways'] as const;
export type FlashcardDeck = (typeof FLASHCARD_DECKS)[number];

/** Where a piece of course data was written, for error messages (path relative to the project root). */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface CodeBlock {
  readonly language: CodeLanguage;
  readonly source: string;
}

/** A runnable plan that demonstrates a step's point. */
export interface SampleRef {
  /** Relative to the project root, forward slashes: `lessons/samples/…toolplan.json`. */
  readonly path: string;
  /** One sentence: what to look at when running it. */
  readonly caption: string;
  /** The diagnostic codes this sample is meant to show (sorted, unique); [] = analyses cleanly. */
  readonly expect: readonly DiagnosticCode[];
  readonly at: SourceLocation;
}

/** A question answered before the explanation is shown: the learner commits, then learns. */
export interface PredictQuestion {
  readonly prompt: string;
  readonly code?: CodeBlock;
  readonly choices: readonly string[];
  readonly answer: number;
  /** Markdown, revealed after the learner has answered. */
  readonly explanation: string;
  readonly at: SourceLocation;
}

export interface Step {
  readonly id: string;
  readonly title: string;
  /** One line, for tables of contents. */
  readonly summary: string;
  /** Relative to the project root. */
  readonly file: string;
  /** Markdown. Links to other steps are written `[text](step:other-id)`. */
  readonly body: string;
  /** 1-based line in `file` where the body starts (for error positions inside the body). */
  readonly bodyLine: number;
  readonly samples: readonly SampleRef[];
  readonly predict: PredictQuestion;
  readonly at: SourceLocation;
}

interface QuestionBase {
  readonly id: string;
  readonly difficulty: Difficulty;
  /** The step this question tests. */
  readonly step: string;
  /** What it is about (at least one; see QUIZ_TOPICS). */
  readonly topics: readonly QuizTopic[];
  readonly prompt: string;
  readonly choices: readonly string[];
  readonly answer: number;
  /** Markdown, shown after answering. */
  readonly explanation: string;
  readonly hint: string;
  /** Why a learner picks each wrong choice, keyed by choice index ("1", "2"…). */
  readonly commonMistakes: Readonly<Record<string, string>>;
  readonly at: SourceLocation;
}

export interface MultipleChoiceQuestion extends QuestionBase {
  readonly type: 'multiple-choice';
  readonly code?: CodeBlock;
}

/** The answer is exactly what the snippet prints (stdout, trailing whitespace trimmed); a test runs it. */
export interface PredictOutputQuestion extends QuestionBase {
  readonly type: 'predict-output';
  readonly code: CodeBlock & { readonly language: 'javascript' | 'python' };
}

/** Code or a plan with a bug; the choices describe candidate bugs. */
export interface SpotTheBugQuestion extends QuestionBase {
  readonly type: 'spot-the-bug';
  readonly code: CodeBlock;
}

export type Question = MultipleChoiceQuestion | PredictOutputQuestion | SpotTheBugQuestion;

/** What a solution must achieve, as data. Every field is optional; a plan must always be valid. */
export interface ExerciseGoal {
  /** Diagnostic codes that must not be reported. */
  readonly mustNotHave: readonly DiagnosticCode[];
  /** Tools the learner must not delete (the point is to schedule them, not drop them). */
  readonly mustKeepTools: readonly string[];
  /**
   * Tools that must still declare `writes` (any target): deleting a tool's `writes` hides a race
   * from the analyzer without removing it.
   */
  readonly mustKeepWrites?: readonly string[];
  /**
   * Arguments that must keep their value, by tool id (strings compared case-insensitively):
   * turning a POST into a PUT silences retry-not-idempotent without making the call safe.
   */
  readonly mustKeepArgs?: Readonly<Record<string, Readonly<Record<string, JsonValue>>>>;
  /**
   * Kind → tools that must still have that kind: relabelling the CPU work as `simulate` silences
   * cpu-oversubscribed without taking any load off the cores.
   */
  readonly mustKeepKinds?: Readonly<Partial<Record<ToolKind, readonly string[]>>>;
  /**
   * Resource → tools that must still name it: a limit applies only to the tools that name its
   * resource, so removing or renaming `resource` makes the limit apply to nothing.
   */
  readonly mustKeepResources?: Readonly<Record<string, readonly string[]>>;
  /**
   * Tools that must be gone (repeated work): renaming an argument keeps duplicate-call quiet while
   * the call is still made twice. A tool left in under `dedupe: true` that is an exact twin of
   * another call counts as gone, since it then runs once.
   */
  readonly mustRemoveTools?: readonly string[];
  /**
   * Tool → how long it takes in the scenario (ms): its predicted duration (`durationMs`, or
   * `estimateMs`) must be at least this. Shortening the simulated calls meets any time target
   * without scheduling anything better.
   */
  readonly mustKeepDurations?: Readonly<Record<string, number>>;
  /**
   * Every tool id must come from the starting plan: a renamed copy of a call to remove (with one
   * argument changed, so duplicate-call does not fire) escapes mustRemoveTools while the work is
   * still done twice.
   */
  readonly noNewTools?: boolean;
  /** The starting plan's tool ids, filled in by the parser when `noNewTools` is set (not written in YAML). */
  readonly startTools?: readonly string[];
  /** Predicted makespan (simulation under the plan's caps) at most this. */
  readonly maxMakespanMs?: number;
  readonly mustHave: {
    /** plan.maxConcurrency must be set, within [min, max]. */
    readonly maxConcurrency?: { readonly min?: number; readonly max?: number };
    /** limits[resource] must be set and at most this. */
    readonly limits?: Readonly<Record<string, number>>;
    /** [from, to]: `to` must (transitively) depend on `from`. */
    readonly dependencies?: readonly (readonly [string, string])[];
    /** These tools must have a timeout (own or defaults.timeoutMs), at most `maxTimeoutMs` when given. */
    readonly timeouts?: readonly string[];
    readonly maxTimeoutMs?: number;
    /**
     * Target → tools whose output it must end up holding. The target's last writer (the one no
     * other writer of it waits for) must be one of them or carry their outputs (a `${id.output}`
     * reference, directly or through referenced tools): writers ordered with dependsOn that each
     * overwrite the target lose the earlier updates, so the later one must append or merge.
     */
    readonly mergedWrites?: Readonly<Record<string, readonly string[]>>;
  };
}

interface ExerciseBase {
  readonly id: string;
  readonly title: string;
  /** The step this exercise practises. */
  readonly step: string;
  /** Markdown: the situation and the task. */
  readonly brief: string;
  /** The file the learner starts from and edits (relative to the project root). */
  readonly start: string;
  /** A reference solution that passes the grader. */
  readonly solution: string;
  /** Exactly three, from a nudge to nearly the answer. */
  readonly hints: readonly string[];
  readonly at: SourceLocation;
}

/** Fix a plan: graded by the analyzer and the scheduler against `goal` (the default kind). */
export interface PlanExercise extends ExerciseBase {
  readonly kind: 'plan';
  readonly goal: ExerciseGoal;
}

export const CODE_EXERCISE_LANGUAGES = ['typescript', 'javascript', 'python'] as const;
export type CodeExerciseLanguage = (typeof CODE_EXERCISE_LANGUAGES)[number];

/**
 * Write code: graded by running hidden tests against the learner's file in a child process
 * (node for TypeScript and JavaScript, python3 for Python; src/core/lessons/code/).
 */
export interface CodeExercise extends ExerciseBase {
  readonly kind: 'code';
  readonly language: CodeExerciseLanguage;
  /** The hidden tests (relative to the project root): tests.mjs for typescript/javascript, tests.py for python. */
  readonly tests: string;
  /** Typical wrong solutions: each must fail at least one test (the unit tests run them). */
  readonly wrong: readonly string[];
  /** The whole test run is stopped after this long (an endless loop must not hang the Lab). */
  readonly timeoutMs: number;
}

export type Exercise = PlanExercise | CodeExercise;

export interface Flashcard {
  readonly id: string;
  readonly deck: FlashcardDeck;
  readonly front: string;
  readonly back: string;
  readonly step: string;
  readonly at: SourceLocation;
}

/**
 * One side of a race. `stream` (a streamed plan only) is the dispatch policy it runs under, by the
 * names of the fanout.streamPolicy setting and `fanout simulate --stream-policy`: the same recorded
 * stream can race wait-for-end against dispatch-on-close.
 */
export interface ComparisonSide {
  readonly label: string;
  readonly path: string;
  readonly stream?: StreamPolicy;
}

/** Two runnable plans to race side by side (the "sequential vs parallel race" mode). */
export interface Comparison {
  readonly id: string;
  readonly title: string;
  /** What to watch for; one or two sentences. */
  readonly caption: string;
  readonly left: ComparisonSide;
  readonly right: ComparisonSide;
  /** The step that explains the difference. */
  readonly step: string;
  readonly at: SourceLocation;
}

export interface Course {
  readonly title: string;
  /** The lessons folder relative to the project root (normally `lessons`). */
  readonly dir: string;
  /** Cores assumed when checking samples' intended diagnostics (cpu-oversubscribed depends on it). */
  readonly referenceCores: number;
  readonly steps: readonly Step[];
  readonly quiz: readonly Question[];
  readonly exercises: readonly Exercise[];
  readonly flashcards: readonly Flashcard[];
  readonly comparisons: readonly Comparison[];
  readonly diagnosticLessons: Readonly<Record<DiagnosticCode, string>>;
}

/** One problem with the course data. */
export interface CourseError {
  /** Relative to the project root. */
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

export function formatCourseError(e: CourseError): string {
  const where = e.line !== undefined ? `${e.file}:${e.line}${e.column !== undefined ? `:${e.column}` : ''}` : e.file;
  return `${where}: ${e.message}`;
}

/** Every file under the lessons folder, by path relative to the project root (forward slashes). */
export type CourseFiles = ReadonlyMap<string, string>;

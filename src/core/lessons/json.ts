// The course as plain JSON: the `fanout lessons --json` contract (steps with sample paths, quiz,
// exercises, diagnosticLessons) plus everything a renderer needs (bodies, predict questions,
// flashcards). Source positions are dropped: they are for error messages, not for readers.
import type { StreamPolicy } from '../stream/policy';
import type { CodeBlock, CodeExerciseLanguage, Course, Difficulty, ExerciseGoal, FlashcardDeck, QuestionType } from './types';

export interface CourseJson {
  readonly title: string;
  readonly referenceCores: number;
  readonly steps: readonly {
    readonly id: string; readonly title: string; readonly summary: string; readonly file: string;
    /** Relative to the project root. */
    readonly samples: readonly string[];
    readonly sampleDetails: readonly { readonly path: string; readonly caption: string; readonly expect: readonly string[] }[];
    readonly predict: { readonly prompt: string; readonly code?: CodeBlock; readonly choices: readonly string[]; readonly answer: number; readonly explanation: string };
    readonly body: string;
  }[];
  readonly quiz: readonly {
    readonly id: string; readonly difficulty: Difficulty; readonly type: QuestionType; readonly step: string;
    readonly topics: readonly string[]; readonly prompt: string; readonly code?: CodeBlock; readonly choices: readonly string[]; readonly answer: number;
    readonly explanation: string; readonly hint: string; readonly commonMistakes: Readonly<Record<string, string>>;
  }[];
  readonly exercises: readonly ({
    readonly id: string; readonly title: string; readonly step: string; readonly brief: string;
    readonly start: string; readonly solution: string; readonly hints: readonly string[];
  } & ({ readonly kind: 'plan'; readonly goal: ExerciseGoal } | { readonly kind: 'code'; readonly language: CodeExerciseLanguage; readonly tests: string }))[];
  readonly flashcards: readonly { readonly id: string; readonly deck: FlashcardDeck; readonly front: string; readonly back: string; readonly step: string }[];
  readonly comparisons: readonly {
    readonly id: string; readonly title: string; readonly caption: string; readonly step: string;
    readonly left: { readonly label: string; readonly path: string; readonly stream?: StreamPolicy }; readonly right: { readonly label: string; readonly path: string; readonly stream?: StreamPolicy };
  }[];
  readonly diagnosticLessons: Readonly<Record<string, string>>;
}

export function courseToJson(course: Course): CourseJson {
  return {
    title: course.title,
    referenceCores: course.referenceCores,
    steps: course.steps.map((s) => ({
      id: s.id, title: s.title, summary: s.summary, file: s.file,
      samples: s.samples.map((x) => x.path),
      sampleDetails: s.samples.map((x) => ({ path: x.path, caption: x.caption, expect: x.expect })),
      predict: { prompt: s.predict.prompt, ...(s.predict.code ? { code: s.predict.code } : {}), choices: s.predict.choices, answer: s.predict.answer, explanation: s.predict.explanation },
      body: s.body,
    })),
    quiz: course.quiz.map((q) => ({
      id: q.id, difficulty: q.difficulty, type: q.type, step: q.step, topics: q.topics, prompt: q.prompt,
      ...(q.code ? { code: q.code } : {}),
      choices: q.choices, answer: q.answer, explanation: q.explanation, hint: q.hint, commonMistakes: { ...q.commonMistakes },
    })),
    exercises: course.exercises.map((e) => {
      const head = { id: e.id, title: e.title, step: e.step, brief: e.brief, start: e.start, solution: e.solution, hints: e.hints };
      // The hidden tests' path is listed (the course is open source); wrong solutions are internal.
      return e.kind === 'plan' ? { ...head, kind: e.kind, goal: e.goal } : { ...head, kind: e.kind, language: e.language, tests: e.tests };
    }),
    flashcards: course.flashcards.map((f) => ({ id: f.id, deck: f.deck, front: f.front, back: f.back, step: f.step })),
    comparisons: course.comparisons.map((c) => ({ id: c.id, title: c.title, caption: c.caption, step: c.step, left: c.left, right: c.right })),
    diagnosticLessons: { ...course.diagnosticLessons },
  };
}

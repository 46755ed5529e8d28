// The course as the lessons webview receives it, built from the core's Course. No vscode import:
// the browser test builds the very same message from the real course.
import type { ComparisonSide, Course, Question } from '../../core/lessons/types';
import type { Progress, ProgressAction } from '../../core/lessons/progress';
import type { HostToView, LearnerAction, ShowRequest, ViewCode, ViewComparison, ViewCourse, ViewGrade } from '../../protocol/lessons';
import type { GradeResult } from '../../core/lessons/grade';
import type { CodeGradeResult } from '../../core/lessons/code/run';
import { createCourseMarkdown, type CourseMarkdown } from './markdown';

/** A race side as the view gets it: the policy only when the side is a streamed run. */
function side(s: ComparisonSide): ViewComparison['left'] {
  return { label: s.label, path: s.path, ...(s.stream ? { stream: s.stream } : {}) };
}

export function buildViewCourse(course: Course, md: CourseMarkdown = createCourseMarkdown()): ViewCourse {
  return {
    title: course.title,
    comparisons: (course.comparisons ?? []).map((c) => ({ id: c.id, title: c.title, caption: c.caption, step: c.step, left: side(c.left), right: side(c.right) })),
    steps: course.steps.map((s) => ({
      id: s.id,
      title: s.title,
      summary: s.summary,
      html: md.block(s.body),
      samples: s.samples.map((x) => ({ path: x.path, label: x.path.split('/').pop() ?? x.path, caption: x.caption, expect: x.expect })),
      predict: {
        promptHtml: md.inline(s.predict.prompt),
        ...(s.predict.code ? { code: code(s.predict.code) } : {}),
        choicesHtml: s.predict.choices.map((c) => md.inline(c)),
        answer: s.predict.answer,
        explanationHtml: md.block(s.predict.explanation),
      },
    })),
    quiz: course.quiz.map((q) => viewQuestion(q, md)),
    exercises: course.exercises.map((e) => ({
      id: e.id,
      kind: e.kind,
      ...(e.kind === 'code' ? { language: e.language } : {}),
      title: e.title,
      step: e.step,
      briefHtml: md.block(e.brief),
      hintsHtml: e.hints.map((h) => md.inline(h)),
    })),
    flashcards: course.flashcards.map((f) => ({ id: f.id, deck: f.deck, frontHtml: md.inline(f.front), backHtml: md.inline(f.back), step: f.step })),
  };
}

function viewQuestion(q: Question, md: CourseMarkdown) {
  const mistakes: Record<string, string> = {};
  for (const [k, v] of Object.entries(q.commonMistakes)) mistakes[k] = md.inline(v);
  return {
    id: q.id,
    difficulty: q.difficulty,
    type: q.type,
    step: q.step,
    promptHtml: md.inline(q.prompt),
    ...(q.code ? { code: code(q.code) } : {}),
    choicesHtml: q.choices.map((c) => md.inline(c)),
    answer: q.answer,
    explanationHtml: md.block(q.explanation),
    hintHtml: md.inline(q.hint),
    mistakesHtml: mistakes,
  };
}

function code(c: { readonly language: string; readonly source: string }): ViewCode {
  return { language: c.language, source: c.source };
}

/** The first message of a session: everything the view needs, with where to start. */
export function courseMessage(view: ViewCourse, progress: Progress, show?: ShowRequest): HostToView {
  return { type: 'course', course: view, progress, ...(show ? { show } : {}) };
}

export function viewGrade(result: GradeResult | CodeGradeResult): ViewGrade {
  return {
    passed: result.passed,
    checks: result.checks.map((c) => ({ label: c.label, passed: c.passed, message: c.message, ...(c.line !== undefined ? { line: c.line } : {}), ...(c.column !== undefined ? { column: c.column } : {}) })),
    ...(result.makespanMs !== undefined ? { makespanMs: result.makespanMs } : {}),
    ...('runtime' in result ? { output: result.output, runtime: result.runtime, durationMs: result.durationMs } : {}),
  };
}

/** Reset one step: its marks plus the questions, exercises and flashcards that belong to it. */
export function resetStepAction(course: Course, step: string): ProgressAction {
  return {
    type: 'reset-step',
    step,
    questions: course.quiz.filter((q) => q.step === step).map((q) => q.id),
    exercises: course.exercises.filter((e) => e.step === step).map((e) => e.id),
    flashcards: course.flashcards.filter((f) => f.step === step).map((f) => f.id),
  };
}

/**
 * Messages come from a webview: check that an action names things the course has and carries
 * sane numbers before it reaches stored progress. Returns why it is refused, or undefined.
 */
export function refuseAction(course: Course, a: LearnerAction): string | undefined {
  const isStep = (id: unknown) => course.steps.some((s) => s.id === id);
  const isIndex = (n: unknown, len: number) => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n < len;
  switch (a.type) {
    case 'visit-step':
    case 'complete-step':
      return isStep(a.step) ? undefined : `unknown step '${String(a.step)}'`;
    case 'predict': {
      const s = course.steps.find((x) => x.id === a.step);
      if (!s) return `unknown step '${String(a.step)}'`;
      if (!isIndex(a.choice, s.predict.choices.length)) return `choice ${String(a.choice)} out of range`;
      return a.correct === (a.choice === s.predict.answer) ? undefined : 'correct flag disagrees with the answer';
    }
    case 'answer': {
      const q = course.quiz.find((x) => x.id === a.question);
      if (!q) return `unknown question '${String(a.question)}'`;
      if (!isIndex(a.choice, q.choices.length)) return `choice ${String(a.choice)} out of range`;
      if (a.mode !== 'test' && a.mode !== 'practice') return `unknown mode '${String(a.mode)}'`;
      if (typeof a.at !== 'number' || !Number.isFinite(a.at)) return 'bad timestamp';
      return a.correct === (a.choice === q.answer) ? undefined : 'correct flag disagrees with the answer';
    }
    case 'test-finished': {
      if (typeof a.at !== 'number' || !Number.isFinite(a.at)) return 'bad timestamp';
      for (const d of ['easy', 'medium', 'hard'] as const) {
        const s = a.scores?.[d];
        if (!s || !Number.isInteger(s.correct) || !Number.isInteger(s.total) || s.correct < 0 || s.correct > s.total || s.total > course.quiz.length) return `bad ${d} score`;
      }
      return undefined;
    }
    case 'hint-revealed': {
      const e = course.exercises.find((x) => x.id === a.exercise);
      if (!e) return `unknown exercise '${String(a.exercise)}'`;
      return isIndex(a.count - 1, e.hints.length) ? undefined : `hint count ${String(a.count)} out of range`;
    }
    case 'flashcard-seen':
      return course.flashcards.some((f) => f.id === a.card) ? undefined : `unknown flashcard '${String(a.card)}'`;
    default:
      return `unknown action '${String((a as { type?: unknown }).type)}'`;
  }
}

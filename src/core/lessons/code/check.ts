// For course authors (`fanout lessons --run-code`): every code exercise is solvable and not
// gameable by its typical mistakes — the reference solution passes every test, the starting file
// fails, and each wrong solution fails at least one test. Runs the course's own files (never a
// learner's) in child processes; a missing node or Python is a note, not a course error.
import type { Course, CourseError, CourseFiles } from '../types';
import { gradeCodeExercise, type CodeGradeOptions } from './run';

export interface CodeCheckReport {
  readonly errors: readonly CourseError[];
  /** Exercises that could not be run here, with why (node or Python missing or too old). */
  readonly skipped: readonly string[];
  /** How many runs were made (solutions, starts and wrong solutions). */
  readonly runs: number;
}

export async function checkCodeExercises(course: Course, files: CourseFiles, options: CodeGradeOptions = {}): Promise<CodeCheckReport> {
  const errors: CourseError[] = [];
  const skipped: string[] = [];
  let runs = 0;
  for (const ex of course.exercises) {
    if (ex.kind !== 'code') continue;
    const tests = files.get(ex.tests);
    if (tests === undefined) continue; // reported by the parser
    const grade = async (path: string) => {
      runs++;
      return gradeCodeExercise(ex, files.get(path) ?? '', tests, options);
    };
    const solved = await grade(ex.solution);
    if (solved.kind === 'unavailable') {
      skipped.push(`${ex.id}: ${solved.message}`);
      continue;
    }
    if (!solved.result.passed) {
      const failing = solved.result.checks.filter((c) => !c.passed).map((c) => `${c.label}: ${c.message}`).join('; ');
      errors.push({ file: ex.solution, message: `the reference solution of exercise '${ex.id}' fails its tests: ${failing}` });
    }
    for (const path of [ex.start, ...ex.wrong]) {
      const g = await grade(path);
      if (g.kind === 'graded' && g.result.passed) {
        errors.push({ file: path, message: path === ex.start ? `the starting file of exercise '${ex.id}' already passes every test: there is nothing for the learner to write` : `the wrong solution '${path}' of exercise '${ex.id}' passes every test: the tests do not catch its mistake` });
      }
    }
  }
  return { errors, skipped, runs };
}

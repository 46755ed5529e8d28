// "Check my solution" / "Run tests": one answer for every check, a grade or the reason there is
// none. Plan exercises are graded by the analyzer; code exercises run the learner's code against
// hidden tests in a child process — only in a trusted workspace, and only on the learner's
// explicit action (the Lab's "Run tests" button or the "Run Exercise Tests" command).
import * as vscode from 'vscode';
import type { LoadedCourse } from '../../core/lessons/load';
import type { Exercise } from '../../core/lessons/types';
import type { HostToView } from '../../protocol/lessons';
import { viewGrade } from './courseView';
import type { ExerciseFiles } from './exercises';
import type { ProgressStore } from './progressStore';

export type CheckAnswer = Extract<HostToView, { readonly type: 'grade' | 'check-failed' }>;

export const UNTRUSTED_CODE_MESSAGE = 'Run tests runs your code on this machine, so Fanout does it only in a trusted workspace, and this one is in Restricted Mode. Trust the workspace (Manage Workspace Trust), then press Run tests again — or open a trusted folder.';

export async function checkExercise(loaded: LoadedCourse, exercise: Exercise, files: ExerciseFiles, store: ProgressStore): Promise<CheckAnswer> {
  const hints = store.current.exercises[exercise.id]?.hintsRevealed ?? 0;
  const failed = (message: string): CheckAnswer => ({ type: 'check-failed', exercise: exercise.id, message });
  const nothingYet = `There is nothing to check yet: press "Open exercise" first, ${exercise.kind === 'code' ? 'write your code' : 'fix the plan'} in the editor, then ${exercise.kind === 'code' ? 'run the tests' : 'check it'}.`;
  try {
    if (exercise.kind === 'code') {
      if (!vscode.workspace.isTrusted) return failed(UNTRUSTED_CODE_MESSAGE);
      const grade = await files.runTests(loaded, exercise, hints);
      if (!grade) return failed(nothingYet);
      if (grade.kind === 'unavailable') return failed(grade.message);
      store.apply({ type: 'exercise-checked', exercise: exercise.id, passed: grade.result.passed });
      return { type: 'grade', exercise: exercise.id, result: viewGrade(grade.result) };
    }
    const result = await files.grade(exercise, hints);
    if (!result) return failed(nothingYet);
    store.apply({ type: 'exercise-checked', exercise: exercise.id, passed: result.passed });
    return { type: 'grade', exercise: exercise.id, result: viewGrade(result) };
  } catch (err) {
    return failed(`The ${exercise.kind === 'code' ? 'tests could not be run' : 'plan could not be checked'}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

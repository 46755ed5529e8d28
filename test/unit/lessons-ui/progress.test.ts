// The pure progress reducer and the defensive reader of stored progress.
import { strict as assert } from 'node:assert';
import { emptyProgress, hasPassedTest, parseProgress, reduceProgress, walkthroughFacts, MAX_ATTEMPTS_PER_QUESTION, type Progress, type ProgressAction } from '../../../src/core/lessons/progress';

const run = (...actions: ProgressAction[]): Progress => actions.reduce(reduceProgress, emptyProgress());
const score = (e: number, m: number, h: number, of = [3, 4, 3]) => ({ easy: { correct: e, total: of[0] }, medium: { correct: m, total: of[1] }, hard: { correct: h, total: of[2] } });

describe('lessons progress reducer', () => {
  it('marks steps visited and completed, remembering the last step', () => {
    const p = run({ type: 'visit-step', step: 'a' }, { type: 'visit-step', step: 'b' }, { type: 'complete-step', step: 'a' });
    assert.deepEqual(p.steps.a, { visited: true, completed: true });
    assert.deepEqual(p.steps.b, { visited: true, completed: false });
    assert.equal(p.lastStep, 'b');
  });

  it('returns the same object when nothing changes (no needless writes)', () => {
    const p = run({ type: 'visit-step', step: 'a' }, { type: 'complete-step', step: 'a' });
    assert.equal(reduceProgress(p, { type: 'complete-step', step: 'a' }), p);
    assert.equal(reduceProgress(p, { type: 'visit-step', step: 'a' }), p);
    assert.equal(reduceProgress(p, { type: 'flashcard-seen', card: 'x' }).flashcardsSeen.length, 1);
  });

  it('keeps the first committed prediction: a later answer does not overwrite it', () => {
    const p = run({ type: 'predict', step: 'a', choice: 2, correct: false }, { type: 'predict', step: 'a', choice: 0, correct: true });
    assert.deepEqual(p.steps.a.predict, { choice: 2, correct: false });
    assert.equal(p.steps.a.visited, true);
  });

  it('keeps a bounded answer history per question', () => {
    const answers: ProgressAction[] = Array.from({ length: MAX_ATTEMPTS_PER_QUESTION + 5 }, (_, i) => ({ type: 'answer', question: 'q', choice: i % 2, correct: i % 2 === 0, at: i, mode: 'practice' }));
    const p = run(...answers);
    assert.equal(p.quiz.q.length, MAX_ATTEMPTS_PER_QUESTION);
    assert.equal(p.quiz.q[p.quiz.q.length - 1].at, MAX_ATTEMPTS_PER_QUESTION + 4);
  });

  it('a pass stays a pass after a later failing check; hints only grow', () => {
    let p = run({ type: 'exercise-opened', exercise: 'e' }, { type: 'exercise-checked', exercise: 'e', passed: false });
    assert.equal(p.exercises.e.status, 'failed');
    p = reduceProgress(p, { type: 'exercise-checked', exercise: 'e', passed: true });
    p = reduceProgress(p, { type: 'exercise-checked', exercise: 'e', passed: false });
    assert.deepEqual(p.exercises.e, { status: 'passed', hintsRevealed: 0, checks: 3 });
    p = reduceProgress(p, { type: 'hint-revealed', exercise: 'e', count: 2 });
    p = reduceProgress(p, { type: 'hint-revealed', exercise: 'e', count: 1 });
    assert.equal(p.exercises.e.hintsRevealed, 2);
  });

  it('a hint before Open keeps the exercise unopened, and opening keeps the hints', () => {
    let p = run({ type: 'hint-revealed', exercise: 'e', count: 2 });
    assert.deepEqual(p.exercises.e, { status: 'new', hintsRevealed: 2, checks: 0 }, 'hints alone are not a copy');
    assert.deepEqual(parseProgress(JSON.parse(JSON.stringify(p))).exercises.e, p.exercises.e, 'and survive a reload');
    p = reduceProgress(p, { type: 'exercise-opened', exercise: 'e' });
    assert.deepEqual(p.exercises.e, { status: 'opened', hintsRevealed: 2, checks: 0 });
    p = reduceProgress(p, { type: 'exercise-checked', exercise: 'e', passed: true });
    assert.equal(reduceProgress(p, { type: 'exercise-opened', exercise: 'e' }), p, 'opening again changes nothing');
  });

  it('resets one step with its questions, exercises and cards, and leaves the others', () => {
    const p = run(
      { type: 'visit-step', step: 'a' }, { type: 'predict', step: 'a', choice: 1, correct: true }, { type: 'complete-step', step: 'b' },
      { type: 'answer', question: 'qa', choice: 0, correct: true, at: 1, mode: 'test' }, { type: 'answer', question: 'qb', choice: 0, correct: false, at: 2, mode: 'test' },
      { type: 'hint-revealed', exercise: 'ea', count: 1 }, { type: 'flashcard-seen', card: 'fa' }, { type: 'flashcard-seen', card: 'fb' },
    );
    const r = reduceProgress(p, { type: 'reset-step', step: 'a', questions: ['qa'], exercises: ['ea'], flashcards: ['fa'] });
    assert.equal(r.steps.a, undefined);
    assert.deepEqual(r.steps.b, { visited: true, completed: true });
    assert.deepEqual(Object.keys(r.quiz), ['qb']);
    assert.deepEqual(r.exercises, {});
    assert.deepEqual(r.flashcardsSeen, ['fb']);
    assert.equal(r.lastStep, undefined);
    assert.deepEqual(reduceProgress(p, { type: 'reset-all' }), emptyProgress());
  });

  it('derives the walkthrough facts: a finished step, a passed test (70%), a passed exercise', () => {
    assert.deepEqual(walkthroughFacts(emptyProgress()), { lessonDone: false, quizPassed: false, exercisePassed: false });
    const p = run({ type: 'complete-step', step: 'a' }, { type: 'test-finished', at: 1, scores: score(3, 3, 0) });
    assert.equal(hasPassedTest(p), false, '6 of 10 is not a pass');
    const q = reduceProgress(p, { type: 'test-finished', at: 2, scores: score(3, 3, 1) });
    assert.equal(hasPassedTest(q), true, '7 of 10 passes');
    const r = reduceProgress(reduceProgress(q, { type: 'exercise-opened', exercise: 'e' }), { type: 'exercise-checked', exercise: 'e', passed: true });
    assert.deepEqual(walkthroughFacts(r), { lessonDone: true, quizPassed: true, exercisePassed: true });
  });

  it('round-trips through JSON and drops malformed stored fields one by one', () => {
    const p = run({ type: 'predict', step: 'a', choice: 1, correct: true }, { type: 'answer', question: 'q', choice: 0, correct: false, at: 5, mode: 'test' },
      { type: 'test-finished', at: 9, scores: score(1, 2, 3) }, { type: 'hint-revealed', exercise: 'e', count: 1 }, { type: 'flashcard-seen', card: 'c' });
    assert.deepEqual(parseProgress(JSON.parse(JSON.stringify(p))), p);
    assert.deepEqual(parseProgress(undefined), emptyProgress());
    assert.deepEqual(parseProgress({ version: 99 }), emptyProgress());
    const messy = parseProgress({
      version: 1, steps: { a: { visited: true, predict: { choice: -1, correct: true } }, b: 'x' }, quiz: { q: [{ choice: 0, correct: true, at: 1, mode: 'test' }, { choice: 'x' }], r: 5 },
      tests: [{ at: 1, scores: { easy: { correct: 5, total: 1 } } }], exercises: { e: { status: 'weird' }, f: { status: 'passed', hintsRevealed: 2.5 } }, flashcardsSeen: ['c', 'c', 3], lastStep: 7,
    });
    assert.deepEqual(messy, {
      version: 1, steps: { a: { visited: true, completed: false } }, quiz: { q: [{ choice: 0, correct: true, at: 1, mode: 'test' }] },
      tests: [], exercises: { f: { status: 'passed', hintsRevealed: 0, checks: 0 } }, flashcardsSeen: ['c'],
    });
  });
});

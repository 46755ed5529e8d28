import { strict as assert } from 'node:assert';
import { realCourse } from './helpers';

// Issue 11 point 6: if the right choice is usually the longest, a learner can pass by picking the
// longest text. The share of questions (and, separately, of step predictions) whose right choice is
// the longest or tied for longest must stay at or below this bound.
const MAX_LONGEST_SHARE = 0.4;

interface Choosable {
  readonly choices: readonly string[];
  readonly answer: number;
}

/** Whether the right choice is at least as long (in characters) as every other choice. */
export function answerIsLongest(q: Choosable): boolean {
  const right = q.choices[q.answer]?.length ?? 0;
  return q.choices.every((c) => c.length <= right);
}

function share(qs: readonly Choosable[]): { n: number; of: number } {
  return { n: qs.filter(answerIsLongest).length, of: qs.length };
}

describe('choice lengths give the answer away in at most 40% of questions', () => {
  it('answerIsLongest counts ties as longest', () => {
    assert.equal(answerIsLongest({ choices: ['abc', 'abc', 'a'], answer: 1 }), true);
    assert.equal(answerIsLongest({ choices: ['abcd', 'abc', 'a'], answer: 1 }), false);
  });

  it('quiz bank: the right choice is the longest or tied-longest in at most 40% of questions', async () => {
    const { course } = await realCourse();
    assert.ok(course && course.quiz.length > 0);
    const { n, of } = share(course.quiz);
    const longest = course.quiz.filter(answerIsLongest).map((q) => q.id);
    assert.ok(n / of <= MAX_LONGEST_SHARE, `${n} of ${of} questions have the right choice longest: ${longest.join(', ')}`);
  });

  it('step predictions: the right choice is the longest or tied-longest in at most 40% of them', async () => {
    const { course } = await realCourse();
    assert.ok(course && course.steps.length > 0);
    const predicts = course.steps.map((s) => s.predict);
    const { n, of } = share(predicts);
    const longest = course.steps.filter((s) => answerIsLongest(s.predict)).map((s) => s.id);
    assert.ok(n / of <= MAX_LONGEST_SHARE, `${n} of ${of} predictions have the right choice longest: ${longest.join(', ')}`);
  });
});

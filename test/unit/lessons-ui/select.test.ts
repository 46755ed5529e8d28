// Pure choices of the lessons view: the test's questions, practice order, scores, step marks.
import { strict as assert } from 'node:assert';
import { emptyProgress, reduceProgress, type ProgressAction } from '../../../src/core/lessons/progress';
import type { ViewQuestion } from '../../../src/protocol/lessons';
import { choiceOrder, completedSteps, missedCount, pickTestQuestions, practiceQueue, scoreTest, stepMark } from '../../../src/webview/lessons/select';
import { buildViewCourse } from '../../../src/extension/lessons/courseView';
import { realCourse } from '../lessons/helpers';

function q(id: string, difficulty: ViewQuestion['difficulty'], step = 's'): ViewQuestion {
  return { id, difficulty, type: 'multiple-choice', step, promptHtml: id, choicesHtml: ['a', 'b'], answer: 0, explanationHtml: '', hintHtml: '', mistakesHtml: {} };
}
const bank = [...Array.from({ length: 8 }, (_, i) => q(`e${i}`, 'easy', i < 2 ? 'x' : 's')), ...Array.from({ length: 8 }, (_, i) => q(`m${i}`, 'medium')), ...Array.from({ length: 8 }, (_, i) => q(`h${i}`, 'hard'))];
const diff = (id: string) => bank.find((x) => x.id === id)?.difficulty;

describe('lessons view selection', () => {
  it('a test is 10 distinct questions, 3 easy / 4 medium / 3 hard, ordered easy to hard, stable per seed', () => {
    for (let seed = 1; seed < 40; seed++) {
      const ids = pickTestQuestions(bank, seed);
      assert.equal(ids.length, 10);
      assert.equal(new Set(ids).size, 10);
      assert.deepEqual(ids.map(diff), ['easy', 'easy', 'easy', 'medium', 'medium', 'medium', 'medium', 'hard', 'hard', 'hard']);
      assert.deepEqual(pickTestQuestions(bank, seed), ids);
    }
    assert.notDeepEqual(pickTestQuestions(bank, 1), pickTestQuestions(bank, 2));
  });

  it('tops up from other difficulties when one runs short, and prefers a step when asked', () => {
    const short = [...bank.filter((x) => x.difficulty !== 'hard'), q('h0', 'hard')];
    const ids = pickTestQuestions(short, 3);
    assert.equal(ids.length, 10);
    assert.equal(ids.filter((id) => id.startsWith('h')).length, 1);
    const focused = pickTestQuestions(bank, 5, 10, 'x');
    assert.ok(focused.includes('e0') && focused.includes('e1'), 'both questions of step x are in');
  });

  it('the real bank gives a balanced test', async () => {
    const { course } = await realCourse();
    assert.ok(course);
    const view = buildViewCourse(course);
    const ids = pickTestQuestions(view.quiz, 42);
    const counts = { easy: 0, medium: 0, hard: 0 };
    for (const id of ids) counts[view.quiz.find((x) => x.id === id)?.difficulty ?? 'easy'] += 1;
    assert.deepEqual(counts, { easy: 3, medium: 4, hard: 3 });
  });

  it('practice brings back missed questions first (latest miss first), then unseen, then recovered, then known', () => {
    const acts: ProgressAction[] = [
      { type: 'answer', question: 'm1', choice: 1, correct: false, at: 10, mode: 'test' },
      { type: 'answer', question: 'e1', choice: 0, correct: true, at: 11, mode: 'test' },
      { type: 'answer', question: 'h1', choice: 1, correct: false, at: 12, mode: 'test' },
      { type: 'answer', question: 'e2', choice: 1, correct: false, at: 13, mode: 'practice' },
      { type: 'answer', question: 'e2', choice: 0, correct: true, at: 14, mode: 'practice' },
    ];
    const p = acts.reduce(reduceProgress, emptyProgress());
    const small = [q('e1', 'easy'), q('e2', 'easy'), q('e3', 'easy'), q('m1', 'medium'), q('h1', 'hard')];
    assert.deepEqual(practiceQueue(small, p), ['h1', 'm1', 'e3', 'e2', 'e1']);
    assert.equal(missedCount(small, p), 2);
    assert.deepEqual(practiceQueue(small, emptyProgress()), ['e1', 'e2', 'e3', 'm1', 'h1']);
  });

  it('scores each difficulty from first answers', () => {
    const s = scoreTest(bank, ['e0', 'e1', 'm0', 'h0', 'h1'], { e0: true, e1: false, m0: true, h0: false });
    assert.deepEqual(s, { easy: { correct: 1, total: 2 }, medium: { correct: 1, total: 1 }, hard: { correct: 0, total: 2 } });
  });

  it('step marks and the completed count', () => {
    const p = [{ type: 'visit-step', step: 'a' }, { type: 'complete-step', step: 'b' }].reduce((x, a) => reduceProgress(x, a as ProgressAction), emptyProgress());
    assert.deepEqual(['a', 'b', 'c'].map((s) => stepMark(p, s)), ['visited', 'done', 'new']);
    assert.equal(completedSteps(p, [{ id: 'a' }, { id: 'b' }, { id: 'c' }]), 1);
  });
});

describe('choice order (shuffled per presentation)', () => {
  it('is a permutation, the same for the same question and presentation', () => {
    for (let n = 2; n <= 6; n++) {
      for (let p = 0; p < 5; p++) {
        const o = choiceOrder(`q${n}`, n, 0, p);
        assert.deepEqual([...o].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
        assert.deepEqual(choiceOrder(`q${n}`, n, 0, p), o);
      }
    }
    assert.deepEqual(choiceOrder('one', 1, 0, 3), [0]);
  });

  it('each presentation puts the answer in a different position from the one before', () => {
    for (const id of ['promise-all-order', 'a', 'b', 'c', 'gather-exceptions', 'x'.repeat(40)]) {
      for (let answer = 0; answer < 4; answer++) {
        for (let p = 1; p < 12; p++) {
          assert.notEqual(choiceOrder(id, 4, answer, p).indexOf(answer), choiceOrder(id, 4, answer, p - 1).indexOf(answer), `${id} answer ${answer} presentation ${p}`);
        }
      }
    }
  });

  it('spreads the answer over the positions across the bank (not stuck first or last)', async () => {
    const loaded = await realCourse();
    assert.ok(loaded.course);
    const quiz = buildViewCourse(loaded.course).quiz;
    const at = [0, 0, 0, 0];
    for (const q of quiz) at[Math.min(3, choiceOrder(q.id, q.choicesHtml.length, q.answer, 0).indexOf(q.answer))] += 1;
    for (const n of at) assert.ok(n >= quiz.length / 10, `answer positions ${JSON.stringify(at)}`);
    const authored = quiz.filter((q) => choiceOrder(q.id, q.choicesHtml.length, q.answer, 0).every((v, i) => v === i)).length;
    assert.ok(authored <= quiz.length / 4, `${authored} of ${quiz.length} shown in authored order`);
  });
});

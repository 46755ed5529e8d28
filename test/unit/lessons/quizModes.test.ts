import { strict as assert } from 'node:assert';
import { checkAnswer, practiceQueue, scoreTest, selectTestQuestions, testMix, type Question } from '../../../src/core/lessons';
import { realCourse } from './helpers';

describe('quiz modes', () => {
  let quiz: readonly Question[] = [];
  before(async () => {
    const { course } = await realCourse();
    assert.ok(course);
    quiz = course.quiz;
  });

  it('checkAnswer: right, wrong with the common mistake, and out of range', () => {
    const q = quiz[0];
    assert.deepEqual(checkAnswer(q, q.answer), { correct: true, answer: q.answer, explanation: q.explanation });
    const wrong = (q.answer + 1) % q.choices.length;
    const fb = checkAnswer(q, wrong);
    assert.equal(fb.correct, false);
    assert.equal(fb.mistake, q.commonMistakes[String(wrong)]);
    assert.ok(fb.mistake && fb.mistake.length > 10);
    assert.equal(checkAnswer(q, 99).correct, false);
  });

  it('a test of 10 has 3 easy, 4 medium and 3 hard questions, no repeats, easy first, and is reproducible', () => {
    assert.deepEqual(testMix(10), { easy: 3, medium: 4, hard: 3 });
    const t = selectTestQuestions(quiz, { seed: 7 });
    assert.equal(t.length, 10);
    assert.equal(new Set(t.map((q) => q.id)).size, 10);
    assert.deepEqual(t.map((q) => q.difficulty), ['easy', 'easy', 'easy', 'medium', 'medium', 'medium', 'medium', 'hard', 'hard', 'hard']);
    assert.deepEqual(selectTestQuestions(quiz, { seed: 7 }).map((q) => q.id), t.map((q) => q.id));
    assert.notDeepEqual(selectTestQuestions(quiz, { seed: 8 }).map((q) => q.id), t.map((q) => q.id));
    assert.ok(new Set(t.map((q) => q.step)).size >= 7, 'a test should cover many steps');
  });

  it('a test fills in from other difficulties when one runs short', () => {
    const fewHard = [...quiz.filter((q) => q.difficulty !== 'hard'), ...quiz.filter((q) => q.difficulty === 'hard').slice(0, 1)];
    const t = selectTestQuestions(fewHard, { seed: 1 });
    assert.equal(t.length, 10);
    assert.equal(t.filter((q) => q.difficulty === 'hard').length, 1);
  });

  it('scores by difficulty and lists the missed questions', () => {
    const t = selectTestQuestions(quiz, { seed: 3 });
    const answers: Record<string, number> = {};
    t.forEach((q, i) => { if (i % 2 === 0) answers[q.id] = q.answer; else if (i % 3 !== 0) answers[q.id] = (q.answer + 1) % q.choices.length; });
    const s = scoreTest(t, answers);
    assert.equal(s.total, 10);
    assert.equal(s.correct, 5);
    assert.deepEqual(s.missed, t.filter((_, i) => i % 2 === 1).map((q) => q.id));
    assert.deepEqual(s.byDifficulty.easy.total + s.byDifficulty.medium.total + s.byDifficulty.hard.total, 10);
    assert.equal(s.byDifficulty.easy.correct, t.filter((q, i) => q.difficulty === 'easy' && i % 2 === 0).length);
  });

  it('practice brings back the most recently missed first, then unseen, then the least recently seen', () => {
    const [a, b, c, d] = quiz;
    const queue = practiceQueue(quiz, [
      { id: a.id, correct: false, at: 1 },
      { id: b.id, correct: false, at: 2 },
      { id: c.id, correct: false, at: 3 },
      { id: c.id, correct: true, at: 4 }, // fixed: no longer missed
      { id: d.id, correct: true, at: 0 },
    ]);
    assert.deepEqual(queue.slice(0, 2).map((q) => q.id), [b.id, a.id]);
    assert.equal(queue[2].id, quiz[4].id); // the first never-answered question
    assert.deepEqual(queue.slice(-2).map((q) => q.id), [d.id, c.id]);
    assert.equal(queue.length, quiz.length);
  });
});

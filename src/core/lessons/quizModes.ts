// Quiz logic shared by every front end: checking one answer, drawing a balanced test, scoring it
// by difficulty, and the practice queue that brings missed questions back. Pure and
// deterministic (a seed instead of Math.random), so a reload shows the same test and tests can
// pin the behaviour.
import { DIFFICULTIES, type Difficulty, type Question } from './types';

export interface AnswerFeedback {
  readonly correct: boolean;
  /** The index of the right choice. */
  readonly answer: number;
  readonly explanation: string;
  /** Why learners pick the chosen wrong answer; absent when correct. */
  readonly mistake?: string;
}

/** Feedback for one committed answer. An out-of-range choice is simply wrong. */
export function checkAnswer(q: Pick<Question, 'answer' | 'explanation' | 'commonMistakes'>, choice: number): AnswerFeedback {
  const correct = choice === q.answer;
  const mistake = correct ? undefined : q.commonMistakes[String(choice)];
  return { correct, answer: q.answer, explanation: q.explanation, ...(mistake !== undefined ? { mistake } : {}) };
}

/** How a test of `count` questions is split: as even as possible, extra questions to medium, then hard. */
export function testMix(count: number): Readonly<Record<Difficulty, number>> {
  const base = Math.floor(count / 3);
  const rest = count - 3 * base;
  return { easy: base, medium: base + (rest >= 1 ? 1 : 0), hard: base + (rest >= 2 ? 1 : 0) };
}

/**
 * "Test this pattern": `count` questions (default 10) across the difficulties (3 easy, 4 medium,
 * 3 hard for 10), spread over as many steps as possible, easy first. The same seed gives the
 * same test. When a difficulty has too few questions, the others fill in.
 */
export function selectTestQuestions(quiz: readonly Question[], options: { readonly count?: number; readonly seed?: number } = {}): Question[] {
  const count = Math.min(options.count ?? 10, quiz.length);
  const random = mulberry32(options.seed ?? 1);
  const mix = testMix(count);
  const chosen: Question[] = [];
  const usedSteps = new Set<string>();
  const pools = new Map<Difficulty, Question[]>(DIFFICULTIES.map((d) => [d, shuffle(quiz.filter((q) => q.difficulty === d), random)]));
  const take = (d: Difficulty): Question | undefined => {
    const pool = pools.get(d) as Question[];
    // Prefer a step not tested yet, so ten questions cover ten ideas rather than three.
    const k = pool.findIndex((q) => !usedSteps.has(q.step));
    const [q] = pool.splice(k === -1 ? 0 : k, 1);
    if (q) usedSteps.add(q.step);
    return q;
  };
  for (const d of DIFFICULTIES) {
    for (let i = 0; i < mix[d]; i++) {
      const q = take(d);
      if (q) chosen.push(q);
    }
  }
  for (const d of ['medium', 'hard', 'easy'] as const) {
    while (chosen.length < count) {
      const q = take(d);
      if (!q) break;
      chosen.push(q);
    }
  }
  const rank: Record<Difficulty, number> = { easy: 0, medium: 1, hard: 2 };
  return chosen.sort((a, b) => rank[a.difficulty] - rank[b.difficulty]);
}

export interface DifficultyScore {
  readonly correct: number;
  readonly total: number;
}

export interface TestScore {
  readonly byDifficulty: Readonly<Record<Difficulty, DifficultyScore>>;
  readonly correct: number;
  readonly total: number;
  /** Ids answered wrongly (or not at all), in test order: what practice mode brings back. */
  readonly missed: readonly string[];
}

/** Scores a test; `answers` maps question id → chosen index (unanswered counts as wrong). */
export function scoreTest(questions: readonly Question[], answers: Readonly<Record<string, number>>): TestScore {
  const byDifficulty = { easy: { correct: 0, total: 0 }, medium: { correct: 0, total: 0 }, hard: { correct: 0, total: 0 } };
  const missed: string[] = [];
  for (const q of questions) {
    const s = byDifficulty[q.difficulty];
    s.total++;
    const chosen = Object.prototype.hasOwnProperty.call(answers, q.id) ? answers[q.id] : undefined;
    if (chosen === q.answer) s.correct++;
    else missed.push(q.id);
  }
  const correct = DIFFICULTIES.reduce((n, d) => n + byDifficulty[d].correct, 0);
  return { byDifficulty, correct, total: questions.length, missed };
}

/** One recorded answer, as a front end stores it (e.g. in VS Code globalState). */
export interface AnswerRecord {
  readonly id: string;
  readonly correct: boolean;
  /** Milliseconds since the epoch, or any increasing counter. */
  readonly at: number;
}

/**
 * Practice mode: questions whose latest answer was wrong come first (most recently missed first),
 * then questions never answered (in bank order), then the rest, least recently seen first. A
 * question answered right after being missed drops back among the seen ones.
 */
export function practiceQueue(quiz: readonly Question[], history: readonly AnswerRecord[]): Question[] {
  const latest = new Map<string, AnswerRecord>();
  for (const r of history) {
    const prev = latest.get(r.id);
    if (!prev || r.at >= prev.at) latest.set(r.id, r);
  }
  const missed: Question[] = [];
  const unseen: Question[] = [];
  const seen: Question[] = [];
  for (const q of quiz) {
    const r = latest.get(q.id);
    if (!r) unseen.push(q);
    else if (!r.correct) missed.push(q);
    else seen.push(q);
  }
  const at = (q: Question): number => (latest.get(q.id) as AnswerRecord).at;
  missed.sort((a, b) => at(b) - at(a));
  seen.sort((a, b) => at(a) - at(b));
  return [...missed, ...unseen, ...seen];
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** mulberry32: a small deterministic generator; quality is ample for shuffling a quiz. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

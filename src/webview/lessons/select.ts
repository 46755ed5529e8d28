// Pure choices the lessons view makes: which questions a test asks, what practice brings back,
// scores, step marks. No DOM, so plain-Node unit tests cover them.
import type { Difficulty, DifficultyScore, Progress, ViewQuestion } from '../../protocol/lessons';

export const DIFFICULTY_ORDER: readonly Difficulty[] = ['easy', 'medium', 'hard'];
export const TEST_SIZE = 10;

// The same seed picks the same test, so a restored test is stable.
import { seededRandom } from '../../core/random';

function shuffled<T>(xs: readonly T[], random: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * "Test this pattern": `size` questions spread across the difficulties (3 easy, 4 medium, 3 hard
 * for 10), topped up from the other difficulties when one runs short, ordered easy → hard.
 * With `step`, that step's questions are preferred within each difficulty.
 */
export function pickTestQuestions(quiz: readonly ViewQuestion[], seed: number, size = TEST_SIZE, step?: string): string[] {
  const random = seededRandom(seed);
  const n = Math.min(size, quiz.length);
  const base = Math.floor(n / 3);
  const quota: Record<Difficulty, number> = { easy: base, medium: n - 2 * base, hard: base };
  const pools = new Map<Difficulty, ViewQuestion[]>();
  for (const d of DIFFICULTY_ORDER) {
    const all = shuffled(quiz.filter((q) => q.difficulty === d), random);
    pools.set(d, step ? [...all.filter((q) => q.step === step), ...all.filter((q) => q.step !== step)] : all);
  }
  const chosen: ViewQuestion[] = [];
  for (const d of DIFFICULTY_ORDER) chosen.push(...(pools.get(d) ?? []).splice(0, quota[d]));
  // Top up from whatever is left, hardest-starved first.
  for (const d of ['medium', 'easy', 'hard'] as const) {
    const pool = pools.get(d) ?? [];
    while (chosen.length < n && pool.length > 0) chosen.push(pool.shift() as ViewQuestion);
  }
  const rank = (q: ViewQuestion) => DIFFICULTY_ORDER.indexOf(q.difficulty);
  return chosen.map((q, i) => ({ q, i })).sort((a, b) => rank(a.q) - rank(b.q) || a.i - b.i).map((x) => x.q.id);
}

/**
 * Practice order: questions whose latest answer was wrong (most recent miss first), then ones
 * never answered (bank order), then ones missed before but right since, then the rest (the
 * longest-ago answered first).
 */
export function practiceQueue(quiz: readonly ViewQuestion[], progress: Progress): string[] {
  const missed: { id: string; at: number }[] = [];
  const fresh: string[] = [];
  const recovered: { id: string; at: number }[] = [];
  const known: { id: string; at: number }[] = [];
  for (const q of quiz) {
    const attempts = progress.quiz[q.id] ?? [];
    const last = attempts[attempts.length - 1];
    if (!last) fresh.push(q.id);
    else if (!last.correct) missed.push({ id: q.id, at: last.at });
    else if (attempts.some((a) => !a.correct)) recovered.push({ id: q.id, at: last.at });
    else known.push({ id: q.id, at: last.at });
  }
  return [
    ...missed.sort((a, b) => b.at - a.at).map((x) => x.id),
    ...fresh,
    ...recovered.sort((a, b) => a.at - b.at).map((x) => x.id),
    ...known.sort((a, b) => a.at - b.at).map((x) => x.id),
  ];
}

/** How many questions practice counts as "missed" (latest answer wrong). */
export function missedCount(quiz: readonly ViewQuestion[], progress: Progress): number {
  return quiz.filter((q) => {
    const a = progress.quiz[q.id];
    return a !== undefined && a.length > 0 && !a[a.length - 1].correct;
  }).length;
}

/** Score per difficulty from each question's FIRST answer in the test. */
export function scoreTest(quiz: readonly ViewQuestion[], ids: readonly string[], first: Readonly<Record<string, boolean>>): Record<Difficulty, DifficultyScore> {
  const out: Record<Difficulty, { correct: number; total: number }> = { easy: { correct: 0, total: 0 }, medium: { correct: 0, total: 0 }, hard: { correct: 0, total: 0 } };
  for (const id of ids) {
    const q = quiz.find((x) => x.id === id);
    if (!q) continue;
    out[q.difficulty].total += 1;
    if (first[id] === true) out[q.difficulty].correct += 1;
  }
  return out;
}

export type StepMark = 'done' | 'visited' | 'new';

export function stepMark(progress: Progress, step: string): StepMark {
  const s = progress.steps[step];
  return s?.completed ? 'done' : s?.visited ? 'visited' : 'new';
}

/** FNV-1a of a string: a stable 32-bit seed from a question id. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The order a question's choices are shown in, as indexes into its authored choices (grading
 * always uses those indexes, never the position on screen). `key` names the question (its id);
 * `presentation` counts how many times it has been answered before (0 the first time). The same
 * key and presentation always give the same order, so a re-render or a reload of what is on
 * screen does not move the choices; each later presentation puts the right answer in a different
 * position from the one before, so a missed question never comes back in the order it was missed.
 */
export function choiceOrder(key: string, count: number, answer: number, presentation = 0): number[] {
  const base = Array.from({ length: count }, (_, i) => i);
  if (count < 2) return base;
  const n = Math.max(0, Math.min(Math.floor(presentation), 1000));
  let order = shuffled(base, seededRandom(hashSeed(`${key}#0`)));
  for (let p = 1; p <= n; p++) {
    const previous = order.indexOf(answer);
    order = shuffled(base, seededRandom(hashSeed(`${key}#${p}`)));
    // Rotating by one moves every choice, the answer included, to another position.
    if (order.indexOf(answer) === previous) order = [...order.slice(1), order[0]];
  }
  return order;
}

export function completedSteps(progress: Progress, steps: readonly { readonly id: string }[]): number {
  return steps.filter((s) => progress.steps[s.id]?.completed).length;
}

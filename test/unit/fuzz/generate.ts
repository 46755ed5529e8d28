// Input number i of a fuzz run: a seed file and its mutation, both chosen by a random source
// seeded with (run seed, i), so any input can be regenerated alone (`npm run fuzz -- --only I`).

import { seededRandom } from '../../../src/core/random';
import type { Seed } from './corpus';
import { mutate } from './mutate';

export interface FuzzInput {
  readonly name: string;
  readonly fileName: string;
  readonly text: string;
}

export function fuzzInput(seeds: readonly Seed[], runSeed: number, i: number): FuzzInput {
  const r = seededRandom((runSeed * 1_000_003 + i * 7919) >>> 0);
  const seed = seeds[Math.floor(r() * seeds.length)];
  // Some inputs are the seed itself (the unmutated samples must pass too) or a YAML/JSON name swap.
  const text = i < seeds.length ? seeds[i].text : mutate(seed.text, r);
  const base = i < seeds.length ? seeds[i] : seed;
  const fileName = r() < 0.1 ? base.name.replace(/\.json$/, '.yaml') : base.name;
  return { name: `${i}:${base.name}`, fileName, text };
}

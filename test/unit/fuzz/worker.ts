// Runs fuzz inputs from `start` on, posting 'start' before and 'done' after each one, so the
// parent (run.ts) can time every input and stop this thread when one hangs.

import { parentPort, workerData } from 'node:worker_threads';
import { checkInput } from './check';
import { loadSeeds } from './corpus';
import { fuzzInput } from './generate';

interface Job { readonly seed: number; readonly start: number; readonly end: number; readonly only?: readonly number[] }

async function main(job: Job): Promise<void> {
  const seeds = loadSeeds();
  const indices = job.only ?? Array.from({ length: job.end - job.start }, (_, k) => job.start + k);
  for (const i of indices) {
    if (i < job.start) continue;
    const input = fuzzInput(seeds, job.seed, i);
    parentPort?.postMessage({ type: 'start', i });
    const t0 = performance.now();
    const outcome = await checkInput(input.text, input.fileName);
    parentPort?.postMessage({ type: 'done', i, name: input.name, outcome, ms: performance.now() - t0 });
  }
  parentPort?.postMessage({ type: 'end' });
}

void main(workerData as Job);

// The fuzz driver shared by the unit test (test/unit/fuzz/fuzz.test.ts) and `npm run fuzz`: runs
// inputs in a worker thread, counts an input that takes longer than `hangMs` as a hang (the
// worker is stopped and a new one resumes after it), and tallies crashes and bad outputs by
// signature. Time is only counted, never asserted on: hangMs is a budget far above normal.

import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface FuzzOptions {
  readonly count: number;
  readonly seed: number;
  /** An input running longer than this is a hang. */
  readonly hangMs: number;
  /** Only these input numbers (to replay a failure). */
  readonly only?: readonly number[];
  readonly onProgress?: (done: number) => void;
}

export interface Finding {
  readonly kind: 'crash' | 'hang' | 'bad';
  readonly signature: string;
  readonly input: string;
  readonly detail: string;
}

export interface FuzzSummary {
  readonly inputs: number;
  readonly crashes: number;
  readonly hangs: number;
  readonly bad: number;
  /** Inputs that took more than a tenth of the hang budget: reported, not failed. */
  readonly slow: number;
  readonly slowest: { readonly input: string; readonly ms: number };
  /** One finding per distinct signature. */
  readonly findings: readonly Finding[];
}

type Message =
  | { type: 'start'; i: number }
  | { type: 'done'; i: number; name: string; ms: number; outcome: { kind: 'ok' } | { kind: 'crash' | 'bad'; signature: string; detail: string } }
  | { type: 'end' };

const WORKER = join(__dirname, 'worker.ts');

export function summaryLine(s: FuzzSummary): string {
  return `${s.inputs} inputs, ${s.crashes} crashes, ${s.hangs} hangs, ${s.bad} bad outputs`;
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  let inputs = 0, crashes = 0, hangs = 0, bad = 0, slow = 0;
  let slowest = { input: '', ms: 0 };
  const findings = new Map<string, Finding>();
  const note = (f: Finding) => {
    if (!findings.has(f.kind + f.signature)) findings.set(f.kind + f.signature, f);
  };
  let next = 0;
  const end = options.count;
  while (next < end) {
    next = await new Promise<number>((resolve) => {
      // tsx is registered in the worker the same way mocha and `npm run fuzz` register it here.
      const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(WORKER)});`, {
        eval: true,
        workerData: { seed: options.seed, start: next, end, only: options.only },
        resourceLimits: { maxOldGenerationSizeMb: 1024 },
        stderr: true,
      });
      let current = -1;
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const finish = (resumeAt: number) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        void worker.terminate();
        resolve(resumeAt);
      };
      worker.on('message', (m: Message) => {
        if (m.type === 'start') {
          current = m.i;
          timer = setTimeout(() => {
            inputs++;
            hangs++;
            note({ kind: 'hang', signature: `input ${m.i} over ${options.hangMs} ms`, input: `${m.i}`, detail: '' });
            finish(nextIndex(options, m.i));
          }, options.hangMs);
        } else if (m.type === 'done') {
          if (timer) clearTimeout(timer);
          inputs++;
          options.onProgress?.(inputs);
          if (m.ms > slowest.ms) slowest = { input: m.name, ms: m.ms };
          if (m.ms > options.hangMs / 10) slow++;
          if (m.outcome.kind === 'crash') crashes++;
          if (m.outcome.kind === 'bad') bad++;
          if (m.outcome.kind !== 'ok') note({ kind: m.outcome.kind, signature: m.outcome.signature, input: m.name, detail: m.outcome.detail });
        } else finish(end);
      });
      worker.on('error', (err) => {
        // The worker itself died (out of memory, an uncaught error outside checkInput).
        inputs++;
        crashes++;
        note({ kind: 'crash', signature: `worker died: ${err.message.slice(0, 80)}`, input: `${current}`, detail: err.stack ?? err.message });
        finish(current < 0 ? end : nextIndex(options, current));
      });
      worker.on('exit', () => finish(end));
    });
  }
  return { inputs, crashes, hangs, bad, slow, slowest, findings: [...findings.values()] };
}

function nextIndex(options: FuzzOptions, i: number): number {
  if (!options.only) return i + 1;
  const k = options.only.indexOf(i);
  return k === -1 || k + 1 >= options.only.length ? options.count : options.only[k + 1];
}

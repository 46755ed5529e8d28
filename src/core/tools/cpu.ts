// The `cpu` runner: real CPU work on a pool of worker threads, so CPU tools truly overlap on
// different cores while the caller's event loop (the extension host, the CLI's signal handling)
// stays free.
//
// Why the worker runs from an inline `eval` source and not from dist/cpuWorker.js: the same
// module runs in three places — TypeScript from src/ under tsx (tests), the CLI bundle and the
// extension bundle in dist/. A worker *file* would need a path that is right in all three (and a
// TS loader under tsx), and a bundle cannot reliably locate a sibling file after packaging. The
// worker is a dozen lines of dependency-free JavaScript, so shipping it as a string is exact in
// every runtime and cannot go missing.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { JsonValue } from '../plan/types';
import type { RunnerContext, ToolRunner } from '../engine/types';
import { abortError, describeType } from './common';
import { onAbort as listenAbort } from '../engine/abortFanout';

/** A busy loop on the monotonic clock. Checks the clock every 1000 steps of integer math. */
const WORKER_SOURCE = `
'use strict';
const { parentPort } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
parentPort.on('message', (job) => {
  const start = performance.now();
  const end = start + job.durationMs;
  let iterations = 0;
  let x = 0x9e3779b9 | 0;
  do {
    for (let i = 0; i < 1000; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
    iterations += 1000;
  } while (performance.now() < end);
  parentPort.postMessage({ busyMs: performance.now() - start, iterations, checksum: x });
});
`;

/** Longest accepted job: a typo like 3e9 should be a clear error, not a pinned core for a month. */
export const MAX_CPU_DURATION_MS = 60 * 60 * 1000;

export interface CpuRunnerOptions {
  /** Number of worker threads. Default: os.availableParallelism(). */
  readonly poolSize?: number;
}

export interface CpuRunner extends ToolRunner {
  /** Terminates every worker and rejects queued and running jobs. Later runs reject. */
  dispose(): Promise<void>;
  /** Live worker threads (workers start lazily), for tests and diagnostics. */
  readonly workerCount: number;
}

interface Job {
  readonly durationMs: number;
  /** performance.now() when the tool asked for a worker. */
  readonly requestedAt: number;
  readonly ctx: RunnerContext;
  readonly resolve: (value: JsonValue) => void;
  readonly reject: (error: Error) => void;
  /** Stops listening to the tool's signal (abortFanout: many cpu tools may share one). */
  stopListening: () => void;
}

interface Slot {
  readonly worker: Worker;
  job: Job | null;
  /** Set once the pool stops using this worker (terminated or crashed): late events are ignored. */
  gone: boolean;
}

interface WorkerReply {
  readonly busyMs: number;
  readonly iterations: number;
}

function round1(ms: number): number {
  return Math.round(ms * 10) / 10;
}

export function createCpuRunner(options: CpuRunnerOptions = {}): CpuRunner {
  const poolSize = Math.max(1, Math.floor(options.poolSize ?? availableParallelism()));
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let disposed = false;

  function finish(job: Job): void {
    job.stopListening();
  }

  function retire(slot: Slot): void {
    slot.gone = true;
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
  }

  function spawnSlot(): Slot {
    const worker = new Worker(WORKER_SOURCE, { eval: true, name: 'fanout-cpu' });
    const slot: Slot = { worker, job: null, gone: false };
    worker.on('message', (reply: WorkerReply) => {
      if (slot.gone) return;
      const job = slot.job;
      slot.job = null;
      worker.unref(); // an idle worker must not keep the CLI alive
      if (job) {
        finish(job);
        // Time before the work began: waiting for a free worker (oversubscription) or starting one.
        const waitMs = Math.max(0, performance.now() - job.requestedAt - reply.busyMs);
        job.ctx.log?.(`cpu: ${Math.round(reply.busyMs)} ms of CPU work, ${reply.iterations} iterations, after waiting ${Math.round(waitMs)} ms for a worker`);
        job.resolve({ busyMs: round1(reply.busyMs), waitMs: round1(waitMs), iterations: reply.iterations });
      }
      pump();
    });
    const crashed = (error: Error): void => {
      if (slot.gone) return;
      retire(slot);
      const job = slot.job;
      slot.job = null;
      if (job) {
        finish(job);
        job.reject(new Error(`The CPU worker thread stopped unexpectedly: ${error.message}`));
      }
      pump();
    };
    worker.on('error', crashed);
    worker.on('exit', (code) => crashed(new Error(`exit code ${code}`)));
    slots.push(slot);
    return slot;
  }

  function pump(): void {
    while (queue.length > 0 && !disposed) {
      let slot = slots.find((s) => s.job === null);
      if (!slot) {
        if (slots.length >= poolSize) return;
        try {
          slot = spawnSlot();
        } catch (error) {
          const job = queue.shift()!;
          finish(job);
          job.reject(new Error(`Could not start a CPU worker thread: ${(error as Error).message}`));
          continue;
        }
      }
      const job = queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage({ durationMs: job.durationMs });
    }
  }

  function abort(job: Job): void {
    finish(job);
    const queued = queue.indexOf(job);
    if (queued >= 0) {
      queue.splice(queued, 1);
    } else {
      // A busy loop cannot be interrupted from outside except by terminating its thread.
      const slot = slots.find((s) => s.job === job);
      if (slot) {
        retire(slot);
        slot.job = null;
        void slot.worker.terminate();
      }
    }
    job.reject(abortError(job.ctx.signal));
    pump(); // a queued job may take the freed place (its worker is created lazily)
  }

  return {
    get workerCount() {
      return slots.length;
    },
    run(ctx: RunnerContext): Promise<JsonValue> {
      if (disposed) return Promise.reject(new Error('The CPU worker pool has been shut down; no more cpu tools can run.'));
      if (ctx.signal.aborted) return Promise.reject(abortError(ctx.signal));
      const durationMs = ctx.args['durationMs'];
      if (typeof durationMs !== 'number' || !Number.isFinite(durationMs) || durationMs < 0) {
        return Promise.reject(new Error(
          `cpu tool: args.durationMs must be a number of milliseconds ≥ 0 (got ${describeType(durationMs)}), e.g. { durationMs: 500 }.`));
      }
      if (durationMs > MAX_CPU_DURATION_MS) {
        return Promise.reject(new Error(
          `cpu tool: args.durationMs is ${durationMs} ms; the most one cpu tool may take is ${MAX_CPU_DURATION_MS} ms (1 hour).`));
      }
      return new Promise<JsonValue>((resolve, reject) => {
        const job: Job = { durationMs, requestedAt: performance.now(), ctx, resolve, reject, stopListening: () => undefined };
        job.stopListening = listenAbort(ctx.signal, () => abort(job));
        queue.push(job);
        pump();
        if (queue.includes(job)) ctx.log?.(`cpu: all ${poolSize} worker threads are busy; waiting for one (more cpu tools at once than cores)`);
      });
    },
    async dispose(): Promise<void> {
      disposed = true;
      const stopped = new Error('The CPU worker pool was shut down while this tool was running.');
      for (const job of queue.splice(0)) {
        finish(job);
        job.reject(stopped);
      }
      const all = slots.splice(0);
      for (const slot of all) {
        slot.gone = true;
        if (slot.job) {
          finish(slot.job);
          slot.job.reject(stopped);
          slot.job = null;
        }
      }
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
  };
}

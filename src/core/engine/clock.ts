// The two time sources of the engine. The executor only talks to `Clock`, so the same scheduling
// code runs against wall time (real runs) and against a virtual time line (simulate, tests,
// benchmarks), where a 10-minute plan completes in milliseconds and always the same way.
import { performance } from 'node:perf_hooks';
import type { Clock } from './types';
import { Heap } from './heap';
import { onAbort as listenAbort } from './abortFanout';

/** Runs `fn` after pending microtasks (and promise chains) have drained. */
const macrotask: (fn: () => void) => void =
  typeof setImmediate === 'function' ? (fn) => void setImmediate(fn) : (fn) => void setTimeout(fn, 0);

/** What a wait rejects with when its signal aborts. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('The operation was aborted.');
}

/** The longest delay setTimeout honours (2^31-1 ms); longer ones fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** Wall time from `performance.now()`; `now()` is 0 when the clock is created. */
export function createRealClock(): Clock {
  const origin = performance.now();
  return {
    now: () => performance.now() - origin,
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      // Zero-length waits resolve without a timer: setTimeout(0) costs ~1 ms, which would make a
      // chain of no-op tools crawl.
      if (!(ms > 0)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        // setTimeout fires after 1 ms for delays past 2^31-1 ms (~24.8 days), so a long wait (a
        // generous timeoutMs) is taken in steps that each fit.
        const due = performance.now() + ms;
        let timer: ReturnType<typeof setTimeout>;
        // Through abortFanout: every untimed tool of a run sleeps on the same signal.
        const stopListening = signal
          ? listenAbort(signal, () => {
              clearTimeout(timer);
              reject(abortReason(signal));
            })
          : undefined;
        const done = (): void => {
          stopListening?.();
          resolve();
        };
        const arm = (left: number): void => {
          timer = left > MAX_TIMER_MS ? setTimeout(() => arm(due - performance.now()), MAX_TIMER_MS) : setTimeout(done, left);
        };
        arm(ms);
      });
    },
    defer: (fn) => queueMicrotask(fn),
  };
}

interface Timer {
  readonly due: number;
  readonly seq: number;
  readonly resolve: () => void;
  cancelled: boolean;
}

/**
 * Deterministic, instant time. Time advances only when every pending task is waiting on the clock:
 * the clock works in macrotask turns, and a turn only happens once all promise continuations of
 * the previous one have run. Each turn first runs the callbacks given to `defer` (so everything
 * that happened at this instant is settled before new work is chosen), and only when there are
 * none does it jump to the earliest timer and wake every sleeper due then, in the order they
 * started sleeping.
 *
 * It is meant for code that waits only on this clock (simulated tools, the executor). A task that
 * awaits real I/O is invisible to it, so time would move on without it.
 */
export class VirtualClock implements Clock {
  private time: number;
  private seq = 0;
  private readonly timers = new Heap<Timer>((a, b) => a.due - b.due || a.seq - b.seq);
  private deferred: (() => void)[] = [];
  private scheduled = false;

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  /** Timers still waiting (cancelled ones excluded). */
  get pendingTimers(): number {
    let k = 0;
    for (const t of this.timers.items()) if (!t.cancelled) k++;
    return k;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const due = this.time + (ms > 0 ? ms : 0);
    return new Promise<void>((resolve, reject) => {
      let stopListening: (() => void) | undefined;
      const timer: Timer = {
        due,
        seq: this.seq++,
        resolve: () => {
          stopListening?.();
          resolve();
        },
        cancelled: false,
      };
      if (signal) {
        // Through abortFanout: every untimed tool of a run sleeps on the same signal.
        stopListening = listenAbort(signal, () => {
          // Lazy deletion: the heap skips cancelled timers when they reach the top.
          timer.cancelled = true;
          reject(abortReason(signal));
        });
      }
      this.timers.push(timer);
      this.schedule();
    });
  }

  defer(fn: () => void): void {
    this.deferred.push(fn);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    macrotask(this.turn);
  }

  private readonly turn = (): void => {
    this.scheduled = false;
    if (this.deferred.length > 0) {
      const fns = this.deferred;
      this.deferred = [];
      try {
        for (const fn of fns) fn();
      } finally {
        this.schedule();
      }
      return;
    }
    while (this.timers.size > 0 && (this.timers.peek() as Timer).cancelled) this.timers.pop();
    const first = this.timers.peek();
    if (!first) return;
    if (first.due > this.time) this.time = first.due;
    while (this.timers.size > 0) {
      const t = this.timers.peek() as Timer;
      if (t.due > this.time) break;
      this.timers.pop();
      if (!t.cancelled) t.resolve();
    }
    this.schedule();
  };
}

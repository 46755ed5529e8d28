// CPU contention on a simulated clock. A `cpu` tool's duration is its work on one whole core; a
// machine with `cores` cores runs n CPU-bound tools at once by time-slicing, so while n > cores
// each progresses at cores / n of a core (processor sharing, the fluid model of a fair OS
// scheduler). Eight 400 ms tools on 4 cores therefore all end at 800 ms, not at 400 ms: starting
// more CPU work than there are cores delays every result and finishes the batch no sooner.
// (Real machines add context switches and cache misses on top; this model charges none of them,
// so it is a lower bound of what oversubscription costs.) Tools of other kinds wait rather than
// compute and never take a core here.
import type { Clock } from './types';
import { onAbort } from './abortFanout';
import { abortReason } from './clock';

interface Job {
  remaining: number;
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  stopListening?: () => void;
}

/** Below this much work (ms of one core) a job counts as done: rates like 4/6 leave float dust. */
const DONE_EPSILON = 1e-6;

export class CpuShare {
  private readonly jobs = new Set<Job>();
  private last: number;
  private wake: AbortController | undefined;

  constructor(private readonly clock: Clock, readonly cores: number) {
    if (!(cores >= 1)) throw new RangeError(`CpuShare needs at least one core, got ${cores}`);
    this.last = clock.now();
  }

  /** Tools computing right now. */
  get running(): number {
    return this.jobs.size;
  }

  /** The share of one core each running job gets. */
  private rate(): number {
    return this.jobs.size <= this.cores ? 1 : this.cores / this.jobs.size;
  }

  /** Resolves once `workMs` of one core's work is done; rejects with the signal's reason on abort. */
  compute(workMs: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (!(workMs > 0)) return Promise.resolve();
    this.advance();
    return new Promise<void>((resolve, reject) => {
      const job: Job = { remaining: workMs, resolve, reject };
      if (signal) {
        job.stopListening = onAbort(signal, () => {
          if (!this.jobs.has(job)) return;
          this.advance();
          this.jobs.delete(job);
          reject(abortReason(signal));
          this.reschedule();
        });
      }
      this.jobs.add(job);
      this.reschedule();
    });
  }

  /** Charges the time since the last change to every running job at the rate that held then. */
  private advance(): void {
    const now = this.clock.now();
    const dt = now - this.last;
    this.last = now;
    if (dt <= 0 || this.jobs.size === 0) return;
    const done = dt * this.rate();
    for (const j of this.jobs) j.remaining -= done;
  }

  /** One timer, for the job that will finish first at the current rate. */
  private reschedule(): void {
    this.wake?.abort();
    this.wake = undefined;
    if (this.jobs.size === 0) return;
    let least = Infinity;
    for (const j of this.jobs) if (j.remaining < least) least = j.remaining;
    const ctl = new AbortController();
    this.wake = ctl;
    this.clock.sleep(Math.max(0, least / this.rate()), ctl.signal).then(
      () => {
        if (this.wake !== ctl) return;
        this.wake = undefined;
        this.advance();
        for (const j of [...this.jobs]) {
          if (j.remaining > DONE_EPSILON) continue;
          this.jobs.delete(j);
          j.stopListening?.();
          j.resolve();
        }
        this.reschedule();
      },
      () => undefined, // superseded by a newer timer
    );
  }
}

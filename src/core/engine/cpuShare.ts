// CPU contention on a simulated clock. A `cpu` tool's duration is its work on one whole core; a
// machine with `cores` cores runs n CPU-bound tools at once by time-slicing, so while n > cores
// each progresses at cores / n of a core (processor sharing, the fluid model of a fair OS
// scheduler). Eight 400 ms tools on 4 cores therefore all end at 800 ms, not at 400 ms: starting
// more CPU work than there are cores delays every result and finishes the batch no sooner.
// (Real machines add context switches and cache misses on top; this model charges none of them,
// so it is a lower bound of what oversubscription costs.) Tools of other kinds wait rather than
// compute and never take a core here. The arithmetic is processorSharing.ts, shared with the
// synchronous makespan prediction (scheduler.ts), so a prediction and a simulation agree.
import type { Clock } from './types';
import { onAbort } from './abortFanout';
import { abortReason } from './clock';
import { ProcessorSharing } from './processorSharing';

interface Job {
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  stopListening?: () => void;
}

export class CpuShare {
  private readonly share: ProcessorSharing<Job>;
  private wake: AbortController | undefined;
  /**
   * The work one job gets done, as a function of time: at each change (time, work so far, rate
   * from then on). Every running job progresses at the same rate, so a job's own work between
   * two instants it ran through is the difference, whatever ended it (RunRecord figures).
   */
  private readonly times: number[] = [];
  private readonly works: number[] = [];
  private readonly rates: number[] = [];

  constructor(private readonly clock: Clock, readonly cores: number) {
    if (!(cores >= 1)) throw new RangeError(`CpuShare needs at least one core, got ${cores}`);
    this.share = new ProcessorSharing<Job>(cores, clock.now());
  }

  /** The work (ms of one core) a job computing from `from` to `to` (clock times) got done. */
  workBetween(from: number, to: number): number {
    return Math.max(0, this.workAt(to) - this.workAt(from));
  }

  private workAt(t: number): number {
    const { times } = this;
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (times[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return 0;
    const k = lo - 1;
    return this.works[k] + (t - times[k]) * this.rates[k];
  }

  /** Appends the rate that holds from now on. */
  private log(): void {
    const now = this.clock.now();
    const rate = this.share.size > 0 ? this.share.rate() : 0;
    const k = this.times.length - 1;
    const work = k < 0 ? 0 : this.works[k] + (now - this.times[k]) * this.rates[k];
    if (k >= 0 && this.times[k] === now) {
      this.rates[k] = rate; // several changes at one instant: the last rate holds
      return;
    }
    this.times.push(now);
    this.works.push(work);
    this.rates.push(rate);
  }

  /** Tools computing right now. */
  get running(): number {
    return this.share.size;
  }

  /** Resolves once `workMs` of one core's work is done; rejects with the signal's reason on abort. */
  compute(workMs: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (!(workMs > 0)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const job: Job = { resolve, reject };
      if (signal) {
        job.stopListening = onAbort(signal, () => {
          if (!this.share.remove(job, this.clock.now())) return;
          reject(abortReason(signal));
          this.reschedule();
        });
      }
      this.share.add(job, workMs, this.clock.now());
      this.reschedule();
    });
  }

  /** One timer, for the job that will finish first at the current rate. */
  private reschedule(): void {
    this.log();
    this.wake?.abort();
    this.wake = undefined;
    if (this.share.size === 0) return;
    const ctl = new AbortController();
    this.wake = ctl;
    this.clock.sleep(this.share.nextDelay, ctl.signal).then(
      () => {
        if (this.wake !== ctl) return;
        this.wake = undefined;
        for (const j of this.share.takeDone(this.clock.now())) {
          j.stopListening?.();
          j.resolve();
        }
        this.reschedule();
      },
      () => undefined, // superseded by a newer timer
    );
  }
}

// Processor sharing, the arithmetic alone: n CPU-bound jobs on `cores` cores each progress at
// min(1, cores / n) of a core (the fluid model of a fair OS scheduler; cpuShare.ts explains why).
// Synchronous and clock-free, so the asynchronous CpuShare (a run on the virtual clock) and the
// synchronous makespan prediction (scheduler.ts simulateSchedule) charge contention with the very
// same steps and floating-point operations, and a prediction lands on the instants a simulation
// does. The caller tells it the time of every change; it says when the next job will finish.

/** Below this much work (ms of one core) a job counts as done: rates like 4/6 leave float dust. */
const DONE_EPSILON = 1e-6;

export class ProcessorSharing<K> {
  private readonly remaining = new Map<K, number>();
  private last: number;
  /** From the last change until the job with the least work left finishes at the current rate (Infinity: no job). */
  private delay = Infinity;

  constructor(readonly cores: number, now = 0) {
    if (!(cores >= 1)) throw new RangeError(`processor sharing needs at least one core, got ${cores}`);
    this.last = now;
  }

  /** Jobs computing right now. */
  get size(): number {
    return this.remaining.size;
  }

  /** Whether `key` is computing. */
  has(key: K): boolean {
    return this.remaining.has(key);
  }

  /**
   * The instant the next job finishes, fixed at the last change (add, remove, takeDone): computed
   * as a clock computes a timer's due time (now + delay), so sync and async users agree to the bit.
   */
  get nextFinishAt(): number {
    return this.last + this.delay;
  }

  /** Delay from the time of the last change to the next finish (a timer's argument); Infinity when idle. */
  get nextDelay(): number {
    return this.delay;
  }

  /** Starts a job of `workMs` ms of one core's work at `now` (workMs > 0). */
  add(key: K, workMs: number, now: number): void {
    this.advance(now);
    this.remaining.set(key, workMs);
    this.plan();
  }

  /** Stops a job before it is done (an abort). Returns whether it was computing. */
  remove(key: K, now: number): boolean {
    if (!this.remaining.has(key)) return false;
    this.advance(now);
    this.remaining.delete(key);
    this.plan();
    return true;
  }

  /** At `now` (normally nextFinishAt): removes and returns the jobs with no work left, in start order. */
  takeDone(now: number): K[] {
    this.advance(now);
    // The job with the least work left is due now; taking it even when float dust (or a time too
    // large for the delay to register) leaves more than the epsilon guarantees progress.
    let least = Infinity;
    for (const r of this.remaining.values()) if (r < least) least = r;
    const threshold = Math.max(DONE_EPSILON, least);
    const done: K[] = [];
    for (const [k, r] of this.remaining) if (r <= threshold) done.push(k);
    for (const k of done) this.remaining.delete(k);
    this.plan();
    return done;
  }

  /** The share of one core each running job gets (1 when idle). */
  rate(): number {
    return this.remaining.size <= this.cores ? 1 : this.cores / this.remaining.size;
  }

  /** Charges the time since the last change to every running job at the rate that held then. */
  private advance(now: number): void {
    const dt = now - this.last;
    this.last = now;
    if (dt <= 0 || this.remaining.size === 0) return;
    const done = dt * this.rate();
    for (const [k, r] of this.remaining) this.remaining.set(k, r - done);
  }

  private plan(): void {
    if (this.remaining.size === 0) {
      this.delay = Infinity;
      return;
    }
    let least = Infinity;
    for (const r of this.remaining.values()) if (r < least) least = r;
    this.delay = Math.max(0, least / this.rate());
  }
}

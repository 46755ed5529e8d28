// Coalesces a stream of run events into batches (about every 50 ms) so a 1,000-tool run sends
// tens of messages, not thousands. Pure: the timer is injected, so tests drive it by hand.

export interface TimerApi {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const REAL_TIMERS: TimerApi = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class Batcher<T> {
  private pending: T[] = [];
  private timer: unknown;
  private closed = false;

  constructor(
    private readonly deliver: (batch: readonly T[]) => void,
    private readonly intervalMs = 50,
    private readonly timers: TimerApi = REAL_TIMERS,
  ) {}

  /** Queues one item; the first item of a batch arms the timer, later ones ride along. */
  push(item: T): void {
    if (this.closed) return;
    this.pending.push(item);
    if (this.timer === undefined) this.timer = this.timers.set(() => this.flush(), this.intervalMs);
  }

  /** Delivers what is pending now (called at the end of a run so nothing is lost). */
  flush(): void {
    if (this.timer !== undefined) {
      this.timers.clear(this.timer);
      this.timer = undefined;
    }
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.deliver(batch);
  }

  /** Flushes and stops accepting items. */
  close(): void {
    this.flush();
    this.closed = true;
  }
}

// A typical wrong solution: deadlines per call, but every task starts at once (no limit).
export type Settled<T> = { status: 'fulfilled'; value: T } | { status: 'rejected'; reason: unknown };
export type Task<T> = (signal: AbortSignal) => Promise<T>;
export interface SettleOptions { limit: number; deadlineMs: number; signal?: AbortSignal }

export async function settleAll<T>(tasks: readonly Task<T>[], options: SettleOptions): Promise<Settled<T>[]> {
  return Promise.all(tasks.map(async (task): Promise<Settled<T>> => {
    if (options.signal?.aborted) return { status: 'rejected', reason: options.signal.reason };
    const timeout = AbortSignal.timeout(options.deadlineMs);
    const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
    try {
      const aborted = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
      return { status: 'fulfilled', value: await Promise.race([Promise.resolve().then(() => task(signal)), aborted]) };
    } catch (reason) {
      return { status: 'rejected', reason };
    }
  }));
}

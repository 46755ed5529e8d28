// A typical wrong solution: a pool and a deadline per call, and the caller's signal is passed to
// each task, but each call is raced against its deadline only: a task that ignores its signal
// keeps running after the user pressed Stop, until its deadline.
export type Settled<T> = { status: 'fulfilled'; value: T } | { status: 'rejected'; reason: unknown };
export type Task<T> = (signal: AbortSignal) => Promise<T>;
export interface SettleOptions { limit: number; deadlineMs: number; signal?: AbortSignal }

export async function settleAll<T>(tasks: readonly Task<T>[], options: SettleOptions): Promise<Settled<T>[]> {
  const results: Settled<T>[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      if (options.signal?.aborted) {
        results[i] = { status: 'rejected', reason: options.signal.reason };
        continue;
      }
      const timeout = AbortSignal.timeout(options.deadlineMs);
      const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
      const timedOut = new Promise<never>((_, reject) => timeout.addEventListener('abort', () => reject(timeout.reason), { once: true }));
      try {
        results[i] = { status: 'fulfilled', value: await Promise.race([Promise.resolve().then(() => tasks[i](signal)), timedOut]) };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.limit, tasks.length) }, worker));
  return results;
}

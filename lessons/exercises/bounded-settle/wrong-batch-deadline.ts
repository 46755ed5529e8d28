// A typical wrong solution: bounded, but ONE deadline for the whole batch (created once), so calls
// that start late time out early.
export type Settled<T> = { status: 'fulfilled'; value: T } | { status: 'rejected'; reason: unknown };
export type Task<T> = (signal: AbortSignal) => Promise<T>;
export interface SettleOptions { limit: number; deadlineMs: number; signal?: AbortSignal }

export async function settleAll<T>(tasks: readonly Task<T>[], options: SettleOptions): Promise<Settled<T>[]> {
  const timeout = AbortSignal.timeout(options.deadlineMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const results: Settled<T>[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      if (options.signal?.aborted) {
        results[i] = { status: 'rejected', reason: options.signal.reason };
        continue;
      }
      try {
        const aborted = new Promise<never>((_, reject) => {
          if (signal.aborted) reject(signal.reason);
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        });
        results[i] = { status: 'fulfilled', value: await Promise.race([Promise.resolve().then(() => tasks[i](signal)), aborted]) };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.limit, tasks.length) }, worker));
  return results;
}

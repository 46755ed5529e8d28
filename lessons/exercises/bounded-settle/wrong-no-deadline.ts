// A typical wrong solution: bounded, and the caller's signal is passed down, but there is no
// deadline per call and nothing races a task that ignores its signal.
export type Settled<T> = { status: 'fulfilled'; value: T } | { status: 'rejected'; reason: unknown };
export type Task<T> = (signal: AbortSignal) => Promise<T>;
export interface SettleOptions { limit: number; deadlineMs: number; signal?: AbortSignal }

export async function settleAll<T>(tasks: readonly Task<T>[], options: SettleOptions): Promise<Settled<T>[]> {
  const results: Settled<T>[] = new Array(tasks.length);
  const signal = options.signal ?? new AbortController().signal;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      if (signal.aborted) {
        results[i] = { status: 'rejected', reason: signal.reason };
        continue;
      }
      try {
        results[i] = { status: 'fulfilled', value: await tasks[i](signal) };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.limit, tasks.length) }, worker));
  return results;
}

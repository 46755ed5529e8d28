// A typical wrong solution: deadlines and the caller's signal are right, but the calls run in
// groups of `limit` (Promise.all per group), so a slow call holds back the next group while the
// other slots stand idle.
export type Settled<T> = { status: 'fulfilled'; value: T } | { status: 'rejected'; reason: unknown };
export type Task<T> = (signal: AbortSignal) => Promise<T>;
export interface SettleOptions { limit: number; deadlineMs: number; signal?: AbortSignal }

async function settleOne<T>(task: Task<T>, options: SettleOptions): Promise<Settled<T>> {
  if (options.signal?.aborted) return { status: 'rejected', reason: options.signal.reason };
  const timeout = AbortSignal.timeout(options.deadlineMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const aborted = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
  try {
    return { status: 'fulfilled', value: await Promise.race([Promise.resolve().then(() => task(signal)), aborted]) };
  } catch (reason) {
    return { status: 'rejected', reason };
  }
}

export async function settleAll<T>(tasks: readonly Task<T>[], options: SettleOptions): Promise<Settled<T>[]> {
  const results: Settled<T>[] = [];
  for (let i = 0; i < tasks.length; i += options.limit) {
    results.push(...await Promise.all(tasks.slice(i, i + options.limit).map((task) => settleOne(task, options))));
  }
  return results;
}

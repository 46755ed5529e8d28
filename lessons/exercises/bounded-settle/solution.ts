// Reference solution: workers pull tasks from a shared index, so at most `limit` run at once; each
// call gets AbortSignal.any([its own timeout, the caller's signal]) and is raced against that
// signal, so a task that ignores it still settles (and frees its slot) at the deadline.

export type Settled<T> =
  | { status: 'fulfilled'; value: T }
  | { status: 'rejected'; reason: unknown };

export type Task<T> = (signal: AbortSignal) => Promise<T>;

export interface SettleOptions {
  limit: number;
  deadlineMs: number;
  signal?: AbortSignal;
}

function abortedBy(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

async function settleOne<T>(task: Task<T>, options: SettleOptions): Promise<Settled<T>> {
  const parent = options.signal;
  if (parent?.aborted) return { status: 'rejected', reason: parent.reason };
  const timeout = AbortSignal.timeout(options.deadlineMs);
  const signal = parent ? AbortSignal.any([timeout, parent]) : timeout;
  try {
    // Promise.resolve().then(): a task that throws before returning a promise is a rejection too.
    const value = await Promise.race([Promise.resolve().then(() => task(signal)), abortedBy(signal)]);
    return { status: 'fulfilled', value };
  } catch (reason) {
    return { status: 'rejected', reason };
  }
}

export async function settleAll<T>(tasks: readonly Task<T>[], options: SettleOptions): Promise<Settled<T>[]> {
  const results: Settled<T>[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await settleOne(tasks[i], options);
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(options.limit), tasks.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}

// Exercise: a bounded allSettled with per-call deadlines. Edit this file, then press "Run tests"
// in the Lab. TypeScript: type annotations are fine, but no enums or namespaces (Node runs this
// file by stripping the types).

export type Settled<T> =
  | { status: 'fulfilled'; value: T }
  | { status: 'rejected'; reason: unknown };

/** One tool call: it should stop when `signal` aborts (many real tools do not). */
export type Task<T> = (signal: AbortSignal) => Promise<T>;

export interface SettleOptions {
  /** At most this many tasks run at once (at least 1). */
  limit: number;
  /** Each task's own deadline, counted from when that task starts. */
  deadlineMs: number;
  /** The caller's cancellation: aborts the running tasks, and the rest never start. */
  signal?: AbortSignal;
}

export async function settleAll<T>(tasks: readonly Task<T>[], options: SettleOptions): Promise<Settled<T>[]> {
  // TODO: a limit, a deadline per call, the caller's signal. This version has none of them.
  const controller = new AbortController();
  return Promise.allSettled(tasks.map((task) => task(controller.signal)));
}

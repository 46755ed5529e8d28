// Writing `runToolCalls({ recordFile })`'s record (docs/library.md "What a record costs"). The
// record is written just after the batch's results are handed back, not before: an agent's turn
// waits on the results, not on the observability file (the OpenTelemetry SDK's batch span
// processor exports off the hot path for the same reason). `queueRecord` puts the write in a
// process-wide queue that runs on the next event-loop turn (setImmediate, in call order) and
// returns a promise of its outcome that never rejects; a process that exits first (`process.exit()`
// right after the `await`) still gets its records: an `exit` hook writes what is left,
// synchronously.
//
// The guarantees: a reader of the path sees the old record or the new one, never part of one
// (written to a temporary file beside it, then renamed over it); writes to one path land in the
// order they were queued (the last batch's record wins); when the outcome promise resolves with
// `ok: true` the record is at the path, complete; when writing fails the old record is left as it
// was and the temporary file is removed. Before the rename the record already at the path gets a
// second, hidden name `.NAME.fanout-replaced`, unlinked in the thread pool afterwards: on ext4 a
// rename that drops an old record's last link frees its blocks inside the call (0.8–2.5 ms,
// measured), where the pool's unlink holds no one up. Removing the hidden name at any time loses
// nothing, and the next write to the same path removes one left behind by a process that died in
// between.
import { closeSync, linkSync, openSync, renameSync, rmSync, unlink, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** How a record's write ended: `ok` once the file is in place at `path` (absolute), else why not. */
export type RecordOutcome =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly path: string; readonly error: string };

interface Job {
  readonly target: string;
  /** The record's text, made when the job runs (serialising it is most of a small record's cost). */
  readonly text: () => string;
  readonly done: (outcome: RecordOutcome) => void;
}

const queue: Job[] = [];
let scheduled = false;
let exitHooked = false;

/** The hidden second name of the record at `target` while it is replaced. */
export function replacedName(target: string): string {
  return join(dirname(target), `.${basename(target)}.fanout-replaced`);
}

/**
 * Queues the record at `target`, an absolute path (resolved before the calls ran: a handler may
 * change the working directory): `text()` is called and the file written on the next loop turn,
 * after the jobs queued before it. Call it after the path was checked
 * (resolvedRunFilePathProblem). The promise never rejects.
 */
export function queueRecord(target: string, text: () => string): Promise<RecordOutcome> {
  return new Promise<RecordOutcome>((done) => {
    queue.push({ target, text, done });
    if (!exitHooked) {
      exitHooked = true;
      process.on('exit', flushAtExit);
    }
    if (!scheduled) {
      scheduled = true;
      setImmediate(drain);
    }
  });
}

/** Writes every queued record, in order. Synchronous file calls: see writeRecord. */
function drain(): void {
  scheduled = false;
  const hidden: string[] = [];
  for (let job = queue.shift(); job; job = queue.shift()) {
    const outcome = writeRecord(job, hidden);
    job.done(outcome);
  }
  // The old records' last names: unlinked in the thread pool, where freeing their blocks holds
  // no one up (the point of the hidden name).
  for (const h of hidden) unlink(h, ignore);
}

/** The process is exiting (process.exit(), or the loop drained): what is still queued is written now. */
function flushAtExit(): void {
  const hidden: string[] = [];
  for (let job = queue.shift(); job; job = queue.shift()) job.done(writeRecord(job, hidden));
  for (const h of hidden) {
    try {
      unlinkSync(h);
    } catch {
      // the next write to the path removes it
    }
  }
}

/**
 * One record: text, temporary file, rename. Synchronous calls: a write of a few KiB and a rename
 * return from the page cache in tens of µs, where each thread-pool round trip costs a loop turn
 * and a wake-up of the main thread; records are bounded (the engine keeps bounded copies of the
 * outputs), and none of this is on the caller's path any more. `hidden` collects the old
 * record's hidden name, to be unlinked after.
 */
function writeRecord(job: Job, hidden: string[]): RecordOutcome {
  const { target } = job;
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  let fd: number | undefined;
  let aside: string | undefined;
  try {
    const text = job.text();
    fd = openSync(tmp, 'wx');
    writeAll(fd, text);
    closeSync(fd);
    fd = undefined;
    aside = linkAside(target);
    renameSync(tmp, target);
    if (aside) hidden.push(aside);
    return { ok: true, path: target };
  } catch (err) {
    if (fd !== undefined) closeQuietly(fd);
    try {
      rmSync(tmp, { force: true });
    } catch {
      // a temporary name that cannot be removed is harmless beside the record; the error above is what matters
    }
    // The old record keeps its own name; its hidden second name is dropped (no blocks are freed).
    if (aside) unlink(aside, ignore);
    return { ok: false, path: target, error: `could not write the record file "${target}": ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * Gives the record at `target` its hidden name; the name when it did. No record there (a new
 * file) or a file system without hard links: undefined, and the rename frees the old one itself.
 * A hidden name already there was left by a process that ended between link and unlink (or is
 * another writer's, equally disposable): it is removed in the background, and this write goes
 * without one.
 */
function linkAside(target: string): string | undefined {
  const aside = replacedName(target);
  try {
    linkSync(target, aside);
    return aside;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') unlink(aside, ignore);
    return undefined;
  }
}

/** Writes the whole text: a string is encoded by writeSync itself; a short write (rare on a file) goes on from a Buffer. */
function writeAll(fd: number, text: string): void {
  const n = writeSync(fd, text, null, 'utf8');
  if (n === Buffer.byteLength(text, 'utf8')) return;
  const buf = Buffer.from(text, 'utf8');
  for (let off = n; off < buf.length;) off += writeSync(fd, buf, off, buf.length - off);
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed or invalid: nothing to release
  }
}

function ignore(): void {
  /* best effort: see the callers */
}

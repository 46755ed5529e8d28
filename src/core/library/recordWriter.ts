// Writing `runToolCalls({ recordFile })`'s record (docs/library.md "What a record costs"). The
// record is only known when the last call ends, so everything else is done while the calls run:
// the temporary file is opened, and the record already at the path (the usual case: an agent
// writes the same path each turn) gets a second, hidden name. When the batch ends only
// serialise, write, close and rename remain, and the rename does not free the old record's
// blocks — on ext4 that freeing was most of the record's cost (0.8–2.5 ms of a 5 ms batch,
// measured; the rename itself is ~0.05 ms) — because the hidden name still holds them; it is
// unlinked afterwards in the thread pool, off the caller's path.
//
// The guarantees: a reader of the path sees the old record or the new one, never part of one
// (write to a temporary file beside it, then rename); when the returned promise resolves the new
// record is at the path, complete; when writing fails the old record is left as it was and the
// temporary file is removed. The hidden name is `.NAME.fanout-replaced`, a hard link to a record
// that is (or was) at the path: removing it at any time loses nothing, and the next write to the
// same path removes one left behind by a process that exited in between.
import { close, closeSync, linkSync, openSync, promises as fs, renameSync, unlink, write, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** Records up to this size (characters of JSON) are written synchronously (see PreparedRecord.commit). */
export const SYNC_WRITE_MAX_CHARS = 64 * 1024;

/** A record file being prepared while the batch runs. */
export interface PreparedRecord {
  /** Writes `text` and renames it over the path; resolves when the path holds it. */
  commit(text: string): Promise<void>;
  /** Gives up (the batch ended without a record): removes the temporary file and the hidden name. */
  abandon(): Promise<void>;
}

/** The hidden second name of the record at `target` while it is replaced. */
export function replacedName(target: string): string {
  return join(dirname(target), `.${basename(target)}.fanout-replaced`);
}

/**
 * Starts preparing the record at `path`: on the next event-loop turn (the calls have started and
 * the loop would otherwise wait for them) it opens the temporary file and links the current
 * record aside; if the batch ends first, `commit` does it. Synchronous calls: a few tens of µs on
 * an idle loop, where the thread pool's would be late on a loaded machine (each needs a thread
 * scheduled and a loop turn). Call it after the path was checked (runFilePathProblem); errors
 * here surface from `commit`. `whileIdle` is the caller's own work for that turn (runToolCalls
 * formats the record's head there).
 */
export function prepareRecord(path: string, whileIdle?: () => void): PreparedRecord {
  // Resolved now (a handler may change the working directory); the other names are made on the
  // idle turn, since before it the calls have not started yet (~20 µs, measured, of a ten-call
  // batch's critical path).
  const target = resolve(path);
  let names: { readonly target: string; readonly tmp: string; readonly aside: string } | undefined;
  const namesNow = (): { readonly target: string; readonly tmp: string; readonly aside: string } => {
    if (names) return names;
    names = { target, tmp: join(dirname(target), `.${basename(target)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`), aside: replacedName(target) };
    return names;
  };
  let state: { readonly fd: number; readonly aside: boolean } | { readonly error: unknown } | undefined;
  const prepare = (): { readonly fd: number; readonly aside: boolean } => {
    if (state === undefined) {
      try {
        const { tmp, aside } = namesNow();
        state = { fd: openSync(tmp, 'wx'), aside: linkAside(target, aside) };
      } catch (error) {
        state = { error };
      }
    }
    if ('error' in state) throw state.error;
    return state;
  };
  const tryPrepare = (): void => {
    try {
      prepare();
    } catch {
      // kept in `state`: commit reports it (recordError); thrown here it would end the process
    }
    try {
      whileIdle?.();
    } catch {
      // the caller's work, done again (and its error reported) when the batch ends
    }
  };
  const soon = setImmediate(tryPrepare);
  let done = false;
  const finish = (): void => {
    done = true;
    clearImmediate(soon);
    // The old record's last name: unlinked in the thread pool, where freeing its blocks holds
    // no one up (the point of the hidden name), and only on the next loop turn: handing work to
    // the pool wakes one of its threads, ~50 µs of the main thread on a loaded 2-core machine
    // (measured), which would otherwise come before runToolCalls resolves.
    if (state && 'fd' in state && state.aside) setImmediate(unlink, namesNow().aside, ignore);
  };
  return {
    async commit(text) {
      if (done) throw new Error('the record was already written');
      let fd: number | undefined;
      const { tmp } = namesNow();
      try {
        fd = prepare().fd;
        if (text.length <= SYNC_WRITE_MAX_CHARS) {
          // Synchronous: a write of a few KiB and a rename return from the page cache in tens
          // of µs, where each thread-pool round trip costs an event-loop turn.
          const open = fd;
          fd = undefined;
          try {
            writeAll(open, text);
          } finally {
            closeSync(open);
          }
          renameSync(tmp, target);
        } else {
          // A large record is written without holding the event loop.
          const open = fd;
          fd = undefined;
          try {
            const buf = Buffer.from(text, 'utf8');
            for (let off = 0; off < buf.length;) {
              const at = off;
              off += await new Promise<number>((ok, fail) => write(open, buf, at, buf.length - at, null, (e, n) => (e ? fail(e) : ok(n))));
            }
          } finally {
            await new Promise<void>((ok) => close(open, () => ok()));
          }
          await fs.rename(tmp, target);
        }
      } catch (err) {
        if (fd !== undefined) closeSync(fd);
        await fs.rm(tmp, { force: true }).catch(ignore);
        throw err;
      } finally {
        finish();
      }
    },
    async abandon() {
      if (done) return;
      const fd = state && 'fd' in state ? state.fd : undefined;
      finish();
      if (fd !== undefined) closeSync(fd);
      if (state && 'fd' in state) await fs.rm(namesNow().tmp, { force: true }).catch(ignore);
    },
  };
}

/**
 * Gives the record at `target` the hidden name `aside`; true when it did. No record there (a
 * new file) or a file system without hard links: false, and the rename frees the old one itself.
 * A hidden name already there was left by a process that ended between link and unlink (or is
 * another writer's, equally disposable): it is removed in the background, and this write goes
 * without one.
 */
function linkAside(target: string, aside: string): boolean {
  try {
    linkSync(target, aside);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') unlink(aside, ignore);
    return false;
  }
}

/** Writes the whole text: a string is encoded by writeSync itself; a short write (rare on a file) goes on from a Buffer. */
function writeAll(fd: number, text: string): void {
  const n = writeSync(fd, text, null, 'utf8');
  if (n === Buffer.byteLength(text, 'utf8')) return;
  const buf = Buffer.from(text, 'utf8');
  for (let off = n; off < buf.length;) off += writeSync(fd, buf, off, buf.length - off);
}

function ignore(): void {
  /* best effort: see the callers */
}

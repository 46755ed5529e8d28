// What `simulate` and `run` share: the flags, the invalid-plan path, the output (JSON record or
// terminal timeline) and writing the Chrome trace file atomically.

import { promises as fs } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { RunEvent, RunRecord } from '../../core/engine/types';
import type { JsonValue, Plan } from '../../core/plan/types';
import { jsonSizeWithin } from '../../core/engine/valueSize';
import { renderTimeline, type TimelineStream } from '../../core/render/timeline';
import { toChromeTrace } from '../../core/render/trace';
import { diagnosticJson } from '../../core/render/report';
import type { CliIO } from '../io';
import type { LoadedPlan } from '../input';
import { printDiagnostics } from './shared';

export function maxConcurrencyFlag(flags: Readonly<Record<string, unknown>>): { maxConcurrency?: number } {
  const n = flags['max-concurrency'];
  return typeof n === 'number' ? { maxConcurrency: n } : {};
}

export function printRecord(io: CliIO, record: RunRecord, plan: Plan, json: boolean, mode: 'simulated' | 'run'): void {
  if (json) io.stdout(recordJson(record) + '\n');
  else {
    const labels = new Map(plan.tools.map((t) => [t.id, t.label]));
    const stream = (record as RunRecord & { readonly stream?: TimelineStream }).stream;
    io.stdout(renderTimeline(record, { width: io.columns ?? 100, color: io.isTTY, title: plan.name, mode, labels, ...(stream ? { stream } : {}) }));
  }
}

/**
 * Indented when that stays small: indentation grows with depth on every line, so a record of
 * deeply nested outputs would be many times its compact size (the record itself is bounded by
 * MAX_RECORD_OUTPUT_CHARS). Past PRETTY_RECORD_CHARS the JSON is written compact.
 */
export function recordJson(record: RunRecord): string {
  const pretty = Number.isFinite(jsonSizeWithin(record as unknown as JsonValue, PRETTY_RECORD_CHARS, { indent: 2 }));
  return JSON.stringify(record, null, pretty ? 2 : undefined);
}

export const PRETTY_RECORD_CHARS = 16 * 1024 * 1024;

/**
 * An invalid plan: the errors as `file:line:column` lines on stderr and, with --json, one object on
 * stdout too ({ file, valid: false, diagnostics }, shaped as in `analyze --json`), so a script that
 * parses stdout gets the reasons rather than an empty string.
 */
export function printInvalid(io: CliIO, loaded: LoadedPlan, json: boolean): void {
  printDiagnostics(io, loaded, true);
  if (json) {
    const diagnostics = loaded.diagnostics.filter((d) => d.severity === 'error').map(diagnosticJson);
    io.stdout(JSON.stringify({ file: loaded.displayName, valid: false, diagnostics }, null, 2) + '\n');
  }
}

/** Checked before the run starts, so a typo in --trace costs nothing. Returns an error message or null. */
export async function checkTracePath(io: CliIO, file: string): Promise<string | null> {
  const path = resolve(io.cwd, file);
  try {
    const st = await fs.stat(dirname(path));
    if (!st.isDirectory()) return `cannot write the trace to '${file}': '${dirname(file)}' is not a directory.`;
  } catch {
    return `cannot write the trace to '${file}': the directory '${dirname(file)}' does not exist. Create it or choose another path.`;
  }
  try {
    if ((await fs.stat(path)).isDirectory()) return `cannot write the trace to '${file}': it is a directory. Give a file name such as run.trace.json.`;
  } catch {
    // Does not exist yet: fine.
  }
  return null;
}

/** Writes the trace next to its destination, then renames it: readers never see half a file. */
export async function writeTrace(io: CliIO, file: string, record: RunRecord, plan: Plan): Promise<string | null> {
  const path = resolve(io.cwd, file);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await fs.writeFile(tmp, JSON.stringify(toChromeTrace(record, plan)) + '\n', 'utf8');
    await fs.rename(tmp, path);
    return null;
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    return `could not write the trace to '${file}' (${err instanceof Error ? err.message : String(err)}).`;
  }
}

/**
 * A one-line live counter for a terminal's stderr; a no-op elsewhere. Calls whose MCP server
 * reports progress add their latest figure ("slow 3/10"), the first two of them, so the line
 * stays one line.
 */
export function progressReporter(io: CliIO, total: number): { onEvent: (e: RunEvent) => void; done: () => void } {
  const progress = io.progress;
  if (!progress) return { onEvent: () => undefined, done: () => undefined };
  const running = new Set<string>();
  const reported = new Map<string, string>();
  let finished = 0;
  let failed = 0;
  let last = -Infinity;
  // Throttled on the run's clock (the event's time), which is the wall clock in a real run.
  const show = (force: boolean, now: number): void => {
    if (!force && now - last < 50) return;
    last = now;
    const notes = [...reported].slice(0, 2).map(([id, p]) => ` · ${id} ${p}`).join('');
    progress(`fanout: ${finished}/${total} done · ${running.size} running${failed ? ` · ${failed} not succeeded` : ''}${notes}`);
  };
  return {
    onEvent(e) {
      switch (e.type) {
        case 'started':
          running.add(e.id);
          reported.delete(e.id);
          break;
        case 'progress':
          reported.set(e.id, e.total !== undefined ? `${e.progress}/${e.total}` : String(e.progress));
          show(false, e.at);
          return;
        case 'succeeded': case 'failed': case 'timed-out': case 'cancelled': case 'skipped': case 'denied':
          running.delete(e.id);
          reported.delete(e.id);
          finished++;
          if (e.type !== 'succeeded') failed++;
          break;
        default:
          return;
      }
      show(e.type !== 'started', e.at);
    },
    done: () => progress(''),
  };
}

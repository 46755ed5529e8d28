// Saving run records. Writes are atomic: the record goes to a temporary file in the same
// directory, which is then renamed over the target, so a reader (run history, a crashed or
// interrupted CLI) sees either the old complete file or the new complete file, never half of one.
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { RunRecord } from './types';

export async function writeRunRecord(path: string, record: RunRecord): Promise<void> {
  // Serialize first: a record that cannot be written must not even create the temp file.
  const text = `${JSON.stringify(record, null, 2)}\n`;
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'wx');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

/** Reads a record written by writeRunRecord, with a clear error when the file is not one. */
export async function readRunRecord(path: string): Promise<RunRecord> {
  const text = await readFile(path, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not a run record (invalid JSON: ${(e as Error).message})`);
  }
  if (!isRunRecord(value)) throw new Error(`${path}: not a run record (expected status, makespanMs and a tools array)`);
  return value;
}

export function isRunRecord(v: unknown): v is RunRecord {
  if (v === null || typeof v !== 'object') return false;
  const r = v as Record<string, unknown>;
  return typeof r.status === 'string' && typeof r.makespanMs === 'number' && Array.isArray(r.tools)
    && r.tools.every((t: unknown) => t !== null && typeof t === 'object' && typeof (t as Record<string, unknown>).id === 'string' && typeof (t as Record<string, unknown>).status === 'string');
}

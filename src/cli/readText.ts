// Reading `FILE` or `-` (standard input) as text, for every subcommand. Every way a read can fail
// becomes one clear sentence that says what is wrong and how to fix it. Apart from input.ts (which
// parses and analyses plans) so that `fanout audit` and start-up do not load the plan parser.

import { promises as fs, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliIO } from './io';

export const STDIN_NAME = '<stdin>';

export type InputResult =
  | { readonly ok: true; readonly text: string; /** As given, or `<stdin>`: used in `file:line:column`. */ readonly displayName: string; /** For format detection (.yaml vs .json); '' for stdin. */ readonly fileName: string }
  | { readonly ok: false; readonly displayName: string; readonly message: string };

/** Reads an input from a path (relative to io.cwd) or from standard input when the path is `-`. */
export async function readInput(file: string, io: CliIO, maxBytes: number): Promise<InputResult> {
  if (file === '-') {
    let text: string;
    try {
      text = await io.readStdin();
    } catch (err) {
      return { ok: false, displayName: STDIN_NAME, message: `could not read standard input (${errorText(err)}). Pipe a plan in, e.g. \`cat plan.toolplan.json | fanout analyze -\`.` };
    }
    if (text.length > maxBytes) return { ok: false, displayName: STDIN_NAME, message: tooBig(text.length, maxBytes) };
    return { ok: true, text, displayName: STDIN_NAME, fileName: '' };
  }
  const path = resolve(io.cwd, file);
  try {
    // stat first, so a directory or a multi-gigabyte file is refused before anything is read.
    const st = await fs.stat(path);
    if (st.isDirectory()) return { ok: false, displayName: file, message: `'${file}' is a directory. Give the path of a plan file (*.toolplan.json or *.toolplan.yaml) inside it.` };
    if (!st.isFile() && !st.isFIFO() && !st.isCharacterDevice()) return { ok: false, displayName: file, message: `'${file}' is not a regular file. Give the path of a plan file, or '-' to read standard input.` };
    if (st.isFile() && st.size > maxBytes) return { ok: false, displayName: file, message: tooBig(st.size, maxBytes) };
    // One read of the whole file (fs.promises.readFile reads a large file in pieces and joins them).
    const text = decodeText(readFileSync(path));
    if (text.length > maxBytes) return { ok: false, displayName: file, message: tooBig(text.length, maxBytes) };
    return { ok: true, text, displayName: file, fileName: file };
  } catch (err) {
    return { ok: false, displayName: file, message: readErrorMessage(file, err) };
  }
}

/**
 * Bytes → text. UTF-8 unless a byte order mark says UTF-16: Windows PowerShell 5 writes UTF-16LE
 * for `… > plan.json`, which read as UTF-8 looks like a binary file.
 */
export function decodeText(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2, bytes.length - ((bytes.length - 2) % 2)));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  return bytes.toString('utf8');
}

function readErrorMessage(file: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return `'${file}' does not exist. Check the path (it is relative to the current directory), or use '-' to read standard input.`;
    case 'ENOTDIR':
      return `'${file}' is not a valid path: a part of it is a file, not a directory. Check the path.`;
    case 'EISDIR':
      return `'${file}' is a directory. Give the path of a plan file (*.toolplan.json or *.toolplan.yaml) inside it.`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied reading '${file}'. Make the file readable (e.g. chmod u+r) or copy it somewhere you can read.`;
    case 'ENAMETOOLONG':
      return `the path '${file.slice(0, 80)}…' is too long. Shorten it.`;
    case 'ELOOP':
      return `'${file}' is a symbolic link loop. Point it at a real file.`;
    default:
      return `could not read '${file}' (${errorText(err)}). Check the path and try again.`;
  }
}

function tooBig(bytes: number, maxBytes: number): string {
  const mb = (n: number): string => (n / 1048576).toFixed(n < 10 * 1048576 ? 1 : 0);
  return `the input is ${mb(bytes)} MB; plans are limited to ${mb(maxBytes)} MB. Split the plan into smaller plans.`;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// Reading `FILE` or `-` (standard input) for every subcommand, then parsing and analysing it.
// Every way a read can fail becomes one clear sentence that says what is wrong and how to fix it,
// plus a `parse-error` diagnostic so `--json` callers still get a well-formed object.

import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import { analyze, type AnalyzeOptions } from '../core/analysis/analyze';
import type { Analysis } from '../core/analysis/types';
import { makeDiagnostic } from '../core/plan/diagnostics';
import { MAX_PLAN_BYTES, parsePlan } from '../core/plan/parse';
import { START_RANGE } from '../core/plan/positions';
import type { Diagnostic, ParseResult, Plan } from '../core/plan/types';
import type { CliIO } from './io';

export const STDIN_NAME = '<stdin>';

export type InputResult =
  | { readonly ok: true; readonly text: string; /** As given, or `<stdin>`: used in `file:line:column`. */ readonly displayName: string; /** For format detection (.yaml vs .json); '' for stdin. */ readonly fileName: string }
  | { readonly ok: false; readonly displayName: string; readonly message: string };

/** Reads a plan from a path (relative to io.cwd) or from standard input when the path is `-`. */
export async function readInput(file: string, io: CliIO, maxBytes: number = MAX_PLAN_BYTES): Promise<InputResult> {
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
    const text = decodeText(await fs.readFile(path));
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

/** Everything a command needs about one input: the read, the parse and (when a plan exists) the analysis. */
export interface LoadedPlan {
  readonly displayName: string;
  readonly fileName: string;
  /** A read failure (missing file, directory…); the diagnostics then hold one parse-error saying so. */
  readonly readError?: string;
  readonly parse?: ParseResult;
  /** Present whenever the text could be read as a plan, even an invalid one (levels are then empty). */
  readonly analysis?: Analysis;
  /** All diagnostics: the read failure, or parse + analysis diagnostics. */
  readonly diagnostics: readonly Diagnostic[];
  readonly valid: boolean;
}

/**
 * A step between parsing and analysis that may change the plan and add diagnostics (binding
 * imported calls to MCP servers and checking them: src/cli/mcp.ts). Undefined: nothing to do.
 */
export type PreparePlan = (parse: ParseResult) => Promise<{ readonly plan: Plan; readonly diagnostics: readonly Diagnostic[] } | undefined>;

/** readInput → parsePlan → (prepare) → analyze. `analyzeOptions` lets `simulate` plug in its makespan prediction. */
export async function loadPlan(file: string, io: CliIO, analyzeOptions: AnalyzeOptions = {}, prepare?: PreparePlan): Promise<LoadedPlan> {
  const input = await readInput(file, io);
  if (!input.ok) {
    const diagnostic = makeDiagnostic({ code: 'parse-error', range: START_RANGE, message: capitalise(input.message) });
    return { displayName: input.displayName, fileName: input.displayName, readError: input.message, diagnostics: [diagnostic], valid: false };
  }
  const parse = parsePlan(input.text, { fileName: input.fileName });
  if (!parse.plan) return { displayName: input.displayName, fileName: input.fileName, parse, diagnostics: parse.diagnostics, valid: false };
  const prepared = prepare ? await prepare(parse) : undefined;
  const analysis = analyze(prepared?.plan ?? parse.plan, prepared?.diagnostics ?? parse.diagnostics, analyzeOptions);
  return { displayName: input.displayName, fileName: input.fileName, parse, analysis, diagnostics: analysis.diagnostics, valid: analysis.valid };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

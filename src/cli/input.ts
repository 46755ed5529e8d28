// Reading `FILE` or `-` (standard input) for every subcommand (readText.ts), then parsing and
// analysing it. A read failure becomes a `parse-error` diagnostic so `--json` callers still get a
// well-formed object.

import { analyze, type AnalyzeOptions } from '../core/analysis/analyze';
import type { Analysis } from '../core/analysis/types';
import { makeDiagnostic } from '../core/plan/diagnostics';
import { MAX_PLAN_BYTES, parsePlan } from '../core/plan/parse';
import { START_RANGE } from '../core/plan/positions';
import type { Diagnostic, ParseResult, Plan } from '../core/plan/types';
import type { CliIO } from './io';
import { readInput as readText, type InputResult } from './readText';

export { decodeText, STDIN_NAME, type InputResult } from './readText';

/** Reads a plan from a path (relative to io.cwd) or from standard input when the path is `-`. */
export function readInput(file: string, io: CliIO, maxBytes: number = MAX_PLAN_BYTES): Promise<InputResult> {
  return readText(file, io, maxBytes);
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

// Parse + analyze one text (a whole document or a selection) and express every diagnostic in
// document offsets. Pure: no 'vscode', so the selection mapping is unit-tested in plain Node.
import { analyze, type AnalyzeOptions } from '../../core/analysis/analyze';
import type { EstimateTable } from '../../core/analysis/durations';
import type { Analysis } from '../../core/analysis/types';
import { parsePlan } from '../../core/plan/parse';
import type { Diagnostic, ParseResult } from '../../core/plan/types';
import { DOCUMENT_START, shiftDiagnostic, shiftRange, type TextBase } from './offsets';

export interface SourceOptions {
  readonly fileName: string;
  readonly defaultEstimateMs: number;
  readonly estimates?: EstimateTable;
  readonly predictMakespan?: AnalyzeOptions['predictMakespan'];
}

export interface SourceAnalysis {
  /** Where the analysed text starts in its document. */
  readonly base: TextBase;
  readonly parsed: ParseResult;
  /** Present when the text could be read as a plan. Its ranges are relative to the analysed text. */
  readonly analysis?: Analysis;
  /** Every diagnostic (parse + analysis), in DOCUMENT offsets, quick-fix edits included. */
  readonly diagnostics: readonly Diagnostic[];
}

export function analyzeSource(text: string, options: SourceOptions, base: TextBase = DOCUMENT_START): SourceAnalysis {
  const parsed = parsePlan(text, { fileName: options.fileName, defaultEstimateMs: options.defaultEstimateMs });
  if (!parsed.plan) return { base, parsed, diagnostics: parsed.diagnostics.map((d) => shiftDiagnostic(d, base)) };
  const analysis = analyze(parsed.plan, parsed.diagnostics, {
    text: parsed.text,
    defaultEstimateMs: options.defaultEstimateMs,
    ...(options.estimates ? { estimates: options.estimates } : {}),
    ...(options.predictMakespan ? { predictMakespan: options.predictMakespan } : {}),
  });
  return { base, parsed, analysis, diagnostics: analysis.diagnostics.map((d) => shiftDiagnostic(d, base)) };
}

/**
 * At most this many related entries per diagnostic: more push the quick fix out of the hover and
 * fill the Problems panel with rows (README, "In VS Code"); the count goes in the message instead.
 */
export const MAX_RELATED = 5;

export interface RelatedTools {
  readonly shown: readonly { id: string; offset: number; length: number }[];
  /** How many other tools the diagnostic names (shown + left out). */
  readonly total: number;
}

/** Tools named by a diagnostic other than the one it points at (the first MAX_RELATED), with their id ranges in document offsets. */
export function relatedTools(src: SourceAnalysis, d: Diagnostic): RelatedTools {
  const plan = src.analysis?.plan ?? src.parsed.plan;
  if (!plan || d.tools.length < 2) return { shown: [], total: 0 };
  const out: { id: string; offset: number; length: number }[] = [];
  const byId = new Map(plan.tools.map((t) => [t.id, t]));
  for (const id of d.tools) {
    const t = byId.get(id);
    if (!t) continue;
    const r = shiftRange(t.ranges.id ?? t.ranges.tool, src.base);
    const tool = shiftRange(t.ranges.tool, src.base);
    // Skip the tool the diagnostic itself points into.
    if (d.range.offset >= tool.offset && d.range.offset < tool.offset + tool.length) continue;
    out.push({ id, offset: r.offset, length: r.length });
  }
  return { shown: out.slice(0, MAX_RELATED), total: out.length };
}

/**
 * The diagnostic's message, with the number of related tools said when some are left out of the
 * related entries and the message does not already count them ("… and 15 more").
 */
export function messageWithCount(d: Diagnostic, related: RelatedTools): string {
  const hidden = related.total - related.shown.length;
  if (hidden <= 0 || /\band \d+ more\b/.test(d.message)) return d.message;
  return `${d.message} (${d.tools.length} tools involved; the first ${related.shown.length} are linked below.)`;
}

const RELATION: Partial<Record<Diagnostic['code'], string>> = {
  'write-conflict': 'also writes the same resource',
  cycle: 'is part of the cycle',
  'duplicate-call': 'makes the same call',
  'undeclared-dependency': 'is the tool whose output is referenced',
  'cpu-oversubscribed': 'is a CPU tool that may run at the same time',
  'duplicate-id': 'has the same id',
};

export function relationText(d: Diagnostic, id: string): string {
  return `'${id}' ${RELATION[d.code] ?? 'is involved'}`;
}

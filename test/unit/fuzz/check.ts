// One fuzz input through the pipeline the CLI runs (parse → analyze → JSON report, and for valid
// plans simulate → run record), classified against the contract in DESIGN.md §3: a clean,
// positioned error or a result whose JSON numbers are all finite — never a thrown exception.

import { analyze } from '../../../src/core/analysis/analyze';
import { predictMakespan, simulate } from '../../../src/core/engine/simulate';
import { parsePlan } from '../../../src/core/plan/parse';
import type { Diagnostic } from '../../../src/core/plan/types';
import { renderMermaid } from '../../../src/core/render/mermaid';
import { analyzeJson } from '../../../src/core/render/report';

export type Outcome = { readonly kind: 'ok' } | { readonly kind: 'crash' | 'bad'; readonly signature: string; readonly detail: string };

/** Messages of JavaScript's own errors: an input problem must be explained, not echoed from V8. */
const LEAKS = /Maximum call stack|Invalid string length|Cannot read propert|is not a function|is not iterable|undefined is not|Invalid array length|out of memory/i;

/** The first path to a number that is not finite (JSON.stringify would print it as null), or undefined. */
export function nonFinite(value: unknown, path = '$', seen = new Set<unknown>()): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} = ${value}`;
  if (!value || typeof value !== 'object' || seen.has(value)) return undefined;
  seen.add(value);
  if (ArrayBuffer.isView(value)) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = nonFinite(value[i], `${path}[${i}]`, seen);
      if (p) return p;
    }
    return undefined;
  }
  for (const k of Object.keys(value)) {
    const p = nonFinite((value as Record<string, unknown>)[k], `${path}.${k}`, seen);
    if (p) return p;
  }
  return undefined;
}

function badDiagnostic(d: Diagnostic, lineCount: number): string | undefined {
  const r = d.range;
  for (const n of [d.line, d.column, r.line, r.column, r.endLine, r.endColumn]) if (!Number.isInteger(n) || n < 1) return `range ${JSON.stringify(r)}`;
  if (r.line > lineCount) return `line ${r.line} past the end (${lineCount} lines)`;
  if (LEAKS.test(d.message)) return `leaked JS error: ${d.message.slice(0, 160)}`;
  if (!d.message.trim()) return 'empty message';
  return undefined;
}

function signatureOf(err: unknown): string {
  if (!(err instanceof Error)) return `throw ${typeof err}`;
  const frame = (err.stack ?? '').split('\n').find((l) => l.includes('/src/')) ?? '';
  return `${err.name}: ${err.message.slice(0, 80)} ${frame.trim().replace(/^at /, '').replace(/:\d+\)?$/, '')}`;
}

export async function checkInput(text: string, fileName: string): Promise<Outcome> {
  try {
    const parse = parsePlan(text, { fileName });
    let lineCount = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineCount++;
    for (const d of parse.diagnostics) {
      const why = badDiagnostic(d, lineCount);
      if (why) return { kind: 'bad', signature: `diagnostic ${d.code}: ${why.replace(/\d+/g, 'N').slice(0, 80)}`, detail: why };
    }
    if (!parse.plan) return parse.diagnostics.length ? { kind: 'ok' } : { kind: 'bad', signature: 'no plan and no diagnostic', detail: '' };
    const analysis = analyze(parse.plan, parse.diagnostics, { text: parse.text, predictMakespan: (p, g, d) => predictMakespan(p, g, d) });
    for (const d of analysis.diagnostics) {
      const why = badDiagnostic(d, lineCount);
      if (why) return { kind: 'bad', signature: `diagnostic ${d.code}: ${why.replace(/\d+/g, 'N').slice(0, 80)}`, detail: why };
    }
    const report = analyzeJson({ file: fileName, analysis, diagnostics: analysis.diagnostics, valid: analysis.valid });
    const nf = nonFinite(report);
    if (nf) return { kind: 'bad', signature: `analyze --json non-finite ${nf.replace(/\[\d+\]/g, '[]').replace(/= .*/, '')}`, detail: nf };
    JSON.stringify(report);
    if (!analysis.valid) return { kind: 'ok' };
    renderMermaid(analysis);
    const record = await simulate(analysis.plan, { durations: analysis.durations });
    const nr = nonFinite(record);
    if (nr) return { kind: 'bad', signature: `simulate --json non-finite ${nr.replace(/\[\d+\]/g, '[]').replace(/= .*/, '')}`, detail: nr };
    JSON.stringify(record);
    return { kind: 'ok' };
  } catch (err) {
    return { kind: 'crash', signature: signatureOf(err), detail: err instanceof Error ? (err.stack ?? err.message).slice(0, 600) : String(err) };
  }
}

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../src/core/analysis/analyze';
import type { Analysis } from '../../../src/core/analysis/types';
import { parsePlan } from '../../../src/core/plan/parse';
import type { Diagnostic, DiagnosticCode, ParseResult, Plan } from '../../../src/core/plan/types';

export function fixture(name: string): string {
  return readFileSync(join(__dirname, 'fixtures', name), 'utf8');
}

/** Parses and requires a plan. */
export function load(text: string, fileName?: string): { plan: Plan; result: ParseResult } {
  const result = parsePlan(text, fileName ? { fileName } : {});
  assert.ok(result.plan, `no plan: ${result.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('; ')}`);
  return { plan: result.plan, result };
}

export function analyzed(text: string, fileName?: string): Analysis {
  const { plan, result } = load(text, fileName);
  return analyze(plan, result.diagnostics, { cores: 4, text });
}

/** 1-based line/column of the n-th occurrence of `needle` (plus `shift` characters). */
export function where(text: string, needle: string, n = 0, shift = 0): { line: number; column: number } {
  let at = -1;
  for (let k = 0; k <= n; k++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at !== -1, `'${needle}' (#${n}) not in text`);
  }
  at += shift;
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return { line, column: at - (before.lastIndexOf('\n') + 1) + 1 };
}

export function pos(d: { line: number; column: number }): { line: number; column: number } {
  return { line: d.line, column: d.column };
}

export function codes(ds: readonly Diagnostic[]): DiagnosticCode[] {
  return ds.map((d) => d.code);
}

export function one(ds: readonly Diagnostic[], code: DiagnosticCode): Diagnostic {
  const found = ds.filter((d) => d.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got: ${ds.map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`).join('\n')}`);
  return found[0];
}

/** Args as plain JSON (they are null-prototype objects). */
export function plain(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v));
}

/** A recorded payload from test/fixtures/payloads (sources in its README.md). */
export function payload(name: string): string {
  return readFileSync(join(__dirname, '..', '..', 'fixtures', 'payloads', name), 'utf8');
}

/** The imported calls as the library sees them: provider id (or tool id), name, args as plain JSON. */
export function callsOf(plan: Plan): { id: string; name: string; args: unknown }[] {
  return plan.tools.map((t) => ({ id: t.callId ?? t.id, name: t.label, args: plain(t.args) }));
}

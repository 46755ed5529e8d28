import { strict as assert } from 'node:assert';
import { analyze, type AnalyzeOptions } from '../../../src/core/analysis/analyze';
import type { Analysis } from '../../../src/core/analysis/types';
import type { Diagnostic, DiagnosticCode, Plan } from '../../../src/core/plan/types';
import { parsePlan } from '../../../src/core/plan/parse';

/** Parses and analyses a plan text with every rule, quick fixes included. */
export function analyzeText(text: string, fileName = 'plan.toolplan.json', options: AnalyzeOptions = {}): Analysis {
  const parsed = parsePlan(text, { fileName });
  assert.ok(parsed.plan, `no plan: ${parsed.diagnostics.map((d) => d.message).join('; ')}`);
  return analyze(parsed.plan, parsed.diagnostics, { cores: 4, text, ...options });
}

export function withCode(a: Analysis, code: DiagnosticCode): Diagnostic[] {
  return a.diagnostics.filter((d) => d.code === code);
}

/** The one diagnostic of a code (fails when there are none or several). */
export function only(a: Analysis, code: DiagnosticCode): Diagnostic {
  const ds = withCode(a, code);
  assert.equal(ds.length, 1, `expected one ${code}, got ${ds.length}: ${a.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n')}`);
  return ds[0];
}

export function none(a: Analysis, code: DiagnosticCode): void {
  const ds = withCode(a, code);
  assert.equal(ds.length, 0, `expected no ${code}, got: ${ds.map((d) => d.message).join('\n')}`);
}

export function at(d: Diagnostic, line: number, column: number): void {
  assert.deepEqual({ line: d.line, column: d.column }, { line, column }, d.message);
}

/** The plan's meaning without positions: what a fix may change, compared before and after. */
export function meaning(plan: Plan): unknown {
  return JSON.parse(JSON.stringify({
    name: plan.name, maxConcurrency: plan.maxConcurrency, limits: { ...plan.limits }, defaults: plan.defaults, dedupe: plan.dedupe,
    failurePolicy: plan.failurePolicy,
    tools: plan.tools.map((t) => ({
      id: t.id, kind: t.kind, label: t.label, args: t.args, dependsOn: t.dependsOn, resource: t.resource, timeoutMs: t.timeoutMs,
      retries: t.retries, retryDelayMs: t.retryDelayMs, writes: t.writes, estimateMs: t.estimateMs,
    })),
  }));
}

/** A plan of n independent tools of one kind, as JSON. */
export function fanJson(n: number, tool: (i: number) => Record<string, unknown>, top: Record<string, unknown> = {}): string {
  const tools = Array.from({ length: n }, (_, i) => ({ id: `t${i}`, ...tool(i) }));
  return JSON.stringify({ name: 'fan', ...top, tools }, null, 2);
}

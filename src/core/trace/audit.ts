// `fanout audit`: read a trace, rebuild its turns, find what cost time, and schedule the same
// work with Fanout. auditTrace() is the one entry point the CLI and the editor use; auditJson()
// is the DESIGN §10 object (plus the fields the README documents).
import { makeDiagnostic } from '../plan/diagnostics';
import { LineIndex, START_RANGE } from '../plan/positions';
import type { Diagnostic, SourceRange } from '../plan/types';
import { diagnosticJson, type DiagnosticJson } from '../render/report';
import { counterfactual, type Counterfactual } from './counterfactual';
import { dataFlow, type FlowFacts } from './dataflow';
import type { NormalisedTrace, TraceFormat } from './model';
import { readTrace } from './read';
import { auditRules, type Finding } from './rules';
import { rebuildTurns, type Rebuilt } from './turns';

export interface AuditOptions {
  /** Cap on tool calls at once in the counterfactual (and what counts as idle concurrency). */
  readonly maxConcurrency?: number;
}

export interface AuditResult {
  readonly trace: NormalisedTrace;
  readonly rebuilt: Rebuilt;
  readonly flow: FlowFacts;
  readonly counterfactual: Counterfactual;
  readonly findings: readonly Finding[];
  /** Findings as positioned diagnostics (the span's id in the trace text), sorted by time. */
  readonly diagnostics: readonly Diagnostic[];
}

export function auditTrace(text: string, options: AuditOptions = {}): AuditResult {
  return auditNormalised(readTrace(text), text, options);
}

export function auditNormalised(trace: NormalisedTrace, text: string, options: AuditOptions = {}): AuditResult {
  const rebuilt = rebuildTurns(trace);
  const flow = dataFlow(rebuilt);
  const cf = counterfactual(rebuilt, flow, options);
  const findings = auditRules(rebuilt, flow, cf, options);
  const locator = new Locator(text);
  const ordered = [...findings].sort((a, b) => at(rebuilt, a) - at(rebuilt, b));
  const diagnostics = ordered.map((f) => {
    const first = f.tools[0];
    const range = first !== undefined ? locator.find(rebuilt.tools[first].span.locate) : START_RANGE;
    return makeDiagnostic({
      code: f.code, severity: f.severity, message: f.message, range,
      tools: f.tools.map((i) => rebuilt.tools[i].id),
      ...(f.suggestion ? { suggestion: f.suggestion } : {}),
    });
  });
  return { trace, rebuilt, flow, counterfactual: cf, findings: ordered, diagnostics };
}

function at(r: Rebuilt, f: Finding): number {
  const i = f.tools[0];
  return i === undefined ? 0 : r.tools[i].startedAt;
}

/** Finds where a span stands in the text: the first occurrence of its id as the value of an id key. */
class Locator {
  private lines?: LineIndex;
  constructor(private readonly text: string) {}

  find(id: string | undefined): SourceRange {
    if (!id) return START_RANGE;
    const quoted = JSON.stringify(id);
    let from = 0;
    let firstAny = -1;
    for (let guard = 0; guard < 1000; guard++) {
      const k = this.text.indexOf(quoted, from);
      if (k < 0) break;
      if (firstAny < 0) firstAny = k;
      // An id key just before (spanId, span_id, id, "context": {"span_id"…}), not parentSpanId / parent_id.
      const before = this.text.slice(Math.max(0, k - 24), k);
      if (/"(spanId|span_id|id)"\s*:\s*$/.test(before)) return this.range(k, quoted.length);
      from = k + quoted.length;
    }
    return firstAny >= 0 ? this.range(firstAny, quoted.length) : START_RANGE;
  }

  private range(offset: number, length: number): SourceRange {
    this.lines ??= new LineIndex(this.text);
    return this.lines.range(offset, length);
  }
}

/** The DESIGN §10 JSON object, plus `file`, `notes`, `contentCaptured`, `savings`, `counterfactual`. */
export interface AuditJson {
  readonly file: string;
  readonly format: TraceFormat;
  readonly turns: readonly { readonly id: string; readonly startedAt: number; readonly endedAt: number; readonly calls: readonly number[]; readonly model?: string; readonly lane: string }[];
  readonly tools: readonly {
    readonly id: string; readonly name: string; readonly turn: number | null; readonly startedAt: number; readonly endedAt: number; readonly status: string;
    readonly matchedBy: string; readonly error?: string; readonly readyAt?: number;
  }[];
  readonly diagnostics: readonly (DiagnosticJson & { readonly costMs?: number; readonly turn?: number })[];
  readonly actualMs: number;
  readonly counterfactualMs: number;
  readonly speedup: number;
  readonly savings: Counterfactual['savings'];
  readonly contentCaptured: boolean;
  readonly notes: readonly string[];
  readonly counterfactual: {
    readonly turns: readonly ({ readonly startedAt: number; readonly endedAt: number } | null)[];
    readonly tools: readonly { readonly startedAt: number; readonly endedAt: number; readonly turn: number | null }[];
  };
}

const r1 = (x: number): number => Math.round(x * 10) / 10;

export function auditJson(file: string, a: AuditResult): AuditJson {
  const { rebuilt: r, counterfactual: cf } = a;
  return {
    file,
    format: r.format,
    turns: r.turns.map((t) => ({ id: t.id, startedAt: r1(t.startedAt), endedAt: r1(t.endedAt), calls: t.calls, ...(t.span?.model ? { model: t.span.model } : {}), lane: t.lane })),
    tools: r.tools.map((t) => ({
      id: t.id, name: t.name, turn: t.turn >= 0 ? t.turn : null, startedAt: r1(t.startedAt), endedAt: r1(t.endedAt), status: t.status, matchedBy: t.matchedBy,
      ...(t.error ? { error: t.error } : {}), ...(t.readyAt !== undefined ? { readyAt: r1(t.readyAt) } : {}),
    })),
    diagnostics: a.diagnostics.map((d, k) => {
      const f = a.findings[k];
      return { ...diagnosticJson(d), ...(f.costMs !== undefined ? { costMs: r1(f.costMs) } : {}), ...(f.turn !== undefined ? { turn: f.turn } : {}) };
    }),
    actualMs: r1(cf.actualMs),
    counterfactualMs: r1(cf.counterfactualMs),
    speedup: cf.counterfactualMs > 0 ? Math.round((cf.actualMs / cf.counterfactualMs) * 100) / 100 : 1,
    savings: { serializedBatchMs: r1(cf.savings.serializedBatchMs), missedParallelismMs: r1(cf.savings.missedParallelismMs), turnsRemoved: cf.savings.turnsRemoved, turnsRemovedMs: r1(cf.savings.turnsRemovedMs) },
    contentCaptured: r.contentCaptured,
    notes: r.notes,
    counterfactual: {
      turns: cf.turns.map((t) => (t ? { startedAt: r1(t.startedAt), endedAt: r1(t.endedAt) } : null)),
      tools: cf.tools.map((t) => ({ startedAt: r1(t.startedAt), endedAt: r1(t.endedAt), turn: t.turn >= 0 ? t.turn : null })),
    },
  };
}

import type { Diagnostic, DiagnosticCode, QuickFix, Severity, SourceRange } from './types';
import { lessonFor } from './lessonIds';

export interface DiagnosticInit {
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly range: SourceRange;
  readonly tools?: readonly string[];
  readonly severity?: Severity;
  readonly suggestion?: string;
  readonly fix?: QuickFix;
}

const DEFAULT_SEVERITY: Record<DiagnosticCode, Severity> = {
  'parse-error': 'error', schema: 'error', 'duplicate-id': 'error', 'unknown-dependency': 'error',
  'self-dependency': 'error', cycle: 'error', 'unknown-reference': 'error',
  'undeclared-dependency': 'warning', 'unbounded-concurrency': 'warning', 'write-conflict': 'warning',
  'no-parallelism': 'info', 'cpu-oversubscribed': 'warning', 'duplicate-call': 'warning',
  'missing-timeout': 'warning', 'retry-not-idempotent': 'warning', straggler: 'info',
  'serialized-batch': 'warning', 'missed-parallelism': 'info', 'collateral-cancellation': 'warning',
  'unknown-tool': 'error', 'invalid-arguments': 'error', 'ambiguous-tool': 'warning',
};

export function makeDiagnostic(init: DiagnosticInit): Diagnostic {
  return {
    code: init.code,
    severity: init.severity ?? DEFAULT_SEVERITY[init.code],
    message: init.message,
    tools: init.tools ?? [],
    line: init.range.line,
    column: init.range.column,
    range: init.range,
    lesson: lessonFor(init.code),
    ...(init.suggestion !== undefined ? { suggestion: init.suggestion } : {}),
    ...(init.fix !== undefined ? { fix: init.fix } : {}),
  };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sort by position, then severity, so reports read top to bottom. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  return [...diagnostics].sort((a, b) => a.range.offset - b.range.offset || rank[a.severity] - rank[b.severity] || a.code.localeCompare(b.code));
}

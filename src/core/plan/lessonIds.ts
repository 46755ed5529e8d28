import type { DiagnosticCode } from './types';

// Every diagnostic links to the course step that explains it. The course loader checks that
// each of these step ids exists, so a renamed step breaks a test, not a link.
export const DIAGNOSTIC_LESSONS: Readonly<Record<DiagnosticCode, string>> = {
  'parse-error': 'plan-format',
  schema: 'plan-format',
  'duplicate-id': 'plan-format',
  'unknown-dependency': 'dependencies',
  'self-dependency': 'dependencies',
  cycle: 'dependencies',
  'unknown-reference': 'dependencies',
  'undeclared-dependency': 'dependencies',
  'unbounded-concurrency': 'resources',
  'write-conflict': 'pitfalls',
  'no-parallelism': 'when-not-to-parallelise',
  'cpu-oversubscribed': 'concurrency-vs-parallelism',
  'duplicate-call': 'optimisation',
  'missing-timeout': 'failures',
  'retry-not-idempotent': 'failures',
  straggler: 'optimisation',
  'serialized-batch': 'sequential-baseline',
  'missed-parallelism': 'dependencies',
  'collateral-cancellation': 'failures',
  'unknown-tool': 'plan-format',
  'invalid-arguments': 'plan-format',
  'ambiguous-tool': 'plan-format',
};

export function lessonFor(code: DiagnosticCode): string {
  return DIAGNOSTIC_LESSONS[code];
}

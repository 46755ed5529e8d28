// "Learn why" lands on the section that explains a diagnostic, not on the top of a long step.
// Sections are named by the slug of their heading (headingSlug); the course validator checks that
// every slug below exists in the step DIAGNOSTIC_LESSONS names, so a renamed heading breaks a test,
// not a link. The host's Markdown renderer marks each heading with data-section="<slug>".
import type { DiagnosticCode } from '../plan/types';

/** `## 3. Unbounded fan-out — \`unbounded-concurrency\`` → `3-unbounded-fan-out-unbounded-concurrency`. */
export function headingSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[`*_~[\]()]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

export const DIAGNOSTIC_SECTIONS: Readonly<Record<DiagnosticCode, string>> = {
  'parse-error': 'errors-the-parser-reports',
  schema: 'errors-the-parser-reports',
  'duplicate-id': 'errors-the-parser-reports',
  'unknown-tool': 'calls-checked-against-their-tools',
  'invalid-arguments': 'calls-checked-against-their-tools',
  'ambiguous-tool': 'calls-checked-against-their-tools',
  'unknown-dependency': 'errors-that-stop-a-plan',
  'self-dependency': 'errors-that-stop-a-plan',
  cycle: 'errors-that-stop-a-plan',
  'unknown-reference': 'errors-that-stop-a-plan',
  'undeclared-dependency': 'passing-outputs',
  'unbounded-concurrency': 'why-40-at-once-hurts',
  'write-conflict': '5-write-race-write-conflict',
  'no-parallelism': '1-the-plan-is-a-chain',
  'cpu-oversubscribed': 'oversubscription',
  'duplicate-call': '2-dedupe-and-cache',
  'missing-timeout': 'timeouts-every-call-that-waits-on-the-world-needs-one',
  'retry-not-idempotent': 'idempotency-only-retry-what-is-safe-to-repeat',
  straggler: 'stragglers',
  'serialized-batch': 'finding-it-in-a-recorded-trace-serialized-batch',
  'missed-parallelism': 'dependencies-in-a-recorded-trace-missed-parallelism',
  'collateral-cancellation': 'collateral-cancellation-in-a-recorded-trace',
};

export function sectionFor(code: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(DIAGNOSTIC_SECTIONS, code) ? DIAGNOSTIC_SECTIONS[code as DiagnosticCode] : undefined;
}

/**
 * The text of one section: its heading line and everything up to the next heading of the same or a
 * higher level (fenced code included, headings inside it ignored). Undefined when no heading has the slug.
 */
export function sectionText(body: string, slug: string): string | undefined {
  const lines = body.split('\n');
  let fenced = false;
  let start = -1;
  let level = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) continue;
    const m = /^(#{2,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    if (start >= 0 && m[1].length <= level) return lines.slice(start, i).join('\n');
    if (start < 0 && headingSlug(m[2]) === slug) {
      start = i;
      level = m[1].length;
    }
  }
  return start >= 0 ? lines.slice(start).join('\n') : undefined;
}

/** The slugs of a step body's headings (## and deeper; fenced code skipped). */
export function bodySections(body: string): Set<string> {
  const out = new Set<string>();
  let fenced = false;
  for (const line of body.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    else if (!fenced) {
      const m = /^#{2,6}\s+(.+?)\s*#*\s*$/.exec(line);
      if (m) out.add(headingSlug(m[1]));
    }
  }
  return out;
}

// The audit's answers must not change when its speed does (issue 17): the `--json` object and
// the text report of generated traces (the bench's shape, mid-size, and varied ones that touch
// every rule, see variedTrace.ts) and of the public fixtures, compared with snapshots taken before
// the audit was made faster. One small case is kept whole (a readable diff); the others as a
// SHA-256 of the output with a few headline figures. After a deliberate change of results:
// UPDATE_AUDIT_SNAPSHOTS=1 npx mocha --no-config --no-package -r tsx/cjs test/unit/trace/auditSnapshot.test.ts
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditJson, auditTrace, writeAuditJson, type AuditOptions } from '../../../src/core/trace/audit';
import { renderAuditReport } from '../../../src/core/trace/report';
import { canonical } from '../../../src/core/trace/turns';
import type { JsonValue } from '../../../src/core/plan/types';
import { largeTraceText } from '../../bench/traceText';
import { variedTraceText } from './variedTrace';

const FIX = join(__dirname, '..', '..', 'fixtures', 'traces');
const SNAP = join(__dirname, 'snapshots');
const DIGESTS = join(SNAP, 'audit-digests.json');
const WHOLE = join(SNAP, 'varied-150.audit.json');
const update = process.env.UPDATE_AUDIT_SNAPSHOTS === '1';

interface Digest {
  readonly json: string;
  readonly report: string;
  readonly turns: number;
  readonly tools: number;
  readonly diagnostics: Readonly<Record<string, number>>;
  readonly actualMs: number;
  readonly counterfactualMs: number;
}

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

function run(name: string, text: string, options: AuditOptions = {}): { digest: Digest; json: string } {
  const a = auditTrace(text, options);
  const j = auditJson(name, a);
  const json = JSON.stringify(j, null, 1);
  // The CLI writes large audits in pieces (writeAuditJson): the same text as the object's.
  const pieces: string[] = [];
  writeAuditJson(name, a, (t) => pieces.push(t));
  assert.equal(pieces.join(''), JSON.stringify(j), `${name}: writeAuditJson`);
  const counts: Record<string, number> = {};
  for (const d of j.diagnostics) counts[d.code] = (counts[d.code] ?? 0) + 1;
  const report = renderAuditReport(name, a, { width: 100 });
  return { json, digest: { json: sha(json), report: sha(report), turns: j.turns.length, tools: j.tools.length, diagnostics: counts, actualMs: j.actualMs, counterfactualMs: j.counterfactualMs } };
}

/** The cases: name → trace text and options. Generated traces are seeded: the same text every run. */
function cases(): [string, () => string, AuditOptions][] {
  const out: [string, () => string, AuditOptions][] = [
    ['bench-shape-3000-content', () => largeTraceText(3000, { content: true }), {}],
    ['bench-shape-3000-timing', () => largeTraceText(3000, { content: false }), {}],
    ['bench-shape-3000-content-cap4', () => largeTraceText(3000, { content: true }), { maxConcurrency: 4 }],
    ['varied-4000-content', () => variedTraceText(4000, 5), {}],
    ['varied-4000-timing', () => variedTraceText(4000, 6, { content: false }), {}],
    ['varied-2000-one-lane', () => variedTraceText(2000, 7, { lanes: 1 }), {}],
    ['varied-2000-cap3', () => variedTraceText(2000, 8), { maxConcurrency: 3 }],
  ];
  for (const f of readdirSync(FIX).filter((x) => x.endsWith('.json')).sort()) out.push([`fixture-${f}`, () => readFileSync(join(FIX, f), 'utf8'), {}]);
  return out;
}

describe('trace audit: results are the snapshots taken before it was made faster', function () {
  this.timeout(120_000);

  it('a small varied trace, whole (--json output)', () => {
    const { json } = run('varied-150.json', variedTraceText(150, 3));
    if (update) writeFileSync(WHOLE, json + '\n');
    assert.equal(json + '\n', readFileSync(WHOLE, 'utf8'));
  });

  it('mid-size generated traces and the public fixtures: the same JSON and report (SHA-256)', () => {
    const got: Record<string, Digest> = {};
    for (const [name, text, options] of cases()) got[name] = run(`${name}.json`, text(), options).digest;
    if (update) writeFileSync(DIGESTS, JSON.stringify(got, null, 2) + '\n');
    const want = JSON.parse(readFileSync(DIGESTS, 'utf8')) as Record<string, Digest>;
    for (const name of Object.keys(want)) assert.deepEqual(got[name], want[name], name);
    assert.deepEqual(Object.keys(got), Object.keys(want));
  });
});

describe('trace audit: canonical arguments (retries and duplicates compare calls by them)', () => {
  // The definition canonical() had before it was made faster: sorted keys at every level.
  const reference = (v: JsonValue): string => {
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    if (Array.isArray(v)) return `[${v.map(reference).join(',')}]`;
    const o = v as { readonly [k: string]: JsonValue };
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${reference(o[k])}`).join(',')}}`;
  };
  it('is the sorted-keys JSON, whether the keys came in order or not', () => {
    const values: JsonValue[] = [
      1, -0, 1e21, 'a"\\\u2028', null, true, [], {}, [1, [2, { b: 1, a: [null, 'x'] }]], { z: 1, a: 2, m: { y: [], b: {} } },
      { a: 1, b: { c: [{ d: 1, e: 2 }] } }, { '10': 1, '9': 2, b: 3, A: 4, é: 5 }, JSON.parse('{"__proto__": {"b": 1, "a": 2}}') as JsonValue,
      JSON.parse('[{"q": "item1"}, {"page": 2, "q": "x"}, {"q": "x", "page": 2}]') as JsonValue,
    ];
    for (const v of values) assert.equal(canonical(v), reference(v), JSON.stringify(v));
  });
});

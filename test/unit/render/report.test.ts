import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/core/analysis/analyze';
import { analyzeJson, formatDiagnostic, renderReport } from '../../../src/core/render/report';
import { stripAnsi } from '../../../src/core/render/style';
import { analyzeText } from '../helpers/analyzeText';
import { makePlan } from '../helpers/planBuilder';

const PLAN = JSON.stringify({
  name: 'Report plan',
  maxConcurrency: 2,
  tools: [
    { id: 'a', kind: 'simulate', args: { durationMs: 300 } },
    { id: 'b', kind: 'simulate', args: { durationMs: 100 } },
    { id: 'c', kind: 'simulate', args: { durationMs: 200, result: '${a.output}' } },
  ],
}, null, 2);

describe('render/report', () => {
  it('prints title, summary, critical path, estimate and levels', () => {
    const a = analyzeText(PLAN);
    const text = renderReport({ file: 'p.toolplan.json', analysis: a, diagnostics: a.diagnostics, valid: a.valid });
    const lines = text.split('\n');
    assert.equal(lines[0], 'Report plan — p.toolplan.json (native)');
    assert.match(lines[1], /^✓ valid · 3 tools · 1 dependency · 2 levels · max width 2 · cap 2$/);
    assert.match(text, /^Critical path {2}500 ms {2}a → c$/m);
    assert.match(text, /^Estimate {2}sequential 600 ms → parallel \(lower bound\) 500 ms · speedup 1\.2×$/m);
    assert.match(text, /^ {2}1 {2}a, b \(2\)$/m);
    assert.match(text, /^ {2}2 {2}c \(1\)$/m);
    assert.doesNotMatch(text, /\u001b\[/, 'no colour unless asked');
  });

  it('lists diagnostics as file:line:column severity code message, with suggestion and lesson', () => {
    const a = analyzeText(PLAN);
    const d = a.diagnostics.find((x) => x.code === 'undeclared-dependency');
    assert.ok(d);
    const text = renderReport({ file: 'p.toolplan.json', analysis: a, diagnostics: a.diagnostics, valid: a.valid });
    assert.ok(text.includes(`p.toolplan.json:${d.line}:${d.column} warning undeclared-dependency ${d.message}`), text);
    assert.match(text, /^ {4}learn: dependencies$/m);
    assert.match(text, /^Diagnostics \(0 errors, 1 warning, \d+ info\)$/m);
  });

  it('colours severities only when asked, and keeps the same text underneath', () => {
    const a = analyzeText(PLAN);
    const subject = { file: 'p.toolplan.json', analysis: a, diagnostics: a.diagnostics, valid: a.valid };
    const coloured = renderReport(subject, { color: true });
    assert.match(coloured, /\u001b\[33mwarning\u001b\[39m/);
    assert.equal(stripAnsi(coloured), renderReport(subject));
  });

  it('neutralises terminal escapes in plan text', () => {
    const plan = { ...makePlan([{ id: 'a', durationMs: 1 }]), name: 'evil\u001b]0;pwned\u0007name' };
    const a = analyze(plan);
    const text = renderReport({ file: 'x', analysis: a, diagnostics: a.diagnostics, valid: a.valid });
    assert.doesNotMatch(text, /\u001b|\u0007/);
    assert.match(text, /evil\\x1b\]0;pwned\\x07name/);
  });

  it('reports an unreadable input and builds a well-formed JSON object for it', () => {
    const d = analyzeText(PLAN).diagnostics[0];
    const subject = { file: 'missing.json', diagnostics: [{ ...d, code: 'parse-error' as const, severity: 'error' as const, message: 'gone' }], valid: false };
    assert.match(renderReport(subject), /missing\.json: ✗ not a readable plan/);
    const j = analyzeJson(subject);
    assert.deepEqual(Object.keys(j).sort(), ['criticalPath', 'diagnostics', 'estimate', 'file', 'levels', 'mermaid', 'plan', 'tools', 'valid']);
    assert.equal(j.valid, false);
    assert.deepEqual(j.plan, { name: '', format: 'native', tools: 0, edges: 0 });
    assert.deepEqual(j.tools, []);
    assert.equal(j.diagnostics[0].code, 'parse-error');
    // Input recognised but not imported (DESIGN §6): the detected format is still reported.
    assert.equal(analyzeJson({ ...subject, format: 'gemini' }).plan.format, 'gemini');
    assert.match(renderReport({ ...subject, format: 'gemini' }), /not a readable plan \(gemini\)/);
  });

  it('JSON lists the tools in plan order with label, kind and dependsOn (DESIGN §6), and imported calls keep their provider id', () => {
    const llm = analyzeJson({ file: 'p.txt', ...subjectOf(analyzeText('1. search("a")\n2. search("b")\n3. join_all($1, $2)\n4. join()\n', 'p.txt')) });
    assert.deepEqual(llm.tools, [
      { id: 's1', label: 'search', kind: 'simulate', dependsOn: [] },
      { id: 's2', label: 'search', kind: 'simulate', dependsOn: [] },
      { id: 's3', label: 'join_all', kind: 'simulate', dependsOn: ['s1', 's2'] },
    ]);
    const msg = JSON.stringify({ role: 'assistant', tool_calls: [{ id: 'call 1', type: 'function', function: { name: 'f', arguments: '{}' } }] });
    const openai = analyzeJson({ file: 'm.json', ...subjectOf(analyzeText(msg, 'm.json')) });
    assert.deepEqual(openai.tools, [{ id: 'call_1', label: 'f', kind: 'simulate', dependsOn: [], callId: 'call 1' }]);
    const native = analyzeJson({ file: 'p.json', ...subjectOf(analyzeText(PLAN)) });
    assert.deepEqual(native.tools.map((t) => t.label), native.tools.map((t) => t.id));
  });

  it('JSON carries the contract fields and the added ones', () => {
    const a = analyzeText(PLAN);
    const j = analyzeJson({ file: 'p', analysis: a, diagnostics: a.diagnostics, valid: a.valid });
    assert.deepEqual(j.plan, { name: 'Report plan', format: 'native', tools: 3, edges: 1 });
    assert.deepEqual(j.levels, [['a', 'b'], ['c']]);
    assert.deepEqual(j.criticalPath, { tools: ['a', 'c'], ms: 500 });
    assert.deepEqual(j.estimate, { sequentialMs: 600, parallelMs: 500, speedup: 1.2, maxWidth: 2, lowerBoundMs: 500 });
    const d = j.diagnostics[0];
    for (const k of ['code', 'severity', 'message', 'tools', 'line', 'column', 'endLine', 'endColumn', 'lesson']) assert.ok(k in d, k);
    assert.match(j.mermaid, /^flowchart LR/);
  });

  it('formatDiagnostic names the quick fix when there is one', () => {
    const a = analyzeText(PLAN);
    const d = a.diagnostics.find((x) => x.fix);
    assert.ok(d, 'undeclared-dependency offers a fix when text is given');
    assert.match(formatDiagnostic('f', d), /\n {4}quick fix: /);
  });
});

function subjectOf(a: ReturnType<typeof analyzeText>): { analysis: typeof a; diagnostics: typeof a.diagnostics; valid: boolean } {
  return { analysis: a, diagnostics: a.diagnostics, valid: a.valid };
}

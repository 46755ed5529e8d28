import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/core/analysis/analyze';
import { parsePlan } from '../../../src/core/plan/parse';
import { simulate } from '../../../src/core/engine/simulate';
import type { Analysis } from '../../../src/core/analysis/types';

function analyzeAny(text: string, fileName = 'plan.toolplan.json'): Analysis {
  const parsed = parsePlan(text, { fileName });
  assert.ok(parsed.plan, parsed.diagnostics.map((d) => d.message).join('; '));
  return analyze(parsed.plan, parsed.diagnostics, { cores: 4 });
}

const codes = (a: Analysis): string[] => a.diagnostics.map((d) => d.code);

describe('graph errors', () => {
  it('reports a cycle even when another tool depends on itself or on an unknown id', () => {
    const text = [
      '{"tools":[',
      '  {"id":"a","kind":"simulate","args":{"durationMs":1},"dependsOn":["c"]},',
      '  {"id":"b","kind":"simulate","args":{"durationMs":1},"dependsOn":["a"]},',
      '  {"id":"c","kind":"simulate","args":{"durationMs":1},"dependsOn":["b"]},',
      '  {"id":"d","kind":"simulate","args":{"durationMs":1},"dependsOn":["d"]},',
      '  {"id":"e","kind":"simulate","args":{"durationMs":1},"dependsOn":["zzz"]}',
      ']}',
    ].join('\n');
    const a = analyzeAny(text);
    assert.equal(a.valid, false);
    assert.deepEqual(codes(a).sort(), ['cycle', 'self-dependency', 'unknown-dependency']);
    const cycle = a.diagnostics.find((d) => d.code === 'cycle');
    assert.ok(cycle);
    assert.match(cycle.message, /a → b → c → a|b → c → a → b|c → a → b → c/);
    assert.deepEqual([...(cycle.tools ?? [])].sort(), ['a', 'b', 'c']);
  });

  it('puts the cycle on the dependsOn entry that closes it', () => {
    const text = [
      'tools:',
      '  - id: a',
      '    kind: simulate',
      '    args: { durationMs: 1 }',
      '    dependsOn: [x, b]',
      '  - id: b',
      '    kind: simulate',
      '    args: { durationMs: 1 }',
      '    dependsOn: [a]',
      '  - id: x',
      '    kind: simulate',
      '    args: { durationMs: 1 }',
    ].join('\n');
    const a = analyzeAny(text, 'p.toolplan.yaml');
    const cycle = a.diagnostics.find((d) => d.code === 'cycle');
    assert.ok(cycle, codes(a).join());
    const onA = cycle.tools?.[0] === 'a';
    // Either a's entry 'b' (line 5, column 20) or b's entry 'a' (line 9, column 17).
    assert.deepEqual([cycle.line, cycle.column], onA ? [5, 20] : [9, 17]);
  });
});

describe('critical path', () => {
  it('with zero (tied) durations, names the whole chain rather than its first tool', () => {
    const a = analyzeAny([
      'tools:',
      '  - { id: a, kind: simulate, args: { durationMs: 0 } }',
      '  - { id: c, kind: simulate, args: { durationMs: 0 } }',
      '  - { id: b, kind: simulate, args: { durationMs: 0 }, dependsOn: [c, a] }',
      '  - { id: d, kind: simulate, args: { durationMs: 0 }, dependsOn: [b] }',
    ].join('\n'), 'p.toolplan.yaml');
    assert.deepEqual(a.criticalPath, { tools: ['c', 'b', 'd'], ms: 0 });
  });

  it('hand-computed: levels, critical path, sequential sum and speedup rounded to 2 decimals', () => {
    const a = analyzeAny([
      'tools:',
      '  - { id: a, kind: simulate, args: { durationMs: 100 } }',
      '  - { id: b, kind: simulate, args: { durationMs: 200 } }',
      '  - { id: c, kind: simulate, args: { durationMs: 300 } }',
      '  - { id: d, kind: simulate, args: { durationMs: 400 }, dependsOn: [a, b] }',
      '  - { id: e, kind: simulate, args: { durationMs: 50 }, dependsOn: [c, d] }',
    ].join('\n'), 'p.toolplan.yaml');
    assert.deepEqual(a.levels, [['a', 'b', 'c'], ['d'], ['e']]);
    assert.deepEqual(a.criticalPath, { tools: ['b', 'd', 'e'], ms: 650 });
    assert.equal(a.estimate.sequentialMs, 1050);
    assert.equal(a.estimate.maxWidth, 3);
    assert.equal(a.estimate.speedup, 1.62);
  });
});

describe('lower bound', () => {
  const limited = [
    'limits: { api: 2 }',
    'tools:',
    ...[1, 2, 3, 4, 5, 6, 7, 8].map((i) => `  - { id: t${i}, kind: simulate, args: { durationMs: 100 }, resource: api }`),
    '  - { id: other, kind: simulate, args: { durationMs: 100 } }',
  ].join('\n');

  it('counts a limited resource: 8 × 100 ms on a resource limited to 2 take at least 400 ms', () => {
    assert.equal(analyzeAny(limited, 'p.toolplan.yaml').estimate.lowerBoundMs, 400);
  });

  it('simulate agrees: the run record lower bound counts the resource too, and the makespan meets it', async () => {
    const parsed = parsePlan(limited, { fileName: 'p.toolplan.yaml' });
    assert.ok(parsed.plan);
    const record = await simulate(parsed.plan);
    assert.equal(record.lowerBoundMs, 400);
    assert.equal(record.makespanMs, 400);
  });
});

describe('reference positions', () => {
  const text = [
    'tools:',
    '  - id: a',
    '    kind: simulate',
    '    args:',
    '      durationMs: 5',
    '      result: { x: 1 }',
    '  - id: b',
    '    kind: simulate',
    '    args:',
    '      durationMs: 5',
    '      nested:',
    '        msg: "value ${a.output.x} and ${nope.output}"',
  ].join('\n');

  it('unknown-reference points at the reference itself, not at args; undeclared-dependency stays on args', () => {
    const parsed = parsePlan(text, { fileName: 'p.toolplan.yaml' });
    assert.ok(parsed.plan);
    const unknown = analyze(parsed.plan, parsed.diagnostics).diagnostics.find((d) => d.code === 'unknown-reference');
    assert.ok(unknown);
    assert.deepEqual([unknown.line, unknown.column], [12, 39]);
    const fixed = text.replace(' and ${nope.output}', '');
    const p2 = parsePlan(fixed, { fileName: 'p.toolplan.yaml' });
    assert.ok(p2.plan);
    const undeclared = analyze(p2.plan, p2.diagnostics).diagnostics.find((d) => d.code === 'undeclared-dependency');
    assert.ok(undeclared);
    // On args, where the VS Code squiggle and its quick fix live (test/vscode relies on it).
    assert.deepEqual([undeclared.line, undeclared.column], [10, 7]);
  });

  it('a reference behind a JSON escape falls back to its string', () => {
    const json = '{"tools":[{"id":"a","kind":"simulate","args":{"durationMs":1}},{"id":"b","kind":"simulate","args":{"durationMs":1,"m":"\\u0024{zz.output}"}}]}';
    const parsed = parsePlan(json, { fileName: 'p.toolplan.json' });
    assert.ok(parsed.plan);
    const d = analyze(parsed.plan, parsed.diagnostics).diagnostics.find((x) => x.code === 'unknown-reference');
    assert.ok(d);
    assert.deepEqual([d.line, d.column], [1, json.indexOf('"\\u0024') + 1]);
  });
});

describe('tools the schema rejected', () => {
  it('a dependency on a tool with a bad kind is not reported again as unknown (no "did you mean" for an id that exists)', () => {
    const text = [
      'tools:',
      '  - { id: a, kind: simulate, args: { durationMs: 5 } }',
      '  - { id: b, kind: simulat, args: { durationMs: 5 }, dependsOn: [a] }',
      '  - { id: c, kind: simulate, args: { durationMs: 5, q: "${b.output}" }, dependsOn: [b] }',
      '  - { id: d, kind: simulate, args: { durationMs: 5 }, dependsOn: [zz] }',
    ].join('\n');
    const a = analyzeAny(text, 'p.toolplan.yaml');
    assert.equal(a.valid, false);
    assert.deepEqual(codes(a).sort(), ['schema', 'unknown-dependency']);
    assert.match(a.diagnostics.find((d) => d.code === 'unknown-dependency')?.message ?? '', /'zz'/);
  });
});

describe('long cycles', () => {
  it('a cycle through 500 tools keeps a readable message, and its tools list names all of them', () => {
    const tools = Array.from({ length: 500 }, (_, i) => ({ id: `c${i}`, kind: 'simulate', args: { durationMs: 1 }, dependsOn: [`c${(i + 499) % 500}`] }));
    const a = analyzeAny(JSON.stringify({ tools }));
    const d = a.diagnostics.find((x) => x.code === 'cycle');
    assert.ok(d);
    assert.equal(d.tools?.length, 500);
    assert.ok(d.message.length < 2000, `${d.message.length} characters`);
    assert.match(d.message, /… 420 more … .*\(500 tools\)/);
  });
});

describe('many bad ids', () => {
  it('"did you mean" is computed for the first 20 unknown ids only (5000 of them used to take 18 s)', () => {
    const tools = Array.from({ length: 5000 }, (_, i) => ({ id: `t${i}`, kind: 'simulate', args: { durationMs: 1 }, dependsOn: [`x${i}`] }));
    const a = analyzeAny(JSON.stringify({ tools }));
    const unknown = a.diagnostics.filter((d) => d.code === 'unknown-dependency');
    assert.equal(unknown.length, 5000);
    const suggested = unknown.filter((d) => /Did you mean/.test(d.message)).length;
    assert.ok(suggested > 0 && suggested <= 20, String(suggested));
  });
});

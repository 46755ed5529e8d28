import { strict as assert } from 'node:assert';
import { parsePlan } from '../../src/core/plan/parse';

const codes = (text: string, fileName?: string) => parsePlan(text, { fileName }).diagnostics.map((d) => d.code);

describe('parsePlan (native)', () => {
  const yaml = [
    'name: Trip planner',
    'maxConcurrency: 4',
    'limits: { weather-api: 2 }',
    'failurePolicy: fail-fast',
    'defaults: { timeoutMs: 5000, retries: 1, retryDelayMs: 200 }',
    'tools:',
    '  - id: weather',
    '    kind: simulate',
    '    args: { durationMs: 800, result: { tempC: 21 } }',
    '    resource: weather-api',
    '  - id: summary',
    '    kind: shell',
    '    args: { command: "echo It is ${weather.output.tempC} C" }',
    '    dependsOn: [weather]',
    '    timeoutMs: 2000',
    '    retries: 2',
    '    writes: [summary.txt]',
  ].join('\n');

  it('reads the DESIGN.md example in YAML with every field', () => {
    const r = parsePlan(yaml, { fileName: 'trip.toolplan.yaml' });
    assert.deepEqual(r.diagnostics, []);
    const p = r.plan!;
    assert.equal(p.name, 'Trip planner');
    assert.equal(p.format, 'native');
    assert.equal(p.syntax, 'yaml');
    assert.equal(p.maxConcurrency, 4);
    assert.equal(p.limits['weather-api'], 2);
    assert.equal(p.failurePolicy, 'fail-fast');
    assert.deepEqual(p.defaults, { timeoutMs: 5000, retries: 1, retryDelayMs: 200 });
    const [w, s] = p.tools;
    assert.equal(w.resource, 'weather-api');
    assert.deepEqual(JSON.parse(JSON.stringify(w.args)), { durationMs: 800, result: { tempC: 21 } });
    assert.deepEqual(s.dependsOn, ['weather']);
    assert.equal(s.timeoutMs, 2000);
    assert.equal(s.retries, 2);
    assert.deepEqual(s.writes, ['summary.txt']);
    assert.equal(s.ranges.tool.line, 11);
    assert.equal(s.ranges.dependsOnItems?.[0].line, 14);
    assert.equal(s.ranges.dependsOnItems?.[0].column, 17);
  });

  it('reads the same plan as JSON, with the same model', () => {
    const json = JSON.stringify({
      name: 'Trip planner', tools: [
        { id: 'weather', kind: 'simulate', args: { durationMs: 800 } },
        { id: 'summary', kind: 'shell', args: { command: 'echo ${weather.output}' }, dependsOn: ['weather'] },
      ],
    }, null, 2);
    const r = parsePlan(json, { fileName: 'x.toolplan.json' });
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.plan?.syntax, 'json');
    assert.equal(r.plan?.tools[1].ranges.tool.line, 11);
    assert.equal(r.plan?.failurePolicy, 'skip-dependents');
  });

  it('names the plan after the file when it has no name', () => {
    assert.equal(parsePlan('{"tools":[]}', { fileName: '/a/b/fetch-all.toolplan.json' }).plan?.name, 'fetch-all');
  });

  it('reports schema errors with positions, tool ids and a fix', () => {
    const text = '{\n  "maxConcurrency": 0,\n  "tools": [\n    { "id": "a", "kind": "bash", "dependOn": [] }\n  ]\n}';
    const r = parsePlan(text, { fileName: 'p.toolplan.json' });
    const byMsg = (s: string) => r.diagnostics.find((d) => d.message.includes(s));
    const cap = byMsg("'maxConcurrency' must be at least 1");
    assert.ok(cap);
    assert.equal(cap.code, 'schema');
    assert.equal(cap.severity, 'error');
    assert.deepEqual([cap.line, cap.column], [2, 21]);
    const kind = byMsg("Tool 'a' › 'kind' must be one of");
    assert.ok(kind, JSON.stringify(r.diagnostics));
    assert.deepEqual([kind.line, kind.column], [4, 26]);
    const typo = byMsg("Did you mean 'dependsOn'");
    assert.ok(typo);
    assert.deepEqual([typo.line, typo.column], [4, 34]);
  });

  it('requires the arguments each kind needs', () => {
    const r = parsePlan('{"tools":[{"id":"s","kind":"simulate","args":{}},{"id":"h","kind":"http","args":{"method":"GET"}}]}');
    const msgs = r.diagnostics.map((d) => d.message).join('\n');
    assert.match(msgs, /Tool 's' › 'args' is missing 'durationMs'/);
    assert.match(msgs, /Tool 'h' › 'args' is missing 'url'/);
  });

  it('reports duplicate ids at the second one', () => {
    const r = parsePlan('{"tools":[\n{"id":"a","kind":"simulate","args":{"durationMs":1}},\n{"id":"a","kind":"simulate","args":{"durationMs":1}}]}');
    const d = r.diagnostics.find((x) => x.code === 'duplicate-id');
    assert.ok(d);
    assert.equal(d.line, 3);
    assert.match(d.message, /already used at line 2/);
  });

  it('rejects invalid ids', () => {
    assert.ok(codes('{"tools":[{"id":"my tool","kind":"simulate","args":{"durationMs":1}}]}').includes('schema'));
    assert.ok(codes('{"tools":[{"id":"1st","kind":"simulate","args":{"durationMs":1}}]}').includes('schema'));
  });

  it('treats __proto__ and constructor as plain data', () => {
    const r = parsePlan('{"limits":{"__proto__":3},"tools":[{"id":"__proto__","kind":"simulate","args":{"durationMs":1,"__proto__":{"polluted":true}}},{"id":"constructor","kind":"simulate","args":{"durationMs":1},"dependsOn":["__proto__"]}]}');
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.plan?.limits['__proto__'], 3);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(r.plan?.tools.map((t) => t.id), ['__proto__', 'constructor']);
  });
});

describe('parsePlan (bad input never throws)', () => {
  const cases: [string, string, RegExp][] = [
    ['empty', '', /empty/],
    ['whitespace', '  \n\t', /empty/],
    ['binary', '\u0000\u0001\u0002PNG', /binary/],
    ['number', '42', /this is a number/],
    ['list', '[1,2]', /this is a list/],
    ['truncated JSON', '{"tools": [', /Invalid JSON/],
    ['deep nesting', '['.repeat(200_000), /nested 65\+ levels/],
    ['deep YAML flow', 'a: ' + '['.repeat(5000), /nested/],
    ['object without tools', '{"hello": 1}', /No tool calls found/],
    ['YAML syntax', 'tools: [a, b\nx: 1', /Invalid YAML/],
  ];
  for (const [name, text, re] of cases) {
    it(`${name}: one clean parse-error with a position`, () => {
      const r = parsePlan(text);
      assert.equal(r.plan, undefined);
      assert.ok(r.diagnostics.length >= 1);
      const d = r.diagnostics[0];
      assert.equal(d.code, 'parse-error');
      assert.ok(d.line >= 1 && d.column >= 1);
      assert.match(d.message, re);
    });
  }

  it('points JSON syntax errors at the right line and column', () => {
    const d = parsePlan('{\n  "tools": [\n    {"id": "a" "kind": "simulate"}\n  ]\n}').diagnostics[0];
    assert.equal(d.code, 'parse-error');
    assert.deepEqual([d.line, d.column], [3, 16]);
    assert.match(d.message, /comma/);
  });

  it('reads a plan inside a Markdown code fence, with positions in the original text', () => {
    const r = parsePlan('```json\n{"tools":[\n{"id":"a","kind":"simulate","args":{"durationMs":5},"dependsOn":["zz"]}]}\n```');
    assert.equal(r.plan?.tools[0].ranges.tool.line, 3);
  });

  it('handles 100k tools', () => {
    const tools = Array.from({ length: 100_000 }, (_, i) => ({ id: `t${i}`, kind: 'simulate', args: { durationMs: 1 }, ...(i ? { dependsOn: [`t${i - 1}`] } : {}) }));
    const r = parsePlan(JSON.stringify({ tools }));
    assert.equal(r.diagnostics.length, 0);
    assert.equal(r.plan?.tools.length, 100_000);
  });

  it('caps schema errors so a systematic mistake stays readable', () => {
    const tools = Array.from({ length: 5000 }, (_, i) => ({ id: `t${i}`, kind: 'nope' }));
    const r = parsePlan(JSON.stringify({ tools }));
    assert.ok(r.diagnostics.length <= 50);
  });
});

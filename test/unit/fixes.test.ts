import { strict as assert } from 'node:assert';
import type { AnalyzeOptions } from '../../src/core/analysis/analyze';
import { addDependencies, applyEdits, removeTool, setLimit, setToolField, setTopLevelKey } from '../../src/core/analysis/fixes';
import { parsePlan } from '../../src/core/plan/parse';
import type { DiagnosticCode } from '../../src/core/plan/types';
import { analyzeText, meaning } from './helpers/analyzeText';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Meaning = any;

/**
 * Applies the quick fix of the first `code` diagnostic and re-parses: the diagnostic is gone, the
 * plan means exactly what `change` says, and every other diagnostic is still there.
 */
function roundTrip(text: string, fileName: string, code: DiagnosticCode, change: (m: Meaning) => void, options: AnalyzeOptions = {}): string {
  const before = analyzeText(text, fileName, options);
  const d = before.diagnostics.find((x) => x.code === code);
  assert.ok(d, `no ${code} in ${before.diagnostics.map((x) => x.code)}`);
  assert.ok(d.fix, `${code} has no fix`);
  const fixed = applyEdits(text, d.fix.edits);
  const after = analyzeText(fixed, fileName, options);
  assert.deepEqual(after.diagnostics.filter((x) => x.severity === 'error').map((x) => x.message), [], fixed);
  const key = (x: { code: string; tools: readonly string[] }) => `${x.code} ${x.tools.join(',')}`;
  assert.ok(!after.diagnostics.some((x) => key(x) === key(d)), `${code} still there after the fix:\n${fixed}`);
  const others = (ds: typeof before.diagnostics) => ds.filter((x) => x !== d && x.code !== code).map(key).sort();
  assert.deepEqual(others(after.diagnostics), others(before.diagnostics), fixed);
  const expected = structuredClone(meaning(before.plan)) as Meaning;
  change(expected);
  assert.deepEqual(meaning(after.plan), expected, fixed);
  return fixed;
}

const tool = (m: Meaning, id: string) => m.tools.find((t: Meaning) => t.id === id);

describe('quick fixes round-trip', () => {
  describe('add a dependency (undeclared-dependency)', () => {
    const ref = 'echo ${a.output}';
    it('JSON: creates dependsOn after the last field, one field per line', () => {
      const text = `{\n  "tools": [\n    {\n      "id": "a",\n      "kind": "simulate",\n      "args": { "durationMs": 1 }\n    },\n    {\n      "id": "b",\n      "kind": "simulate",\n      "args": { "durationMs": 1, "result": "${ref}" }\n    }\n  ]\n}\n`;
      const fixed = roundTrip(text, 'p.json', 'undeclared-dependency', (m) => { tool(m, 'b').dependsOn = ['a']; });
      assert.match(fixed, /"result": "echo \$\{a.output\}" \},\n {6}"dependsOn": \["a"\]\n {4}\}/);
    });
    it('JSON: appends to a one-line list and to a one-item-per-line list', () => {
      const one = `{ "tools": [ { "id": "x", "kind": "simulate", "args": { "durationMs": 1 } }, { "id": "a", "kind": "simulate", "args": { "durationMs": 1 } },\n { "id": "b", "kind": "simulate", "dependsOn": ["x"], "args": { "durationMs": 1, "result": "${ref}" } } ] }`;
      assert.match(roundTrip(one, 'p.json', 'undeclared-dependency', (m) => { tool(m, 'b').dependsOn = ['x', 'a']; }), /"dependsOn": \["x", "a"\]/);
      const multi = one.replace('"dependsOn": ["x"]', '"dependsOn": [\n    "x"\n  ]');
      assert.match(roundTrip(multi, 'p.json', 'undeclared-dependency', (m) => { tool(m, 'b').dependsOn = ['x', 'a']; }), /\[\n {4}"x",\n {4}"a"\n {2}\]/);
      const empty = one.replace('"dependsOn": ["x"]', '"dependsOn": []');
      assert.match(roundTrip(empty, 'p.json', 'undeclared-dependency', (m) => { tool(m, 'b').dependsOn = ['a']; }), /"dependsOn": \["a"\]/);
    });
    it('YAML block map: a new line at the map indentation, keeping comments', () => {
      const text = `# my plan\ntools:\n  - id: a   # first\n    kind: simulate\n    args: { durationMs: 1 }\n  - id: b\n    kind: simulate\n    args:\n      durationMs: 1\n      result: "${ref}"   # uses a\n  # trailing comment\n`;
      const fixed = roundTrip(text, 'p.yaml', 'undeclared-dependency', (m) => { tool(m, 'b').dependsOn = ['a']; });
      assert.equal(fixed, text.replace('# uses a\n', '# uses a\n    dependsOn: [a]\n'));
    });
    it('YAML: appends to a block sequence and to a flow sequence', () => {
      const block = `tools:\n  - { id: x, kind: simulate, args: { durationMs: 1 } }\n  - { id: a, kind: simulate, args: { durationMs: 1 } }\n  - id: b\n    kind: simulate\n    dependsOn:\n      - x\n    args: { durationMs: 1, result: "${ref}" }\n`;
      assert.match(roundTrip(block, 'p.yaml', 'undeclared-dependency', (m) => { tool(m, 'b').dependsOn = ['x', 'a']; }), / {6}- x\n {6}- a\n/);
      const flow = block.replace('dependsOn:\n      - x', 'dependsOn: [x]');
      assert.match(roundTrip(flow, 'p.yaml', 'undeclared-dependency', (m) => { tool(m, 'b').dependsOn = ['x', 'a']; }), /dependsOn: \[x, a\]/);
    });
    it('YAML flow map tool: inserts before the closing brace', () => {
      const text = `tools:\n  - { id: a, kind: simulate, args: { durationMs: 1 } }\n  - { id: b, kind: simulate, args: { durationMs: 1, result: "${ref}" } }\n`;
      assert.match(roundTrip(text, 'p.yaml', 'undeclared-dependency', (m) => { tool(m, 'b').dependsOn = ['a']; }), /" \}, dependsOn: \[a\] \}/);
    });
    it('quotes ids YAML would read as something else', () => {
      const text = `tools:\n  - { id: "true", kind: simulate, args: { durationMs: 1 } }\n  - { id: b, kind: simulate, args: { durationMs: 1, result: "\${true.output}" } }\n`;
      roundTrip(text, 'p.yaml', 'undeclared-dependency', (m) => { tool(m, 'b').dependsOn = ['true']; });
    });
    it('works inside a Markdown fence and with CRLF line endings', () => {
      const text = '```json\r\n{\r\n  "tools": [\r\n    { "id": "a", "kind": "simulate", "args": { "durationMs": 1 } },\r\n    {\r\n      "id": "b",\r\n      "kind": "simulate",\r\n      "args": { "durationMs": 1, "result": "${a.output}" }\r\n    }\r\n  ]\r\n}\r\n```\r\n';
      const fixed = roundTrip(text, 'snippet.md', 'undeclared-dependency', (m) => { tool(m, 'b').dependsOn = ['a']; });
      assert.ok(fixed.includes('},\r\n      "dependsOn": ["a"]\r\n'));
      assert.ok(!/[^\r]\n/.test(fixed), 'only CRLF');
    });
  });

  describe('set a tool field (missing-timeout)', () => {
    it('JSON and YAML', () => {
      roundTrip('{ "tools": [ { "id": "a", "kind": "http", "args": { "url": "u" } } ] }', 'p.json', 'missing-timeout', (m) => { tool(m, 'a').timeoutMs = 10000; });
      const yaml = `tools:\n  - id: a\n    kind: shell\n    args:\n      command: |\n        echo one\n        echo two\n\n  - id: b\n    kind: simulate\n    args: { durationMs: 1 }\n`;
      const fixed = roundTrip(yaml, 'p.yaml', 'missing-timeout', (m) => { tool(m, 'a').timeoutMs = 10000; });
      assert.match(fixed, /echo two\n {4}timeoutMs: 10000\n\n {2}- id: b/);
    });
  });

  describe('add a top-level key (unbounded-concurrency, cpu-oversubscribed)', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => `{ "id": "t${i}", "kind": "simulate", "args": { "durationMs": 5 } }`);
    it('JSON: after name, or first when there is no name, multi-line or one-line', () => {
      const named = `{\n  "name": "fan",\n  "tools": [\n    ${many(12).join(',\n    ')}\n  ]\n}`;
      assert.match(roundTrip(named, 'p.json', 'unbounded-concurrency', (m) => { m.maxConcurrency = 8; }), /"name": "fan",\n {2}"maxConcurrency": 8,\n {2}"tools"/);
      const unnamed = named.replace('  "name": "fan",\n', '');
      roundTrip(unnamed, 'p.json', 'unbounded-concurrency', (m) => { m.maxConcurrency = 8; });
      roundTrip(`{"tools":[${many(12).join(',')}]}`, 'p.json', 'unbounded-concurrency', (m) => { m.maxConcurrency = 8; });
    });
    it('YAML: after name, or as the first line of the root map', () => {
      const yaml = `# plan\nname: fan\ntools:\n${many(12).map((t) => `  - ${t.replace(/"/g, '')}`).join('\n')}\n`;
      assert.match(roundTrip(yaml, 'p.yaml', 'unbounded-concurrency', (m) => { m.maxConcurrency = 8; }), /^# plan\nname: fan\nmaxConcurrency: 8\ntools:/);
      const unnamed = yaml.replace('name: fan\n', '');
      assert.match(roundTrip(unnamed, 'p.yaml', 'unbounded-concurrency', (m) => { m.maxConcurrency = 8; }), /^# plan\nmaxConcurrency: 8\ntools:/);
    });
    it('replaces an existing value (maxConcurrency too high for the cores)', () => {
      const cpu = `maxConcurrency: 16 # too many\ntools:\n${Array.from({ length: 6 }, (_, i) => `  - { id: c${i}, kind: cpu, args: { durationMs: 100 } }`).join('\n')}\n`;
      const fixed = roundTrip(cpu, 'p.yaml', 'cpu-oversubscribed', (m) => { m.maxConcurrency = 2; }, { cores: 2 });
      assert.match(fixed, /^maxConcurrency: 2 # too many\n/);
    });
    it('mixed plans: puts the cpu tools on a limited resource (limits absent, flow, block)', () => {
      const tools = `tools:\n  - { id: c0, kind: cpu, args: { durationMs: 100 } }\n  - { id: c1, kind: cpu, args: { durationMs: 100 } }\n  - { id: c2, kind: cpu, args: { durationMs: 100 } }\n  - { id: io, kind: simulate, args: { durationMs: 100 } }\n`;
      const change = (m: Meaning) => {
        m.limits.cpu = 2;
        for (const id of ['c0', 'c1', 'c2']) tool(m, id).resource = 'cpu';
      };
      roundTrip(tools, 'p.yaml', 'cpu-oversubscribed', change, { cores: 2 });
      roundTrip(`limits: { api: 3 }\n${tools}`, 'p.yaml', 'cpu-oversubscribed', change, { cores: 2 });
      const block = roundTrip(`limits:\n  api: 3\n${tools}`, 'p.yaml', 'cpu-oversubscribed', change, { cores: 2 });
      assert.match(block, /^limits:\n {2}api: 3\n {2}cpu: 2\ntools:/);
      const json = JSON.stringify({ limits: { api: 3 }, tools: parsePlan(tools, { fileName: 'p.yaml' }).plan?.tools.map((t) => ({ id: t.id, kind: t.kind, args: t.args })) }, null, 2);
      assert.match(roundTrip(json, 'p.json', 'cpu-oversubscribed', change, { cores: 2 }), /"api": 3,\n {4}"cpu": 2\n/);
    });
    it('resource infos add a limits entry', () => {
      const json = JSON.stringify({ maxConcurrency: 8, tools: Array.from({ length: 6 }, (_, i) => ({ id: `t${i}`, kind: 'simulate', resource: 'weather-api', args: { durationMs: 5 } })) }, null, 2);
      roundTrip(json, 'p.json', 'unbounded-concurrency', (m) => { m.limits['weather-api'] = 4; });
    });
  });

  describe('remove a tool (duplicate-call)', () => {
    const call = (id: string, url = 'u') => `{ "id": "${id}", "kind": "http", "timeoutMs": 100, "args": { "url": "${url}" } }`;
    it('JSON: a middle, last and only-duplicate tool, with its comma', () => {
      const mid = `{\n  "tools": [\n    ${call('a')},\n    ${call('b')},\n    ${call('c', 'v')}\n  ]\n}`;
      const drop = (id: string) => (m: Meaning) => { m.tools = m.tools.filter((t: Meaning) => t.id !== id); };
      assert.equal(roundTrip(mid, 'p.json', 'duplicate-call', drop('b')), `{\n  "tools": [\n    ${call('a')},\n    ${call('c', 'v')}\n  ]\n}`);
      const last = `{\n  "tools": [\n    ${call('c', 'v')},\n    ${call('a')},\n    ${call('b')}\n  ]\n}`;
      assert.equal(roundTrip(last, 'p.json', 'duplicate-call', drop('b')), `{\n  "tools": [\n    ${call('c', 'v')},\n    ${call('a')}\n  ]\n}`);
    });
    it('YAML block items (with comments inside) and flow lists', () => {
      const yaml = `tools:\n  - id: a\n    kind: http\n    timeoutMs: 100\n    args: { url: u }\n  - id: b   # again\n    kind: http\n    timeoutMs: 100\n    args:\n      url: u\n  - id: c\n    kind: http\n    timeoutMs: 100\n    args: { url: v }\n`;
      const drop = (m: Meaning) => { m.tools = m.tools.filter((t: Meaning) => t.id !== 'b'); };
      assert.equal(roundTrip(yaml, 'p.yaml', 'duplicate-call', drop), yaml.replace('  - id: b   # again\n    kind: http\n    timeoutMs: 100\n    args:\n      url: u\n', ''));
      const flow = `tools: [ { id: a, kind: http, timeoutMs: 1, args: { url: u } }, { id: b, kind: http, timeoutMs: 1, args: { url: u } } ]\n`;
      assert.equal(roundTrip(flow, 'p.yaml', 'duplicate-call', drop), `tools: [ { id: a, kind: http, timeoutMs: 1, args: { url: u } } ]\n`);
    });
    it('sets dedupe when the duplicate has dependents', () => {
      const text = `{\n  "name": "d",\n  "tools": [\n    ${call('a')},\n    ${call('b')},\n    { "id": "c", "kind": "simulate", "dependsOn": ["b"], "args": { "durationMs": 1 } }\n  ]\n}`;
      roundTrip(text, 'p.json', 'duplicate-call', (m) => { m.dedupe = true; });
    });
  });

  describe('order writers (write-conflict)', () => {
    it('chains every unordered writer, in topological order', () => {
      const yaml = `tools:\n  - { id: a, kind: simulate, args: { durationMs: 1 }, writes: [f] }\n  - { id: b, kind: simulate, args: { durationMs: 1 }, writes: [f] }\n  - { id: c, kind: simulate, args: { durationMs: 1 }, writes: [f] }\n  - { id: d, kind: simulate, args: { durationMs: 1 } }\n`;
      roundTrip(yaml, 'p.yaml', 'write-conflict', (m) => { tool(m, 'b').dependsOn = ['a']; tool(m, 'c').dependsOn = ['b']; });
    });
  });

  describe('edge cases', () => {
    it('no fixes for imported (text) plans, and no fixes when analyze is not given the text', () => {
      const text = '{ "tools": [ { "id": "a", "kind": "http", "args": { "url": "u" } } ] }';
      const parsed = parsePlan(text, { fileName: 'p.json' });
      const plan = parsed.plan;
      assert.ok(plan);
      assert.equal(setToolField(text, { ...plan, syntax: 'text' }, plan.tools[0], 'timeoutMs', 1), undefined);
      assert.equal(addDependencies(text, { ...plan, syntax: 'text' }, plan.tools[0], ['x']), undefined);
      assert.equal(removeTool(text, { ...plan, syntax: 'text' }, plan.tools[0]), undefined);
      assert.equal(setTopLevelKey(text, { ...plan, syntax: 'text' }, 'maxConcurrency', 1), undefined);
      assert.equal(setLimit(text, { ...plan, syntax: 'text' }, 'r', 1), undefined);
      const a = analyzeText(text, 'p.json', { text: undefined });
      assert.ok(a.diagnostics.length > 0 && a.diagnostics.every((d) => d.fix === undefined));
    });
    it('applyEdits refuses overlapping edits', () => {
      assert.throws(() => applyEdits('abcdef', [{ offset: 1, length: 3, newText: '' }, { offset: 2, length: 1, newText: 'x' }]));
      assert.equal(applyEdits('abcdef', [{ offset: 4, length: 0, newText: 'Y' }, { offset: 1, length: 1, newText: 'X' }]), 'aXcdYef');
    });
  });
});

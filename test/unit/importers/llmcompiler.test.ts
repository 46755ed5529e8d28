import { strict as assert } from 'node:assert';
import { parsePlan } from '../../../src/core/plan/parse';
import type { ImportedToolSpec } from '../../../src/core/plan/importers';
import { analyzed, codes, fixture, load, one, plain, pos, where } from './helpers';

describe('importers: LLMCompiler', () => {
  it('reads the paper\'s example: steps, references as dependencies and as ${sN.output}', () => {
    const text = fixture('llmcompiler-paper.txt');
    const { plan, result } = load(text);
    assert.deepEqual(result.diagnostics, []);
    assert.equal(plan.format, 'llmcompiler');
    assert.equal(plan.syntax, 'text');
    assert.equal(plan.name, 'LLMCompiler plan (3 steps)');
    assert.deepEqual(plan.tools.map((t) => [t.id, t.label, t.kind, plain(t.args), t.dependsOn]), [
      ['s1', 'search', 'simulate', { 0: 'Microsoft Market Cap' }, []],
      ['s2', 'search', 'simulate', { 0: 'Apple Market Cap' }, []],
      ['s3', 'math', 'simulate', { 0: '${s2.output} / ${s1.output}' }, ['s2', 's1']],
    ]);
    const s3 = plan.tools[2];
    assert.deepEqual(pos(s3.ranges.tool), where(text, '3. math'));
    assert.deepEqual(s3.ranges.dependsOnItems?.map(pos), [where(text, '$2'), where(text, '$1')]);
    assert.ok(plan.tools.every((t) => t.estimateMs === 1000));
    const a = analyzed(text);
    assert.equal(a.valid, true);
    assert.deepEqual(a.levels, [['s1', 's2'], ['s3']]);
    assert.deepEqual(codes(a.diagnostics).filter((c) => c === 'undeclared-dependency'), []);
    assert.deepEqual(a.criticalPath.tools.length, 2);
  });

  it('reads LangGraph\'s planner output: keywords, ${N}, bare $N in lists, Thought lines as descriptions', () => {
    const { plan, result } = load(fixture('llmcompiler-langgraph.txt'));
    assert.deepEqual(result.diagnostics, []);
    const tools = plan.tools as readonly ImportedToolSpec[];
    assert.deepEqual(tools.map((t) => t.description), ['I need both temperatures before I can compare them.', undefined, 'Compare the two readings.']);
    assert.deepEqual(plain(tools[1].args), { query: 'current temperature in New York', max_results: 3 });
    assert.deepEqual(plain(tools[2].args), {
      problem: 'What is the difference between ${s1.output} and ${s2.output} in Celsius?',
      context: ['${s1.output}', '${s2.output}'],
    });
    assert.deepEqual(tools[2].dependsOn, ['s1', 's2']);
  });

  it('parses Python values (dicts, lists, tuples, True/None, numbers, escapes) inside a Markdown fence', () => {
    const text = fixture('llmcompiler-fenced.md');
    const { plan, result } = load(text);
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(plain(plan.tools[0].args), { ticker: 'NVDA', include: { history: true, days: 30, fields: ['close', 'volume'] } });
    assert.deepEqual(plain(plan.tools[2].args), { a: '${s1.output}', b: '${s2.output}', mode: null, weights: [0.5, -12.5], note: 'it\'s "fine"\n' });
    assert.equal(plan.tools[2].ranges.tool.line, 6);
  });

  it('flags two identical steps as a duplicate call at the second step', () => {
    const text = 'Thought: look it up twice\n1. search("Nvidia 2023 revenue")\n2. search(\'Nvidia 2023 revenue\')\n3. join()';
    const a = analyzed(text);
    const d = one(a.diagnostics, 'duplicate-call');
    assert.deepEqual(d.tools, ['s2', 's1']);
    assert.equal(d.line, 3);
  });

  it('reports an unknown step reference at the reference, without a second diagnostic from the graph', () => {
    const text = '1. search("x")\n2. math("$1 + ${7}")';
    const r = parsePlan(text);
    const d = one(r.diagnostics, 'unknown-reference');
    assert.equal(d.severity, 'error');
    assert.deepEqual(pos(d), where(text, '${7}'));
    assert.match(d.message, /no step 7/);
    assert.deepEqual(plain(r.plan?.tools[1].args), { 0: '${s1.output} + $7' });
    assert.deepEqual(r.plan?.tools[1].dependsOn, ['s1']);
    const a = analyzed(text);
    assert.equal(a.valid, false);
    assert.equal(a.diagnostics.filter((x) => x.code === 'unknown-reference').length, 1);
  });

  it('reports syntax errors at the right place and keeps the good steps', () => {
    const text = '1. search("a"\n2. search("b")\n3. lookup(city=Paris)\n4. f(x=1, x=2)\n5. g(k=1, 2)\n6. join()';
    const r = parsePlan(text);
    // An unquoted word is kept as text, as LLMCompiler's own parser does: step 3 loads, with an info.
    assert.deepEqual(r.plan?.tools.map((t) => t.id), ['s2', 's3']);
    assert.deepEqual(plain(r.plan?.tools[1].args), { city: 'Paris' });
    const msgs = r.diagnostics.map((d) => [d.line, d.column, d.message, d.severity]);
    assert.equal(msgs.length, 4, JSON.stringify(msgs));
    assert.deepEqual(msgs[0].slice(0, 1), [1]);
    assert.match(String(msgs[0][2]), /Step 1 \(search\) is not closed: add '\)'/);
    assert.deepEqual(msgs[1].slice(0, 2), [3, 16]);
    assert.match(String(msgs[1][2]), /Paris is not a Python literal\. LLMCompiler's parser keeps such an argument as raw text/);
    assert.equal(msgs[1][3], 'info');
    assert.deepEqual(msgs[2].slice(0, 2), [4, 11]);
    assert.match(String(msgs[2][2]), /given twice/);
    assert.deepEqual(msgs[3].slice(0, 2), [5, 11]);
    assert.match(String(msgs[3][2]), /positional argument comes after a keyword/);
    assert.ok(r.diagnostics.every((d) => d.code === 'parse-error' && (d.severity === 'error' || d.severity === 'info')));
  });

  it('behaves like LLMCompiler\'s parser: raw words, implicit string concatenation, escapes', () => {
    const r = parsePlan('1. search(Austin Powers)\n2. search("New " \'York\' """ City""")\n3. f("\\101\\x42\\u0043\\n")\n4. join()');
    assert.deepEqual(r.plan?.tools.map((t) => plain(t.args)), [{ 0: 'Austin Powers' }, { 0: 'New York City' }, { 0: 'ABC\n' }]);
    assert.deepEqual(r.diagnostics.map((d) => d.severity), ['info']);
  });

  it('one unclosed step is one error: no cascade for steps that refer to it, and no self-suggestion', () => {
    const r = parsePlan('1. search("a"\n2. search("b")\n3. math("$1 + $2")\n4. math($9)\n5. join()');
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    assert.equal(errors.length, 2, errors.map((d) => d.message).join('\n'));
    assert.match(errors[0].message, /Step 1 \(search\) is not closed/);
    assert.match(errors[1].message, /Step 4 \(math\) uses \$9, but the plan has no step 9\. In LLMCompiler plans \$N is the output of step N: refer to another step \(\$2, \$3\)/);
    const self = parsePlan('1. a()\n2. b($2)\n3. join()');
    assert.match(one(self.diagnostics, 'self-dependency').message, /Step 2 \(b\) uses \$2, its own output.*In LLMCompiler plans \$N refers to an earlier step/);
  });

  it('a whole few-shot prompt yields the plan of its last question', () => {
    const prompt = [
      'Given a user query, create a plan to solve it with the utmost parallelizability. Each plan should comprise an action from the following 2 types:',
      '1. search(query: str) -> str: searches the web.',
      '2. join(): collects and combines results from prior actions.',
      '',
      'Question: What is the population of France?',
      '1. search("population of France")',
      'Thought: I can answer now.',
      '2. join()<END_OF_PLAN>',
      '',
      'Question: How much taller is the Eiffel Tower than Big Ben?',
      'Thought: Search both heights in parallel.',
      '1. search("Eiffel Tower height")',
      '2. search("Big Ben height")',
      '3. join()<END_OF_PLAN>',
    ].join('\n');
    const r = parsePlan(prompt);
    assert.deepEqual(r.plan?.tools.map((t) => plain(t.args)), [{ 0: 'Eiffel Tower height' }, { 0: 'Big Ben height' }]);
    assert.deepEqual(r.diagnostics, []);
  });

  it('ends the plan at join(): later steps are ignored with a warning', () => {
    const r = parsePlan('1. a()\n2. join()\n3. b()\n4. c()');
    assert.deepEqual(r.plan?.tools.map((t) => t.label), ['a']);
    const d = one(r.diagnostics, 'parse-error');
    assert.equal(d.severity, 'warning');
    assert.equal(d.line, 3);
    assert.match(d.message, /after join\(\)/);
  });

  it('reports a step number used twice; references go to the first', () => {
    const text = '1. a()\n2. b()\n2. c()\n3. d("$2")';
    const r = parsePlan(text);
    assert.deepEqual(r.plan?.tools.map((t) => t.id), ['s1', 's2', 's2_2', 's3']);
    assert.deepEqual(r.plan?.tools[3].dependsOn, ['s2']);
    const d = one(r.diagnostics, 'duplicate-id');
    assert.deepEqual(pos(d), { line: 3, column: 1 });
  });

  it('lets the graph report a step that uses its own output', () => {
    const a = analyzed('1. a()\n2. b($2)');
    assert.equal(a.valid, false);
    assert.ok(a.diagnostics.some((d) => d.code === 'self-dependency' && d.tools.includes('s2')));
  });

  it('explains a plan that has only join()', () => {
    const r = parsePlan('1. join()\n<END_OF_PLAN>');
    assert.equal(r.plan, undefined);
    assert.match(r.diagnostics[0].message, /no tool steps/);
  });

  it('does not claim YAML or prose; native plans are still native', () => {
    const yaml = 'name: p\ntools:\n  - id: a\n    kind: simulate\n    args: { durationMs: 5 }\n';
    assert.equal(parsePlan(yaml, { fileName: 'p.toolplan.yaml' }).plan?.format, 'native');
    assert.equal(parsePlan(yaml).plan?.format, 'native');
    const json = '{"tools":[{"id":"a","kind":"simulate","args":{"durationMs":5}}]}';
    assert.equal(parsePlan(json).plan?.format, 'native');
    const yamlWithSteps = 'name: p\nnotes: |\n  1. search("x")\ntools:\n  - id: a\n    kind: simulate\n    args: { durationMs: 5 }\n';
    assert.equal(parsePlan(yamlWithSteps).plan?.format, 'native');
    assert.equal(parsePlan('Just some prose.\nNothing numbered here.').plan, undefined);
  });

  it('never hangs on adversarial text', function () {
    this.timeout(120_000);
    const cases = [
      '1. f(' + '['.repeat(200_000),
      '1. f(' + '"'.repeat(200_000),
      ('1. f("' + '\n').repeat(50_000),
      ('1. f(\n').repeat(50_000),
      '1. f(' + '$'.repeat(200_000) + ')',
      '1.' + ' '.repeat(500_000) + 'f(',
      '1. f("' + '$1'.repeat(100_000) + '")',
      '1. f(' + 'a'.repeat(300_000),
      '1. f(' + '1,'.repeat(200_000) + ')',
    ];
    for (const text of cases) {
      const t0 = Date.now();
      const r = parsePlan(text);
      assert.ok(Date.now() - t0 < 20_000, `slow on ${JSON.stringify(text.slice(0, 20))}`);
      assert.ok(r.diagnostics.every((d) => d.line >= 1 && d.column >= 1));
    }
  });

  it('imports 100k steps in a sane time', function () {
    this.timeout(120_000);
    const lines = ['1. seed("start")'];
    for (let i = 2; i <= 100_000; i++) lines.push(`${i}. step("$${i - 1}", n=${i})`);
    const t0 = Date.now();
    const { plan, result } = load(lines.join('\n'));
    assert.ok(Date.now() - t0 < 45_000, 'quadratic blow-up?');
    assert.equal(result.diagnostics.length, 0);
    assert.equal(plan.tools.length, 100_000);
    assert.deepEqual(plan.tools[99_999].dependsOn, ['s99999']);
  });
});

describe('importers: LLMCompiler (limits)', () => {
  it('lists at most 100 unknown references, then a summary', () => {
    const text = ['1. a()', ...Array.from({ length: 300 }, (_, i) => `${i + 2}. b("$999")`)].join('\n');
    const r = parsePlan(text);
    assert.equal(r.plan?.tools.length, 301);
    const refs = r.diagnostics.filter((d) => d.code === 'unknown-reference');
    assert.equal(refs.length, 101);
    assert.match(refs[100].message, /and 200 more/);
  });
});

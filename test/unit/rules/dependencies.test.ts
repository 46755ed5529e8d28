import { strict as assert } from 'node:assert';
import { analyzeText, at, none, only } from '../helpers/analyzeText';

describe('rule: undeclared-dependency', () => {
  const json = `{
  "tools": [
    { "id": "weather", "kind": "simulate", "args": { "durationMs": 800 } },
    { "id": "summary", "kind": "simulate", "args": { "durationMs": 10, "result": "It is \${weather.output.tempC} C" } }
  ]
}`;
  it('flags a ${x.output} reference without dependsOn (JSON), on the args, naming both tools', () => {
    const d = only(analyzeText(json), 'undeclared-dependency');
    assert.equal(d.severity, 'warning');
    assert.deepEqual(d.tools, ['summary', 'weather']);
    at(d, 4, 52);
    assert.match(d.message, /dependsOn/);
    assert.match(d.message, /parallel/);
    assert.equal(d.lesson, 'dependencies');
    assert.ok(d.fix, 'has a fix');
  });
  it('flags it in YAML, one diagnostic per tool naming every missing id', () => {
    const yaml = `tools:
  - id: a
    kind: simulate
    args: { durationMs: 5 }
  - id: b
    kind: simulate
    args: { durationMs: 5 }
  - id: c
    kind: simulate
    dependsOn: [a]
    args:
      durationMs: 5
      result: "\${a.output} \${b.output} \${b.output.x}"
`;
    const d = only(analyzeText(yaml, 'p.toolplan.yaml'), 'undeclared-dependency');
    assert.deepEqual(d.tools, ['c', 'b']);
    at(d, 12, 7);
  });
  it('is quiet when the reference is declared', () => {
    const declared = json.replace('"args": { "durationMs": 10,', '"dependsOn": ["weather"], "args": { "durationMs": 10,');
    assert.notEqual(declared, json);
    none(analyzeText(declared), 'undeclared-dependency');
  });
});

import { strict as assert } from 'node:assert';
import { analyzeText, at, none, only } from '../helpers/analyzeText';

describe('rule: no-parallelism', () => {
  const chain = `name: chain
tools:
  - { id: a, kind: simulate, args: { durationMs: 100 } }
  - { id: b, kind: simulate, args: { durationMs: 100 }, dependsOn: [a] }
  - { id: c, kind: simulate, args: { durationMs: 100 }, dependsOn: [b] }
`;
  it('is an info on a pure chain of 3 tools, on the tools key, naming the chain', () => {
    const d = only(analyzeText(chain, 'p.yaml'), 'no-parallelism');
    assert.equal(d.severity, 'info');
    assert.deepEqual(d.tools, ['a', 'b', 'c']);
    at(d, 2, 1);
    assert.match(d.message, /a → b → c/);
    assert.equal(d.lesson, 'when-not-to-parallelise');
  });
  it('is quiet for 2 tools in a row, or when any two tools can overlap (JSON)', () => {
    none(analyzeText(chain.split('\n').slice(0, 4).join('\n'), 'p.yaml'), 'no-parallelism');
    none(analyzeText(chain.replace('dependsOn: [b]', 'dependsOn: [a]'), 'p.yaml'), 'no-parallelism');
    none(analyzeText('{ "tools": [ { "id": "x", "kind": "simulate", "args": { "durationMs": 1 } } ] }'), 'no-parallelism');
  });
});

describe('rule: straggler', () => {
  const plan = (slow: number) => `{
  "name": "lookups",
  "tools": [
    { "id": "fast1", "kind": "simulate", "args": { "durationMs": 200 } },
    { "id": "fast2", "kind": "simulate", "args": { "durationMs": 250 } },
    { "id": "slow", "kind": "simulate", "args": { "durationMs": ${slow} } },
    { "id": "merge", "kind": "simulate", "args": { "durationMs": 100 }, "dependsOn": ["fast1", "fast2", "slow"] }
  ]
}`;
  it('is an info when one tool is ≥60% of the critical path and ≥3× its peers', () => {
    const d = only(analyzeText(plan(3000)), 'straggler');
    assert.equal(d.severity, 'info');
    assert.deepEqual(d.tools, ['slow']);
    at(d, 6, 49);
    assert.match(d.message, /97% of the critical path/);
    assert.match(d.message, /13\.3×/);
  });
  it('is quiet when the slowest tool is within 3× of its peers, or has no peers (YAML)', () => {
    none(analyzeText(plan(600)), 'straggler');
    const yaml = `tools:
  - { id: a, kind: simulate, args: { durationMs: 5000 } }
  - { id: b, kind: simulate, args: { durationMs: 10 }, dependsOn: [a] }
  - { id: c, kind: simulate, args: { durationMs: 10 }, dependsOn: [a] }
`;
    none(analyzeText(yaml, 'p.yaml'), 'straggler');
  });
});

describe('clean samples', () => {
  it('a well-written plan gets no pitfalls at all', () => {
    const yaml = `name: Trip planner
maxConcurrency: 4
limits: { weather-api: 2 }
defaults: { timeoutMs: 5000, retries: 1, retryDelayMs: 200 }
tools:
  - id: weather
    kind: simulate
    args: { durationMs: 800, result: { tempC: 21 } }
    resource: weather-api
  - id: flights
    kind: simulate
    args: { durationMs: 1500 }
  - id: hotels
    kind: simulate
    args: { durationMs: 1200 }
  - id: summary
    kind: shell
    args: { command: "echo It is \${weather.output.tempC} C" }
    dependsOn: [weather, flights, hotels]
    timeoutMs: 2000
    writes: [summary.txt]
    retries: 0
`;
    const a = analyzeText(yaml, 'trip.toolplan.yaml');
    assert.deepEqual(a.diagnostics.map((d) => `${d.code}: ${d.message}`), []);
  });
});

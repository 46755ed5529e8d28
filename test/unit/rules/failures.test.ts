import { strict as assert } from 'node:assert';
import { suggestedTimeout } from '../../../src/core/analysis/rules/timeouts';
import { analyzeText, at, none, only, withCode } from '../helpers/analyzeText';

describe('rule: missing-timeout', () => {
  const yaml = `tools:
  - id: fetch
    kind: http
    args: { url: "https://example.com" }
  - id: build
    kind: shell
    estimateMs: 30000
    args: { command: make }
  - id: think
    kind: vscode.lm
    args: { tool: search, input: {} }
  - id: local
    kind: simulate
    args: { durationMs: 5 }
  - id: cmd
    kind: vscode.command
    args: { command: workbench.action.files.save }
`;
  it('flags shell, http and vscode.lm tools without a timeout, on their kind, with a derived value', () => {
    const ds = withCode(analyzeText(yaml, 'p.yaml'), 'missing-timeout');
    assert.deepEqual(ds.map((d) => d.tools[0]), ['fetch', 'build', 'think']);
    assert.ok(ds.every((d) => d.severity === 'warning' && d.lesson === 'failures'));
    at(ds[0], 3, 5);
    assert.match(ds[0].message, /"timeoutMs": 10000/);
    assert.match(ds[1].message, /"timeoutMs": 120000/); // 10 × 30 s, clamped to 2 minutes
  });
  it('is quiet with an own timeout or defaults.timeoutMs (JSON)', () => {
    none(analyzeText('{ "defaults": { "timeoutMs": 5000 }, "tools": [ { "id": "a", "kind": "http", "args": { "url": "u" } } ] }'), 'missing-timeout');
    none(analyzeText('{ "tools": [ { "id": "a", "kind": "shell", "timeoutMs": 100, "args": { "command": "ls" } } ] }'), 'missing-timeout');
  });
  it('derives the timeout as 10× the estimate, rounded up to a second, within [1 s, 2 min]', () => {
    assert.equal(suggestedTimeout(0), 1000);
    assert.equal(suggestedTimeout(1000), 10000);
    assert.equal(suggestedTimeout(1234), 13000);
    assert.equal(suggestedTimeout(1e9), 120000);
  });
});

describe('rule: retry-not-idempotent', () => {
  const json = (tool: string, top = '') => `{${top}
  "tools": [
    ${tool}
  ]
}`;
  it('flags retries on a tool that writes, on its retries field', () => {
    const d = only(analyzeText(json('{ "id": "save", "kind": "simulate", "args": { "durationMs": 5 }, "writes": ["db"], "retries": 2 }')), 'retry-not-idempotent');
    assert.equal(d.severity, 'warning');
    assert.deepEqual(d.tools, ['save']);
    at(d, 3, 88);
    assert.match(d.message, /^Tool '\w+' writes 'db' and is retried/);
    assert.match(d.message, /retries: 2/);
  });
  it('flags default retries on an HTTP POST without an idempotency key, on its args', () => {
    const d = only(analyzeText(json('{ "id": "pay", "kind": "http", "timeoutMs": 900, "args": { "url": "u", "method": "post" } }', ' "defaults": { "retries": 1 },')), 'retry-not-idempotent');
    assert.match(d.message, /HTTP POST/);
    assert.match(d.message, /Idempotency-Key/);
    at(d, 3, 62);
  });
  it('flags a POST whose Idempotency-Key is empty or blank: an empty key tells no request from another', () => {
    for (const key of ['""', '"  "', 'null']) {
      const d = only(analyzeText(json(`{ "id": "pay", "kind": "http", "timeoutMs": 900, "retries": 2, "args": { "url": "u", "method": "POST", "headers": { "Idempotency-Key": ${key} } } }`)), 'retry-not-idempotent');
      assert.match(d.message, /Its Idempotency-Key header has no value, and an empty key cannot tell one request from another/, key);
    }
    none(analyzeText(json('{ "id": "pay", "kind": "http", "timeoutMs": 900, "retries": 2, "args": { "url": "u", "method": "POST", "headers": { "x-idempotency-key": "order-7" } } }', '')), 'retry-not-idempotent');
  });
  it('is quiet for reads, PUT/DELETE, POST with an Idempotency-Key, and writers without retries', () => {
    const quiet = [
      '{ "id": "r", "kind": "http", "timeoutMs": 900, "retries": 3, "args": { "url": "u" } }',
      '{ "id": "r", "kind": "http", "timeoutMs": 900, "retries": 3, "args": { "url": "u", "method": "PUT" } }',
      '{ "id": "r", "kind": "http", "timeoutMs": 900, "retries": 3, "args": { "url": "u", "method": "DELETE" } }',
      '{ "id": "r", "kind": "http", "timeoutMs": 900, "retries": 3, "args": { "url": "u", "method": "POST", "headers": { "Idempotency-Key": "k1" } } }',
      '{ "id": "r", "kind": "simulate", "retries": 0, "writes": ["db"], "args": { "durationMs": 5 } }',
    ];
    for (const t of quiet) none(analyzeText(json(t, ' "defaults": { "retries": 2 },')), 'retry-not-idempotent');
  });
  it('flags a writer in YAML using defaults.retries', () => {
    const yaml = `defaults: { retries: 1 }
tools:
  - id: append
    kind: shell
    timeoutMs: 1000
    args: { command: "echo hi >> log.txt" }
    writes: [log.txt]
`;
    const d = only(analyzeText(yaml, 'p.yml'), 'retry-not-idempotent');
    at(d, 7, 5);
    assert.match(d.message, /defaults\.retries: 1/);
  });
});

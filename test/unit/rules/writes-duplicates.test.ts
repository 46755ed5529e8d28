import { strict as assert } from 'node:assert';
import { analyzeText, at, none, only, withCode } from '../helpers/analyzeText';

describe('rule: write-conflict', () => {
  const json = `{
  "tools": [
    { "id": "a", "kind": "simulate", "args": { "durationMs": 5 }, "writes": ["out.txt"] },
    { "id": "b", "kind": "simulate", "args": { "durationMs": 5 }, "writes": ["log.txt"] },
    { "id": "c", "kind": "simulate", "args": { "durationMs": 5 }, "writes": ["out.txt", "out.txt"] }
  ]
}`;
  it('flags two unordered writers of one resource, on the later writer, naming both', () => {
    const d = only(analyzeText(json), 'write-conflict');
    assert.equal(d.severity, 'warning');
    assert.deepEqual(d.tools, ['a', 'c']);
    at(d, 5, 67);
    assert.match(d.message, /'a' and 'c' both write 'out.txt'/);
    assert.match(d.message, /depend on/);
    assert.equal(d.lesson, 'pitfalls');
  });
  it('is quiet when one writer depends (even transitively) on the other', () => {
    none(analyzeText(json.replace('"writes": ["log.txt"]', '"writes": ["log.txt"], "dependsOn": ["a"]').replace('"writes": ["out.txt", "out.txt"]', '"writes": ["out.txt"], "dependsOn": ["b"]')), 'write-conflict');
  });
  it('reports one diagnostic per resource, listing every writer (YAML)', () => {
    const yaml = `tools:
  - { id: w1, kind: simulate, args: { durationMs: 5 }, writes: [db] }
  - { id: w2, kind: simulate, args: { durationMs: 5 }, writes: [db], dependsOn: [w1] }
  - { id: w3, kind: simulate, args: { durationMs: 5 }, writes: [db] }
`;
    const d = only(analyzeText(yaml, 'p.yaml'), 'write-conflict');
    assert.deepEqual(d.tools, ['w1', 'w2', 'w3']);
    assert.match(d.message, /3 tools write it/);
  });
  it('treats paths that name one file as one resource: ./notes.md, notes.md, docs/../notes.md', () => {
    const two = (x: string, y: string) => `tools:
  - { id: a, kind: simulate, args: { durationMs: 5 }, writes: ["${x}"] }
  - { id: b, kind: simulate, args: { durationMs: 5 }, writes: ["${y}"] }
`;
    const d = only(analyzeText(two('./notes.md', 'notes.md'), 'p.yaml'), 'write-conflict');
    assert.match(d.message, /^'a' and 'b' both write 'notes\.md' \(declared as '\.\/notes\.md' and 'notes\.md': one file\)/);
    for (const [x, y] of [['docs/../notes.md', 'notes.md'], ['out//a/./b.txt', 'out/a/b.txt/'], ['/tmp/../var/x', '/var/x'], ['../up.txt', 'sub/../../up.txt']]) {
      only(analyzeText(two(x, y), 'p.yaml'), 'write-conflict');
    }
    // Not one file: another case, another directory, a path above the start, a URL compared as written.
    for (const [x, y] of [['Notes.md', 'notes.md'], ['a/notes.md', 'notes.md'], ['../notes.md', 'notes.md'], ['../../up.txt', 'up.txt'], ['https://h/a/../b', 'https://h/b']]) {
      none(analyzeText(two(x, y), 'p.yaml'), 'write-conflict');
    }
    // The same tool declaring one file twice, spelled two ways, is one writer.
    none(analyzeText(`tools:\n  - { id: a, kind: simulate, args: { durationMs: 5 }, writes: [./x.md, x.md] }\n`, 'p.yaml'), 'write-conflict');
  });
  it('is quiet when the writers cannot overlap: maxConcurrency 1, or a shared resource limited to 1', () => {
    const two = `tools:
  - { id: a, kind: simulate, args: { durationMs: 5 }, writes: [out.txt], resource: disk }
  - { id: b, kind: simulate, args: { durationMs: 5 }, writes: [out.txt], resource: disk }
`;
    only(analyzeText(two, 'p.yaml'), 'write-conflict');
    none(analyzeText(`maxConcurrency: 1\n${two}`, 'p.yaml'), 'write-conflict');
    none(analyzeText(`limits: { disk: 1 }\n${two}`, 'p.yaml'), 'write-conflict');
    only(analyzeText(`limits: { disk: 2 }\n${two}`, 'p.yaml'), 'write-conflict');
  });
});

describe('rule: duplicate-call', () => {
  const json = `{
  "tools": [
    { "id": "get1", "kind": "http", "timeoutMs": 1000, "args": { "url": "https://api/x", "headers": { "a": "1", "b": "2" } } },
    { "id": "get2", "kind": "http", "timeoutMs": 1000, "args": { "headers": { "b": "2", "a": "1" }, "url": "https://api/x" } },
    { "id": "other", "kind": "http", "timeoutMs": 1000, "args": { "url": "https://api/y" } }
  ]
}`;
  it('flags the same kind and deep-equal args twice, on the duplicate\'s args', () => {
    const d = only(analyzeText(json), 'duplicate-call');
    assert.equal(d.severity, 'warning');
    assert.deepEqual(d.tools, ['get2', 'get1']);
    at(d, 4, 64);
    assert.match(d.message, /dedupe/);
    assert.match(d.fix?.title ?? '', /Remove 'get2'/);
  });
  it('is quiet with dedupe: true, or when the second call runs after the first (a re-read)', () => {
    none(analyzeText(json.replace('"tools"', '"dedupe": true, "tools"')), 'duplicate-call');
    none(analyzeText(json.replace('"id": "get2",', '"id": "get2", "dependsOn": ["get1"],')), 'duplicate-call');
  });
  it('offers dedupe instead of removal when something depends on the duplicate', () => {
    const d = only(analyzeText(json.replace('"id": "other",', '"id": "other", "dependsOn": ["get2"],')), 'duplicate-call');
    assert.match(d.fix?.title ?? '', /dedupe/);
  });
  it('does not treat simulated tools with equal durations as the same call, unless their labels match (YAML)', () => {
    const yaml = `tools:
  - { id: a, kind: simulate, args: { durationMs: 5 } }
  - { id: b, kind: simulate, args: { durationMs: 5 } }
  - { id: c, kind: simulate, label: search, args: { durationMs: 5, result: 1 } }
  - { id: d, kind: simulate, label: search, args: { result: 1, durationMs: 5 } }
`;
    const ds = withCode(analyzeText(yaml, 'p.yaml'), 'duplicate-call');
    assert.equal(ds.length, 1);
    assert.deepEqual(ds[0].tools, ['d', 'c']);
    at(ds[0], 5, 51);
    // Named by what is called, not by the stand-in kind "simulate".
    assert.match(ds[0].message, /the same 'search' call as 'c'/);
  });
});

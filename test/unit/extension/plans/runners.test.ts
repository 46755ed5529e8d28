import { strict as assert } from 'node:assert';
import { toJsonSafe } from '../../../../src/extension/runners/jsonSafe';
import { partsToOutput, similarNames, unknownToolMessage } from '../../../../src/extension/runners/lmResult';

describe('extension: command results as JSON', () => {
  it('keeps JSON, drops functions and undefined, survives cycles, dates and big ints', () => {
    const cyc: Record<string, unknown> = { a: 1 };
    cyc.self = cyc;
    assert.deepEqual(toJsonSafe(cyc), { a: 1, self: '[circular]' });
    assert.equal(toJsonSafe(undefined), null);
    assert.equal(toJsonSafe(NaN), null);
    assert.equal(toJsonSafe(10n), '10');
    assert.deepEqual(toJsonSafe({ f: () => 1, u: undefined, d: new Date(0), m: new Map([['k', 1]]), s: new Set([1, 2]) }),
      { d: '1970-01-01T00:00:00.000Z', m: { k: 1 }, s: [1, 2] });
    assert.deepEqual(toJsonSafe([1, [2, { x: 'y' }]]), [1, [2, { x: 'y' }]]);
  });

  it('turns URI-like objects into their string form', () => {
    const uri = { scheme: 'file', fsPath: '/a/b', path: '/a/b', toString: () => 'file:///a/b' };
    assert.equal(toJsonSafe(uri), 'file:///a/b');
  });

  it('shared (non-cyclic) references are kept', () => {
    const shared = { v: 1 };
    assert.deepEqual(toJsonSafe({ a: shared, b: shared }), { a: { v: 1 }, b: { v: 1 } });
  });

  it('stops at a depth limit instead of overflowing', () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 100; i++) { const next = {}; deep.n = next; deep = next; }
    assert.match(JSON.stringify(toJsonSafe(root)), /too deep/);
  });
});

describe('extension: language-model tool results', () => {
  it('joins text parts and parses JSON', () => {
    assert.deepEqual(partsToOutput([{ value: '{"a":' }, { value: '1}' }]), { a: 1 });
    assert.equal(partsToOutput([{ value: 'plain text' }]), 'plain text');
    assert.equal(partsToOutput([]), null);
    assert.deepEqual(partsToOutput([{ value: 'hi' }, { value: { node: 1 } }]), { text: 'hi', parts: [{ node: 1 }] });
  });

  it('suggests similar tool names for an unknown one', () => {
    const names = ['copilot_searchCodebase', 'web_search', 'mcp_github_search_issues', 'get_weather', 'runTests'];
    assert.deepEqual(similarNames('search', names).slice(0, 1), ['web_search']);
    assert.ok(similarNames('weather', names).includes('get_weather'));
    assert.match(unknownToolMessage('weather', names), /No language-model tool named 'weather'\. Did you mean .*'get_weather'/);
    assert.match(unknownToolMessage('zzz', []), /no LM tools registered/);
    assert.match(unknownToolMessage('qqqqqqqqqqqqqq', names), /Available: /);
  });
});

import { strict as assert } from 'node:assert';
import { summariseArgs } from '../../../src/core/render/argsSummary';

describe('summariseArgs: a call\'s arguments on one line', () => {
  it('is compact JSON when it fits', () => {
    assert.equal(summariseArgs({ city: 'Paris', unit: 'celsius', n: [1, 2, { deep: null }] }), '{"city":"Paris","unit":"celsius","n":[1,2,{"deep":null}]}');
    assert.equal(summariseArgs({}), '{}');
  });
  it('cuts at the budget with "…", never longer, whatever the size of the value', () => {
    const big = { text: 'x'.repeat(5_000_000), more: Array.from({ length: 100_000 }, (_, i) => i) };
    const s = summariseArgs(big, 40);
    assert.equal(s.length, 40);
    assert.ok(s.startsWith('{"text":"xxx'));
    assert.ok(s.endsWith('…'));
    const exact = summariseArgs({ a: 1 }, 7);
    assert.equal(exact, '{"a":1}');
    assert.equal(summariseArgs({ a: 12 }, 7), '{"a":1…');
  });
});

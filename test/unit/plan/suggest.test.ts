import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_SUGGEST_LENGTH, boundedEditDistance, closest, editDistance } from '../../../src/core/plan/suggest';
import { analyzeText } from '../helpers/analyzeText';
import { parsePlan } from '../../../src/core/plan/parse';

// Issue 12: "did you mean" must not be quadratic in the length of hostile names.
describe('did-you-mean suggestions', () => {
  it('the banded distance agrees with Levenshtein wherever it is within the bound', () => {
    fc.assert(fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), fc.nat(8), (a, b, max) => {
      const d = editDistance(a, b);
      assert.equal(boundedEditDistance(a, b, max), d <= max ? d : max + 1);
    }), { numRuns: 3000 });
  });

  it('still suggests near names, case-insensitively', () => {
    assert.equal(closest('wether', ['weather', 'flights']), 'weather');
    assert.equal(closest('FLIGHT', ['weather', 'flights']), 'flights');
    assert.equal(closest('zzz', ['weather', 'flights']), undefined);
  });

  it('names longer than the cap get no suggestion, and the comparison does no work on them', () => {
    const long = 'a'.repeat(MAX_SUGGEST_LENGTH + 1);
    assert.equal(closest(long, [`${long.slice(1)}b`]), undefined);
    // 50,000 characters against 1,000 near-identical names: without the cap, 2.5e12 steps.
    const huge = 'a'.repeat(50_000);
    const options = Array.from({ length: 1000 }, (_, i) => `${huge.slice(0, -4)}${String(i).padStart(4, '0')}`);
    assert.equal(closest(huge, options), undefined);
  });

  it('a plan with a 50,000-character unknown dependency is analysed with a plain error', () => {
    const id = 'a'.repeat(50_000);
    const text = JSON.stringify({ tools: [
      { id, kind: 'simulate', args: { durationMs: 1 } },
      { id: 'b', kind: 'simulate', args: { durationMs: 1 }, dependsOn: [`${id.slice(0, -10)}${'b'.repeat(10)}`] },
    ] });
    const parsed = parsePlan(text, { fileName: 'long.toolplan.json' });
    const errors = [...parsed.diagnostics, ...(parsed.plan ? analyzeText(text, 'long.toolplan.json').diagnostics : [])].filter((d) => d.severity === 'error');
    assert.ok(errors.length > 0);
    assert.ok(errors.every((d) => !/Did you mean/.test(d.message)));
  });
});

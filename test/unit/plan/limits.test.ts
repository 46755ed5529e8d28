// `limits` in plan files: a number per resource, or { max, adaptive?, min? } (README "Adaptive
// limits"). Every problem is a schema error at the value, saying what to write.
import { strict as assert } from 'node:assert';
import { parsePlan } from '../../../src/core/plan/parse';

const TOOL = 'tools:\n  - { id: a, kind: simulate, args: { durationMs: 1 }, resource: api }\n';

function errors(limits: string): { line: number; column: number; message: string; text: string }[] {
  const text = `${TOOL}limits:\n${limits}\n`;
  const lines = text.split('\n');
  return parsePlan(text, { fileName: 'l.toolplan.yaml' }).diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => ({ line: d.line, column: d.column, message: d.message, text: lines[d.line - 1].slice(d.column - 1) }));
}

describe('plan limits (numbers and adaptive objects)', () => {
  it('reads numbers and { max, adaptive, min } in YAML and JSON', () => {
    const y = parsePlan(`${TOOL}limits: { api: { max: 8, adaptive: true, min: 2 }, db: 3, web: { max: 4 } }\n`, { fileName: 'l.toolplan.yaml' });
    assert.deepEqual(y.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.deepEqual({ ...y.plan!.limits }, { api: 8, db: 3, web: 4 });
    assert.deepEqual({ ...y.plan!.adaptiveLimits }, { api: { min: 2 } });
    const j = parsePlan(JSON.stringify({ limits: { api: { max: 8, adaptive: true } }, tools: [{ id: 'a', kind: 'simulate', args: { durationMs: 1 }, resource: 'api' }] }), { fileName: 'l.toolplan.json' });
    assert.deepEqual(j.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.deepEqual({ ...j.plan!.adaptiveLimits }, { api: {} });
    const off = parsePlan(`${TOOL}limits: { api: { max: 8, adaptive: false } }\n`, { fileName: 'l.toolplan.yaml' });
    assert.equal(off.plan!.adaptiveLimits, undefined);
    assert.equal(off.plan!.limits.api, 8);
  });

  it('a bad number or value is an error at it, naming both shapes', () => {
    const [e] = errors('  api: 0');
    assert.deepEqual([e.line, e.column, e.text], [4, 8, '0']);
    assert.match(e.message, /'limits' › 'api' must be a whole number of at least 1, or \{ max: 8, adaptive: true, min: 2 \}/);
    assert.match(errors('  api: fast')[0].message, /got the string "fast"/);
    assert.match(errors('  api: 2.5')[0].message, /got 2\.5/);
  });

  it('an object without max, with a bad max, adaptive or min, or an unknown key: an error at the part', () => {
    const noMax = errors('  api: { adaptive: true }');
    assert.equal(noMax.length, 1);
    assert.match(noMax[0].message, /'api' needs max, the most tools of the resource at once: \{ max: 8, adaptive: true \}/);
    assert.equal(noMax[0].text, '{ adaptive: true }');
    const [badMax] = errors('  api: { max: 0, adaptive: true }');
    assert.equal(badMax.text.slice(0, 1), '0');
    assert.match(badMax.message, /'max' must be a whole number of at least 1 \(got 0\)/);
    const [badFlag] = errors('  api: { max: 8, adaptive: yes }');
    assert.match(badFlag.message, /'adaptive' must be true or false \(got the string "yes"\)/);
    assert.equal(badFlag.text.slice(0, 3), 'yes');
    const [minAbove] = errors('  api: { max: 2, adaptive: true, min: 3 }');
    assert.match(minAbove.message, /'min' \(3\) is above 'max' \(2\).*lower min or raise max/);
    assert.equal(minAbove.text.slice(0, 1), '3');
    const [minFixed] = errors('  api: { max: 2, min: 1 }');
    assert.match(minFixed.message, /'min' applies only to an adaptive limit: add adaptive: true, or remove min/);
    const [typo] = errors('  api: { max: 8, adaptve: true }');
    assert.match(typo.message, /unknown key 'adaptve': a limit object is \{ max, adaptive\?, min\? \}/);
    assert.equal(typo.line, 4);
  });

  it('a rejected limit does not cap or adapt anything', () => {
    const p = parsePlan(`${TOOL}limits: { api: { max: 2, adaptive: true, min: 3 } }\n`, { fileName: 'l.toolplan.yaml' }).plan!;
    assert.equal(p.limits.api, undefined);
    assert.equal(p.adaptiveLimits, undefined);
  });
});

// The project's own fuzz test (issue 12): a seeded, bounded mutation run over the repo's samples,
// exercises and fixtures, each input through parse → analyze → JSON (→ simulate when valid).
// `npm run fuzz` runs the same driver longer (scripts/fuzz.ts).

import assert from 'node:assert/strict';
import { parsePlan } from '../../../src/core/plan/parse';
import { MAX_ALIAS_EXPANSION } from '../../../src/core/plan/tree';
import { checkInput, nonFinite } from './check';
import { loadSeeds } from './corpus';
import { runFuzz, summaryLine } from './run';
import { cliSample, runCliFuzz } from './cli';
import { buildOnce } from '../cli/helpers';

describe('fuzz: hostile and mutated plans end in a clean answer', function () {
  this.timeout(180_000);

  it('3,000 seeded mutations of the samples and fixtures: no crash, no hang, no bad output', async () => {
    const summary = await runFuzz({ count: 3000, seed: 12, hangMs: 3000 });
    const report = summary.findings.map((f) => `${f.kind} ${f.input}: ${f.signature}\n${f.detail}`).join('\n\n');
    assert.equal(summary.inputs, 3000, summaryLine(summary));
    assert.equal(summary.crashes + summary.hangs + summary.bad, 0, `${summaryLine(summary)}\n${report}`);
  });

  it('a sample of the same inputs through the real CLI process (analyze --json, simulate --json, mermaid): clean exits and JSON', async function () {
    this.timeout(300_000);
    buildOnce();
    const summary = await runCliFuzz({ seed: 12, inputs: cliSample(3000, 6), hangMs: 60_000 });
    const report = summary.findings.map((f) => `${f.kind} ${f.input}: ${f.signature}\n${f.detail}`).join('\n\n');
    assert.equal(summary.inputs, 6, summaryLine(summary));
    assert.equal(summary.crashes + summary.hangs + summary.bad, 0, `${summaryLine(summary)}\n${report}`);
  });

  it('the checker flags a non-finite number anywhere in the output, and every seed passes unmutated', async () => {
    assert.equal(nonFinite({ a: [1, { b: Infinity }] }), '$.a[1].b = Infinity');
    assert.equal(nonFinite({ a: [1, { b: 2 }] }), undefined);
    // Every seed is read, and the unmutated ones are clean.
    const seeds = loadSeeds();
    assert.ok(seeds.length > 40, `${seeds.length} seeds`);
    for (const s of seeds) assert.deepEqual(await checkInput(s.text, s.name), { kind: 'ok' }, s.name);
  });

  it('an alias bomb stops at the alias that crosses the expansion limit, with its position', () => {
    const bomb = loadSeeds().find((s) => s.name === 'alias-bomb.yaml');
    assert.ok(bomb);
    const { plan, diagnostics } = parsePlan(bomb.text, { fileName: 'bomb.yaml' });
    assert.equal(plan, undefined);
    assert.equal(diagnostics.length, 1);
    const [d] = diagnostics;
    assert.equal(d.code, 'parse-error');
    assert.match(d.message, new RegExp(`alias '\\*d'.*${MAX_ALIAS_EXPANSION.toLocaleString('en-US')}`));
    assert.equal(d.line, 5);
    assert.equal(bomb.text.split('\n')[d.line - 1].slice(d.column - 1, d.column + 1), '*d');
  });

  it('aliases within the limit still expand (merge keys, shared args), and a self-referencing alias is an error', () => {
    const ok = parsePlan('base: &d { durationMs: 5 }\nshared: &s { q: [1, 2, 3] }\ntools:\n  - { id: a, kind: simulate, args: { <<: *d, x: *s } }\n  - { id: b, kind: simulate, args: { <<: *d, x: *s } }\n', { fileName: 'p.yaml' });
    assert.deepEqual(ok.diagnostics, []);
    assert.deepEqual(ok.plan?.tools.map((t) => t.args), [{ durationMs: 5, x: { q: [1, 2, 3] } }, { durationMs: 5, x: { q: [1, 2, 3] } }].map((v) => Object.assign(Object.create(null), v, { x: Object.assign(Object.create(null), v.x) })));
    const self = parsePlan('a: &a [1, *a]\ntools: []\n', { fileName: 'p.yaml' });
    assert.equal(self.plan, undefined);
    assert.match(self.diagnostics[0].message, /refers to the value that contains it/);
    assert.deepEqual([self.diagnostics[0].line, self.diagnostics[0].column], [1, 11]);
  });

  it('numbers that are not finite (1e999, .inf, .nan) are refused where they are written, not printed as null', () => {
    const cases: [string, string, string][] = [
      ['{"tools":[{"id":"a","kind":"simulate","args":{"durationMs":5,"x":1e999}}]}', 'a.json', '1e999'],
      ['tools:\n  - {id: a, kind: simulate, args: {durationMs: .inf}}\n', 'a.yaml', '.inf'],
      ['tools:\n  - {id: a, kind: simulate, args: {durationMs: 5, x: .NaN}}\n', 'a.yaml', '.NaN'],
    ];
    for (const [text, fileName, written] of cases) {
      const { plan, diagnostics } = parsePlan(text, { fileName });
      assert.equal(plan, undefined, text);
      assert.equal(diagnostics.length, 1, text);
      const d = diagnostics[0];
      assert.match(d.message, /not a finite number/);
      assert.equal(text.split('\n')[d.line - 1].slice(d.column - 1, d.column - 1 + written.length), written);
    }
  });
});

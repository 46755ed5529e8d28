import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { buildOnce, json, runCli } from '../cli/helpers';
import { OtlpBuilder } from './otlpBuilder';

describe('cli: fanout audit (real process)', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    buildOnce();
    dir = mkdtempSync(join(os.tmpdir(), 'fanout-audit-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--json prints the §10 object, exit 0; the text report goes to stdout', async () => {
    const b = new OtlpBuilder('agent', 3100);
    b.chat(0, 1000, [['a', 'one', {}], ['b', 'two', {}]]);
    b.tool(1000, 2000, 'one', { id: 'a' });
    b.tool(2000, 3000, 'two', { id: 'b' });
    b.chat(3000, 3100, []);
    const file = join(dir, 'trace.json');
    writeFileSync(file, b.json());
    const r = await runCli(['audit', file, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const o = json(r);
    for (const k of ['format', 'turns', 'tools', 'diagnostics', 'actualMs', 'counterfactualMs']) assert.ok(k in o, `missing ${k}`);
    assert.equal(o.format, 'otlp');
    assert.deepEqual((o.turns as { calls: number[] }[]).map((t) => t.calls), [[0, 1], []]);
    assert.deepEqual((o.tools as { id: string; turn: number; status: string }[]).map((t) => [t.id, t.turn, t.status]), [['a', 0, 'succeeded'], ['b', 0, 'succeeded']]);
    assert.equal(o.actualMs, 3100);
    assert.equal(o.counterfactualMs, 2100);
    assert.deepEqual((o.diagnostics as { code: string }[]).map((d) => d.code), ['serialized-batch']);
    const text = await runCli(['audit', file]);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /actual 3.1 s → with Fanout 2.1 s/);
    const stdin = await runCli(['audit', '-', '--json'], { input: b.json() });
    assert.equal(json(stdin).counterfactualMs, 2100);
    const capped = json(await runCli(['audit', file, '--json', '--max-concurrency', '1']));
    assert.deepEqual(capped.diagnostics, []);
  });

  it('FANOUT_AUDIT_TIMES=1 adds one stderr line with when each stage ended (the bench reads it), output unchanged', async () => {
    const b = new OtlpBuilder('agent', 3100);
    b.chat(0, 1000, [['a', 'one', {}], ['b', 'two', {}]]);
    b.tool(1000, 2000, 'one', { id: 'a' });
    b.tool(2000, 3000, 'two', { id: 'b' });
    b.chat(3000, 3100, []);
    const file = join(dir, 'timed.json');
    writeFileSync(file, b.json());
    const plain = await runCli(['audit', file, '--json']);
    assert.equal(plain.stderr, '');
    const timed = await runCli(['audit', file, '--json'], { env: { FANOUT_AUDIT_TIMES: '1' } });
    assert.equal(timed.code, 0, timed.stderr);
    assert.equal(timed.stdout, plain.stdout);
    const m = /^fanout-audit-times (.*)\n$/.exec(timed.stderr);
    assert.ok(m, timed.stderr);
    const marks = m[1].split(' ').map((kv) => kv.split('='));
    assert.deepEqual(marks.map(([k]) => k), ['start', 'input', 'read', 'rebuild', 'dataflow', 'counterfactual', 'rules', 'positions', 'output']);
    const ms = marks.map(([, v]) => Number(v));
    assert.ok(ms.every((x, i) => Number.isFinite(x) && x > 0 && (i === 0 || x >= ms[i - 1])), m[1]);
    // Unreadable input: no marks past the input (nothing else ran), the error as before.
    const broken = join(dir, 'broken-timed.json');
    writeFileSync(broken, '{"resourceSpans": [}');
    const bad = await runCli(['audit', broken], { env: { FANOUT_AUDIT_TIMES: '1' } });
    assert.equal(bad.code, 2);
    assert.doesNotMatch(bad.stderr, /fanout-audit-times/);
  });

  it('exit 2 with a positioned error for unreadable input, as text and as JSON', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{\n  "resourceSpans": [\n    {"scopeSpans": [}\n');
    const r = await runCli(['audit', file, '--json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /broken\.json:3:21 error parse-error Not a readable trace: a value was expected here/);
    const o = json(r);
    assert.equal(o.valid, false);
    assert.deepEqual((o.diagnostics as { line: number; column: number }[]).map((d) => [d.line, d.column]), [[3, 21]]);
    const missing = await runCli(['audit', join(dir, 'nope.json')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /does not exist/);
    const usage = await runCli(['audit']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /missing TRACE/);
  });
});

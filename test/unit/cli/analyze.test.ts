import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOnce, collect, FIXTURES, json, runCli, startCli } from './helpers';

describe('cli: analyze and mermaid (real process)', function () {
  this.timeout(60_000);
  before(() => buildOnce());

  it('analyze --json prints exactly the contract object, exit 0', async () => {
    const r = await runCli(['analyze', 'fanout.toolplan.json', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const o = json(r);
    for (const k of ['plan', 'valid', 'diagnostics', 'levels', 'criticalPath', 'estimate', 'mermaid']) assert.ok(k in o, `missing ${k}`);
    assert.deepEqual(o.plan, { name: 'Fan-out and join', format: 'native', tools: 5, edges: 4 });
    assert.equal(o.valid, true);
    assert.deepEqual(o.levels, [['search', 'weather', 'news', 'stocks'], ['summary']]);
    assert.deepEqual(o.criticalPath, { tools: ['search', 'summary'], ms: 350 });
    const e = o.estimate as Record<string, number>;
    assert.equal(e.sequentialMs, 750);
    assert.equal(e.maxWidth, 4);
    // parallelMs is the engine's scheduler under the cap of 3: what `simulate` achieves.
    assert.equal(e.parallelMs, 350);
    assert.equal(e.lowerBoundMs, 350);
    assert.equal(e.speedup, 2.14);
    const sim = json(await runCli(['simulate', 'fanout.toolplan.json', '--json']));
    assert.equal(sim.makespanMs, e.parallelMs);
    assert.match(String(o.mermaid), /^flowchart LR\n/);
    // summary references search's output and declares it: no undeclared-dependency.
    const codes = (o.diagnostics as { code: string }[]).map((d) => d.code);
    assert.ok(!codes.includes('undeclared-dependency'), codes.join());
  });

  it('analyze predicts parallel time by simulating the cap, not by the lower bound', async () => {
    const o = json(await runCli(['analyze', 'capped.toolplan.json', '--json']));
    // 4 tools, cap 2: d (150) and a run first, then b and c: 250 ms, while work / slots = 225 ms.
    assert.deepEqual(o.estimate, { sequentialMs: 450, parallelMs: 250, speedup: 1.8, maxWidth: 4, lowerBoundMs: 225 });
    const text = await runCli(['analyze', 'capped.toolplan.json']);
    assert.match(text.stdout, /^Estimate {2}sequential 450 ms → predicted parallel 250 ms · speedup 1\.8× · lower bound 225 ms$/m);
  });

  it('analyze prints a text report by default, warnings still exit 0', async () => {
    const r = await runCli(['analyze', 'warnings.toolplan.yaml']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Warnings only — warnings\.toolplan\.yaml \(native\)$/m);
    assert.match(r.stdout, /^warnings\.toolplan\.yaml:8:11 warning undeclared-dependency /m);
    assert.doesNotMatch(r.stdout, /\u001b\[/, 'no colour when not a terminal');
  });

  it('reads standard input with -', async () => {
    const input = readFileSync(join(FIXTURES, 'fanout.toolplan.json'), 'utf8');
    const r = await runCli(['analyze', '-', '--json'], { input });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(json(r).file, '<stdin>');
    assert.equal((json(r).plan as { tools: number }).tools, 5);
  });

  it('a missing file is exit 2, and --json is still a well-formed object', async () => {
    const r = await runCli(['analyze', 'no-such.toolplan.json', '--json']);
    assert.equal(r.code, 2);
    const o = json(r);
    assert.equal(o.valid, false);
    const d = (o.diagnostics as { code: string; message: string; line: number; column: number }[])[0];
    assert.equal(d.code, 'parse-error');
    assert.match(d.message, /does not exist/);
    assert.deepEqual([d.line, d.column], [1, 1]);
    const text = await runCli(['analyze', 'no-such.toolplan.json']);
    assert.equal(text.code, 2);
    assert.match(text.stdout, /^no-such\.toolplan\.json:1:1 error parse-error .*does not exist/m);
  });

  it('broken JSON is exit 2 with the line and column of the mistake', async () => {
    const r = await runCli(['analyze', 'broken.toolplan.json']);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /^broken\.toolplan\.json:4:37 error parse-error Invalid JSON: expected ','/m);
    const o = json(await runCli(['analyze', 'broken.toolplan.json', '--json']));
    const d = (o.diagnostics as { line: number; column: number }[])[0];
    assert.deepEqual([d.line, d.column], [4, 37]);
  });

  it('a cycle is exit 2 and the message names the whole cycle', async () => {
    const r = await runCli(['analyze', 'cycle.toolplan.yaml', '--json']);
    assert.equal(r.code, 2);
    const o = json(r);
    assert.equal(o.valid, false);
    const d = (o.diagnostics as { code: string; message: string }[]).find((x) => x.code === 'cycle');
    assert.ok(d);
    assert.match(d.message, /a → b → c → a|b → c → a → b|c → a → b → c/);
  });

  it('SIGINT while waiting on standard input stops at once instead of hanging', async () => {
    const child = startCli(['analyze', '-'], { keepStdinOpen: true });
    const done = collect(child);
    await new Promise((r) => setTimeout(r, 1000));
    child.kill('SIGINT');
    const r = await done;
    // 130 from our handler; or killed by the signal if it arrived before the handler was installed.
    assert.ok(r.code === 130 || r.signal === 'SIGINT', `code ${r.code} signal ${r.signal}`);
    child.stdin?.destroy();
  });

  it('an unknown flag is exit 2 with usage on stderr', async () => {
    const r = await runCli(['analyze', 'fanout.toolplan.json', '--jsno']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown option '--jsno'/);
    assert.match(r.stderr, /Usage: fanout analyze/);
    assert.equal(r.stdout, '');
  });

  it('mermaid prints the flowchart (exit 0), or the diagnostics on stderr (exit 2)', async () => {
    const ok = await runCli(['mermaid', 'fanout.toolplan.json']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^flowchart LR\n {2}t0\("search<br\/>300 ms"\)/);
    assert.match(ok.stdout, /^ {2}t0 --> t4$/m);
    const bad = await runCli(['mermaid', 'cycle.toolplan.yaml']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^cycle\.toolplan\.yaml:\d+:\d+ error cycle /m);
    const stdin = await runCli(['mermaid', '-'], { input: readFileSync(join(FIXTURES, 'fanout.toolplan.json'), 'utf8') });
    assert.equal(stdin.code, 0);
    assert.equal(stdin.stdout, ok.stdout);
  });
});

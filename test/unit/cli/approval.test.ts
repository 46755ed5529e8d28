// `fanout run --approve all|read-only|prompt` through the built CLI (a real process; the prompt on a
// real pseudo-terminal from util-linux `script`). The functions write marker files, so "never
// started" is checked on disk, not only in the record.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOnce, CLI, json, runCli } from './helpers';

const TOOLS = `import { writeFileSync } from 'node:fs';
export function mark(input) {
  writeFileSync(input.file, 'ran');
  return 'wrote ' + input.file;
}
export async function look() { return 'looked'; }
look.annotations = { readOnlyHint: true };
`;

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

describe('cli: fanout run --approve (real process)', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    buildOnce();
    dir = mkdtempSync(join(tmpdir(), 'fanout-approve-'));
    writeFileSync(join(dir, 'tools.mjs'), TOOLS);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Two marking calls ready at once, a read-only look, a simulation, and a dependent of `w1`. */
  const plan = (name: string): { file: string; w1: string; w2: string } => {
    const w1 = join(dir, `${name}.w1`);
    const w2 = join(dir, `${name}.w2`);
    const file = join(dir, `${name}.toolplan.json`);
    writeFileSync(file, JSON.stringify({
      name,
      tools: [
        { id: 'w1', kind: 'function', args: { module: './tools.mjs', export: 'mark', input: { file: w1 } } },
        { id: 'w2', kind: 'function', args: { module: './tools.mjs', export: 'mark', input: { file: w2 } } },
        { id: 'look', kind: 'function', args: { module: './tools.mjs', export: 'look' } },
        { id: 'sim', kind: 'simulate', args: { durationMs: 300 } },
        { id: 'after', kind: 'simulate', args: { durationMs: 1 }, dependsOn: ['w1'] },
      ],
    }, null, 2));
    return { file, w1, w2 };
  };

  it('without a terminal and without --approve: refused before anything starts, exit 2, saying what to pass', async () => {
    const p = plan('refused');
    const r = await runCli(['run', p.file], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^fanout run: 2 calls need approval \(w1: mark of \.\/tools\.mjs; w2: mark of \.\/tools\.mjs\) and there is no terminal to ask on\. Nothing was started\. Pass --approve all to run them, or --approve read-only/);
    assert.equal(r.stdout, '');
    assert.ok(!existsSync(p.w1) && !existsSync(p.w2), 'no call ran');
    const prompt = await runCli(['run', p.file, '--approve', 'prompt'], { cwd: dir });
    assert.equal(prompt.code, 2);
    assert.match(prompt.stderr, /--approve prompt needs a terminal to ask on/);
    const bad = await runCli(['run', p.file, '--approve', 'some'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--approve takes all, read-only or prompt, not 'some'/);
  });

  it('--approve read-only: calls that need approval are denied (never run), their dependents skipped; the rest runs', async () => {
    const p = plan('readonly');
    const r = await runCli(['run', p.file, '--approve', 'read-only', '--json'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    const o = json(r) as { status: string; tools: { id: string; status: string; error: string | null; startedAt: number | null; approval?: { askedAt: number; answeredAt: number } }[] };
    const by = Object.fromEntries(o.tools.map((t) => [t.id, t]));
    assert.equal(by.w1.status, 'denied');
    assert.equal(by.w1.error, 'denied by --approve read-only (only calls known to be read-only run)');
    assert.equal(by.w1.startedAt, null);
    assert.ok(by.w1.approval && by.w1.approval.answeredAt >= by.w1.approval.askedAt);
    assert.equal(by.w2.status, 'denied');
    assert.equal(by.after.status, 'skipped');
    assert.equal(by.after.error, "dependency 'w1' was denied");
    assert.equal(by.look.status, 'succeeded', 'a function stating readOnlyHint needs no approval');
    assert.equal(by.look.approval, undefined);
    assert.equal(by.sim.status, 'succeeded');
    assert.ok(!existsSync(p.w1) && !existsSync(p.w2), 'denied calls never ran');

    const text = await runCli(['run', p.file, '--approve', 'read-only'], { cwd: dir });
    assert.equal(text.code, 1);
    // A loaded machine can show a moment queued (·) before the approval wait (?): both are allowed.
    assert.match(text.stdout, /⊗ w1 +│[·?]* *│ — · denied/);
    assert.match(text.stdout, /2 denied/);
  });

  it('--approve all: every call runs, nothing waits', async () => {
    const p = plan('all');
    const r = await runCli(['run', p.file, '--approve', 'all', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const o = json(r) as { tools: { id: string; status: string; approval?: unknown }[] };
    assert.ok(o.tools.every((t) => t.status === 'succeeded' && t.approval === undefined), r.stdout);
    assert.ok(existsSync(p.w1) && existsSync(p.w2));
  });

  (hasScript ? it : it.skip)('--approve prompt on a real terminal: one question for the batch, per-call answers, the others run meanwhile', async () => {
    const p = plan('prompt');
    const cmd = [process.execPath, CLI, 'run', p.file, '--approve', 'prompt'].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    // `script` gives the CLI a pseudo-terminal for stdin, stdout and stderr; -e returns its exit code.
    const child = spawn('script', ['-qec', cmd, '/dev/null'], { cwd: dir, env: { ...process.env, NO_COLOR: '1', COLUMNS: '100' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let answered = false;
    const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      if (!answered && out.includes('Allow? ')) {
        answered = true;
        child.stdin.write('2\r');
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await done;
    clearTimeout(timer);
    const plain = out.replace(/\r/g, '');
    assert.equal(code, 1, plain);
    assert.match(plain, /fanout: 2 calls wait for approval \(the others keep running\):\n {2}1\. w1: mark of \.\/tools\.mjs {2}input \{"file":"[^"]+prompt\.w1"\}\n {5}why: function: runs code of a module, not stated read-only\n {2}2\. w2: mark of/);
    assert.equal(plain.split('Allow? ').length - 1, 1, 'asked once');
    assert.ok(!existsSync(p.w1), 'w1 was not allowed');
    assert.ok(existsSync(p.w2), 'w2 was allowed and ran');
    assert.match(plain, /⊗ w1 /);
    assert.match(plain, /✓ w2 /);
    assert.match(plain, /↷ after /);
    assert.match(plain, /\? waiting for approval/);
  });
});

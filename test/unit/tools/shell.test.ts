import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, readFileSync, realpathSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createShellRunner, shellRunner } from '../../../src/core/tools/shell';
import { eventually, isGone, makeContext, rejection } from './helpers';

describe('shell runner', () => {
  let dir: string;
  before(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-shell-')));
    mkdirSync(join(dir, 'sub'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (args: Parameters<typeof makeContext>[1], signal?: AbortSignal) => shellRunner.run(makeContext('shell', args, signal));

  describe('output', () => {
    it('is stdout with one trailing newline removed', async () => {
      assert.equal(await run({ command: 'echo hello' }), 'hello');
      assert.equal(await run({ command: "printf 'a\\n\\n'" }), 'a\n');
      assert.equal(await run({ command: "printf 'no newline'" }), 'no newline');
      assert.equal(await run({ command: 'true' }), '');
    });

    it('is the parsed value when stdout is a JSON object or array', async () => {
      assert.deepEqual(await run({ command: `printf '{"files":["a","b"],"n":2}\\n'` }), { files: ['a', 'b'], n: 2 });
      assert.deepEqual(await run({ command: `echo '[1, 2]'` }), [1, 2]);
    });

    it('stays text for JSON scalars and for text that only looks like JSON', async () => {
      assert.equal(await run({ command: 'echo 42' }), '42');
      assert.equal(await run({ command: 'echo true' }), 'true');
      assert.equal(await run({ command: "echo '{not json}'" }), '{not json}');
    });

    it('logs the exit code and stderr of a successful command', async () => {
      const ctx = makeContext('shell', { command: 'echo careful >&2; echo ok' });
      assert.equal(await shellRunner.run(ctx), 'ok');
      const log = ctx.lines.join('\n');
      assert.match(log, /exit code 0/);
      assert.match(log, /careful/);
    });

    it('caps stdout (default 1 MiB) with a marked truncation, and says so in the log', async () => {
      const ctx = makeContext('shell', { command: "head -c 3000000 /dev/zero | tr '\\0' a" });
      const out = await shellRunner.run(ctx);
      assert.equal(typeof out, 'string');
      const text = out as string;
      assert.equal(text.slice(0, 1024 * 1024), 'a'.repeat(1024 * 1024));
      assert.match(text.slice(1024 * 1024), /^\n…\[truncated by fanout: stdout passed the 1 MiB a shell tool keeps; the command was stopped there\]$/);
      assert.match(ctx.lines.join('\n'), /stdout truncated/);
    });

    it('stops a command that prints forever at the cap, as head would (`yes`, no timeout)', async () => {
      const small = createShellRunner({ maxOutputBytes: 1000 });
      const ctx = makeContext('shell', { command: 'yes; echo never >&2' });
      const out = (await small.run(ctx)) as string;
      assert.equal(out.slice(0, 1000), 'y\n'.repeat(500));
      assert.match(out, /truncated by fanout: stdout passed the 1000 B a shell tool keeps; the command was stopped there\]$/);
      assert.doesNotMatch(ctx.lines.join('\n'), /never/);
    });

    it('stops a command that prints forever on stderr at the cap (`yes >&2`, no timeout), stdout kept and marked', async () => {
      const small = createShellRunner({ maxOutputBytes: 1000 });
      const ctx = makeContext('shell', { command: 'echo before; yes >&2; echo never' });
      const out = (await small.run(ctx)) as string;
      assert.equal(out, 'before\n\n…[truncated by fanout: stderr passed the 1000 B a shell tool keeps; the command was stopped there, so stdout may be incomplete]');
      const log = ctx.lines.join('\n');
      assert.match(log, /stderr truncated to the first 1000 B/);
      assert.match(log, /stderr passed the 1000 B a shell tool keeps; the command was stopped there/);
    });

    it('bounds stderr at the default 1 MiB too: `yes >&2` ends with the mark as the whole output', async () => {
      const ctx = makeContext('shell', { command: 'yes >&2' });
      const out = await shellRunner.run(ctx);
      assert.equal(out, '…[truncated by fanout: stderr passed the 1 MiB a shell tool keeps; the command was stopped there, so stdout may be incomplete]');
      assert.match(ctx.lines.join('\n'), /stderr truncated to the first 1 MiB/);
    });

    it('keeps a command that finished under its own steam: the rest of its output is marked as not kept', async () => {
      const small = createShellRunner({ maxOutputBytes: 1000 });
      // All output is written before the exit, into a pipe buffer bigger than the cap.
      const out = (await small.run(makeContext('shell', { command: "head -c 5000 /dev/zero | tr '\\0' b > /tmp/fanout-cap-$$; cat /tmp/fanout-cap-$$; rm /tmp/fanout-cap-$$" }))) as string;
      assert.equal(out.slice(0, 1000), 'b'.repeat(1000));
      assert.match(out, /truncated by fanout: stdout passed the 1000 B a shell tool keeps/);
    });

    it('names the referenced output that is too big for a command (E2BIG) instead of the bare errno', async () => {
      const error = await rejection(run({ command: 'echo "$FANOUT_REF_1"', env: { FANOUT_REF_1: 'x'.repeat(200_000) } }));
      assert.match(error.message, /E2BIG\): FANOUT_REF_1 \(a referenced output\) is 195\.3 KiB, and Linux takes at most 128 KiB/);
      assert.match(error.message, /Reference a smaller part of the output/);
    });
  });

  describe('failure', () => {
    it('reports a non-zero exit code with the last lines of stderr', async () => {
      const error = await rejection(run({ command: 'echo first >&2; echo "no such file" >&2; exit 3' }));
      assert.match(error.message, /exited with code 3/);
      assert.match(error.message, /no such file/);
    });

    it('keeps only the tail of long stderr in the message', async () => {
      const error = await rejection(run({ command: 'for i in $(seq 1 50); do echo "line $i" >&2; done; exit 1' }));
      assert.match(error.message, /line 50/);
      assert.doesNotMatch(error.message, /line 10\b/);
    });

    it('falls back to stdout when stderr is empty', async () => {
      const error = await rejection(run({ command: 'echo "useful hint"; exit 2' }));
      assert.match(error.message, /code 2/);
      assert.match(error.message, /useful hint/);
    });

    it('reports a command killed by a signal', async () => {
      const error = await rejection(run({ command: 'kill -9 $$' }));
      assert.match(error.message, /killed by signal SIGKILL/);
    });

    it('reports an unknown command through the shell (exit 127)', async () => {
      const error = await rejection(run({ command: 'definitely-not-a-command-xyz' }));
      assert.match(error.message, /code 127/);
      assert.match(error.message, /not found/);
    });
  });

  describe('arguments', () => {
    it('rejects a missing, empty or non-string command with a clear message', async () => {
      assert.match((await rejection(run({}))).message, /args\.command must be a non-empty string \(got nothing\)/);
      assert.match((await rejection(run({ command: '  ' }))).message, /args\.command must be a non-empty string/);
      assert.match((await rejection(run({ command: 5 }))).message, /args\.command .*got number 5/);
    });

    it('rejects bad cwd and env values', async () => {
      assert.match((await rejection(run({ command: 'true', cwd: 3 }))).message, /args\.cwd must be a string/);
      assert.match((await rejection(run({ command: 'true', env: 'A=1' }))).message, /args\.env must be an object/);
      assert.match((await rejection(run({ command: 'true', env: { A: { b: 1 } } }))).message, /args\.env\.A must be a string/);
      assert.match((await rejection(run({ command: 'true', env: { 'A=B': 'x' } }))).message, /invalid variable name "A=B"/);
      assert.match((await rejection(run({ command: 'true', env: { A: 'x\u0000' } }))).message, /args\.env\.A contains a NUL/);
      assert.match((await rejection(run({ command: 'echo a\u0000b' }))).message, /args\.command contains a NUL/);
    });

    it('merges env over the inherited environment (an allow-list, plus inheritEnv); null unsets a variable', async () => {
      process.env['FANOUT_TEST_INHERITED'] = 'inherited';
      try {
        const command = 'echo "${FANOUT_TEST_INHERITED-none}-$FOO-$BAR-${HOME-unset}"';
        assert.equal(await run({ command, env: { FOO: 'x', BAR: 7, HOME: null } }), 'none-x-7-unset');
        const out = await run({ command, env: { FOO: 'x', BAR: 7, HOME: null }, inheritEnv: ['FANOUT_TEST_*'] });
        assert.equal(out, 'inherited-x-7-unset');
      } finally {
        delete process.env['FANOUT_TEST_INHERITED'];
      }
    });

    it('runs in the base directory, and resolves a relative cwd against it', async () => {
      const runner = createShellRunner({ cwd: dir });
      assert.equal(await runner.run(makeContext('shell', { command: 'pwd -P' })), dir);
      assert.equal(await runner.run(makeContext('shell', { command: 'pwd -P', cwd: 'sub' })), join(dir, 'sub'));
      assert.equal(await runner.run(makeContext('shell', { command: 'pwd -P', cwd: join(dir, 'sub') })), join(dir, 'sub'));
    });

    it('rejects a cwd that does not exist, naming the resolved path', async () => {
      const runner = createShellRunner({ cwd: dir });
      const error = await rejection(runner.run(makeContext('shell', { command: 'true', cwd: 'missing' })));
      assert.match(error.message, /args\.cwd "missing" is not an existing directory/);
      assert.ok(error.message.includes(join(dir, 'missing')));
    });

    it('gives commands an empty stdin instead of hanging', async () => {
      assert.equal(await run({ command: 'cat; echo eof' }), 'eof');
    });
  });

  describe('cancellation', () => {
    async function startWithGrandchild(pidFile: string, command: string, graceMs?: number) {
      const controller = new AbortController();
      const runner = createShellRunner(graceMs === undefined ? {} : { killGraceMs: graceMs });
      const result = runner.run(makeContext('shell', { command, env: { PIDFILE: pidFile } }, controller.signal));
      result.catch(() => undefined);
      assert.ok(await eventually(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== ''), 'the command never wrote its pid file');
      const grandchild = Number(readFileSync(pidFile, 'utf8').trim());
      assert.ok(grandchild > 0 && !isGone(grandchild), 'the grandchild should be running before the abort');
      return { controller, result, grandchild };
    }

    it('kills the whole process group, grandchild included, and rejects with the abort reason', async () => {
      const pidFile = join(dir, 'grandchild.pid');
      const { controller, result, grandchild } = await startWithGrandchild(pidFile, 'sleep 100 & echo $! > "$PIDFILE"; wait');
      const reason = new Error('Timed out after 100 ms');
      const t0 = performance.now();
      controller.abort(reason);
      const error = await rejection(result);
      assert.equal(error, reason);
      assert.ok(performance.now() - t0 < 5000, 'the runner should reject promptly');
      assert.ok(await eventually(() => isGone(grandchild)), `grandchild ${grandchild} survived the abort`);
    });

    it('escalates to SIGKILL for processes that ignore SIGTERM', async () => {
      const pidFile = join(dir, 'stubborn.pid');
      // Ignored signals stay ignored across exec, so the background sleep ignores SIGTERM too.
      const { controller, result, grandchild } = await startWithGrandchild(pidFile, "trap '' TERM; sleep 100 & echo $! > \"$PIDFILE\"; wait", 200);
      controller.abort(new Error('cancelled'));
      assert.equal((await rejection(result)).message, 'cancelled');
      assert.ok(await eventually(() => isGone(grandchild)), `grandchild ${grandchild} survived SIGKILL`);
    });

    it('ends background processes left behind when the command exits, instead of hanging on them', async () => {
      const out = await run({ command: 'sleep 100 & echo $!' });
      const pid = Number(out);
      assert.ok(pid > 0);
      assert.ok(await eventually(() => isGone(pid)), `background process ${pid} outlived its tool`);
    });

    it('does not hang on a process that escaped the group but holds stdout open', async () => {
      const runner = createShellRunner({ killGraceMs: 100 });
      const t0 = performance.now();
      // The escapee reports once it is in its own session, so the shell cannot exit (and end its
      // group) before the escape happened.
      const ready = join(dir, 'escaped.ready');
      const command = `setsid sh -c 'echo ok > "$READY"; exec sleep 5' & while [ ! -s "$READY" ]; do sleep 0.01; done; echo $!`;
      const out = await runner.run(makeContext('shell', { command, env: { READY: ready } }));
      const pid = Number(out);
      try {
        assert.ok(pid > 0, `unexpected output ${JSON.stringify(out)}`);
        assert.ok(performance.now() - t0 < 4000, 'the runner waited for the escaped process');
      } finally {
        if (pid > 0 && !isGone(pid)) process.kill(pid, 'SIGKILL');
      }
    });

    it('rejects at once when the signal is already aborted, without running the command', async () => {
      const marker = join(dir, 'should-not-exist');
      const error = await rejection(run({ command: `touch ${marker}` }, AbortSignal.abort(new Error('already cancelled'))));
      assert.equal(error.message, 'already cancelled');
      assert.equal(existsSync(marker), false);
    });
  });
});

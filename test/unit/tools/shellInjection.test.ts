// Issue 12, security: a tool's output referenced in a dependent shell tool's command, env or cwd is
// data, never shell syntax; shell tools inherit only an allow-list of the host's environment; the
// run confirmation says where a command runs. Real /bin/sh processes through the real executor.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRealClock } from '../../../src/core/engine/clock';
import { execute } from '../../../src/core/engine/execute';
import type { RunRecord } from '../../../src/core/engine/types';
import type { JsonObject, JsonValue } from '../../../src/core/plan/types';
import { createShellRunner } from '../../../src/core/tools/shell';
import { simulateRunner } from '../../../src/core/tools/simulate';
import { bindShellCommand } from '../../../src/core/tools/shellReferences';
import { DEFAULT_SHELL_ENV, inheritedEnv } from '../../../src/core/tools/shellEnv';
import { describeShellCall } from '../../../src/core/tools/shellPreview';
import { describeCall } from '../../../src/cli/approval';

/** Where sh finds a program, asked of sh itself. */
function which(name: string): string {
  return spawnSync('/bin/sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
}
import { confirmationText, serverEffects, sideEffects } from '../../../src/extension/plans/sideEffects';
import { makePlan } from '../helpers/planBuilder';
import { buildOnce, json, runCli } from '../cli/helpers';
import { writeFileSync } from 'node:fs';

describe('shell tools: outputs are data, never commands (issue 12)', function () {
  this.timeout(30_000);
  let dir: string;
  let marker: string;
  before(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-inject-')));
    marker = join(dir, 'pwned');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => rmSync(marker, { force: true }));

  /** Runs `source` (simulate, outputting `value`) then a shell tool with `args`; returns the record. */
  async function runWith(value: JsonValue, args: JsonObject, environment: Record<string, string | undefined> = process.env): Promise<RunRecord> {
    const plan = makePlan([
      { id: 'a', args: { durationMs: 0, result: value } },
      { id: 'b', kind: 'shell', dependsOn: ['a'], args },
    ]);
    return execute(plan, { runners: { simulate: simulateRunner, shell: createShellRunner({ cwd: dir, environment }) }, clock: createRealClock() });
  }
  const outputOf = (r: RunRecord): JsonValue => {
    const b = r.tools[1];
    assert.equal(b.status, 'succeeded', `b ${b.status}: ${b.error}`);
    return b.output;
  };

  const hostile = (): string[] => [
    `x; touch ${marker}`,
    `$(touch ${marker})`,
    `\`touch ${marker}\``,
    `x\ntouch ${marker}`,
    `'; touch ${marker}; '`,
    `"; touch ${marker}; "`,
    `x && touch ${marker} || touch ${marker}`,
    `\${IFS}touch\${IFS}${marker}`,
    `x | touch ${marker}`,
    `x > ${marker}`,
  ];

  const contexts: readonly [string, (ref: string) => string][] = [
    ['unquoted', (r) => `printf %s ${r}`],
    ['double quotes', (r) => `printf %s "${r}"`],
    ['single quotes', (r) => `printf %s '${r}'`],
    ['glued to a word', (r) => `printf %s pre${r}post`],
    ['inside $( )', (r) => `printf %s "$(printf %s ${r})"`],
    ['inside backticks', (r) => `printf %s "\`printf %s ${r}\`"`],
    ['inside ${x:-…}', (r) => `printf %s \${unset_var:-${r}}`],
    ['a here-document', (r) => `cat <<EOF\n${r}\nEOF`],
  ];

  for (const [where, make] of contexts) {
    it(`${where}: every hostile output arrives as its exact text and runs nothing`, async () => {
      for (const value of hostile()) {
        const r = await runWith(value, { command: make('${a.output}') });
        const expected = where === 'glued to a word' ? `pre${value}post` : value;
        assert.equal(outputOf(r), expected, `${where}: ${JSON.stringify(value)}`);
        assert.equal(existsSync(marker), false, `${where}: ${JSON.stringify(value)} ran a command`);
      }
    });
  }

  it('keeps spaces, globs and leading dashes as one argument', async () => {
    for (const value of ['a   b', '*', '-n', '', ' ', '\\', '$HOME', '~']) {
      const r = await runWith(value, { command: `printf '<%s>' \${a.output}` });
      assert.equal(outputOf(r), `<${value}>`, JSON.stringify(value));
    }
  });

  it('passes a field of a JSON output, and a whole object as JSON text', async () => {
    const value = { cmd: `; touch ${marker}`, n: 3 };
    assert.equal(outputOf(await runWith(value, { command: 'printf %s ${a.output.cmd}' })), value.cmd);
    assert.deepEqual(outputOf(await runWith(value, { command: 'printf %s ${a.output}' })), value);
    assert.equal(outputOf(await runWith(value, { command: 'printf %s ${a.output.n}' })), '3');
    assert.equal(existsSync(marker), false);
  });

  it('takes the output of a real shell tool as data too', async () => {
    const plan = makePlan([
      { id: 'a', kind: 'shell', args: { command: `printf '%s' 'x; touch ${marker}'` } },
      { id: 'b', kind: 'shell', dependsOn: ['a'], args: { command: 'echo got ${a.output}' } },
    ]);
    const r = await execute(plan, { runners: { shell: createShellRunner({ cwd: dir }) }, clock: createRealClock() });
    assert.equal(r.tools[1].output, `got x; touch ${marker}`);
    assert.equal(existsSync(marker), false);
  });

  it('the same reference twice is one variable; different references are different ones', () => {
    const b = bindShellCommand('cp ${a.output} ${b.output.x}; echo "${a.output}"');
    assert.ok(b.ok);
    assert.equal(b.command, 'cp "${FANOUT_REF_1}" "${FANOUT_REF_2}"; echo "${FANOUT_REF_1}"');
    assert.deepEqual(b.refs.map((r) => r.text), ['${a.output}', '${b.output.x}']);
  });

  it('quotes for the place the reference stands, and leaves comments and escaped text alone', () => {
    const cmd = (s: string): string => {
      const b = bindShellCommand(s);
      assert.ok(b.ok);
      return b.command;
    };
    assert.equal(cmd("echo 'a ${x.output} b'"), `echo 'a '"\${FANOUT_REF_1}"' b'`);
    assert.equal(cmd('echo "a ${x.output} b"'), 'echo "a ${FANOUT_REF_1} b"');
    assert.equal(cmd('echo $((${x.output} + 1))'), 'echo $((${FANOUT_REF_1} + 1))');
    assert.equal(cmd('echo "$(echo ${x.output})"'), 'echo "$(echo "${FANOUT_REF_1}")"');
    assert.equal(cmd('echo ok # ${x.output}'), 'echo ok # ${x.output}');
    assert.equal(cmd('a#${x.output}'), 'a#"${FANOUT_REF_1}"');
  });

  it('refuses a reference in a here-document with a quoted delimiter, where it could only be pasted', async () => {
    const b = bindShellCommand("cat <<'EOF'\n${a.output}\nEOF");
    assert.equal(b.ok, false);
    const r = await runWith(`$(touch ${marker})`, { command: "cat <<'EOF'\n${a.output}\nEOF" });
    assert.equal(r.tools[1].status, 'failed');
    assert.match(r.tools[1].error ?? '', /quoted delimiter.*<<EOF/s);
    assert.equal(existsSync(marker), false);
  });

  it('env values from outputs are data', async () => {
    for (const value of hostile()) {
      const r = await runWith(value, { command: 'printf %s "$V"', env: { V: '${a.output}', W: 'pre ${a.output}' } });
      assert.equal(outputOf(r), value);
      assert.equal(existsSync(marker), false, JSON.stringify(value));
    }
  });

  it('a cwd from an output is a path, never a command', async () => {
    for (const value of [`$(touch ${marker})`, `x; touch ${marker}`, `\`touch ${marker}\``]) {
      const r = await runWith(value, { command: 'pwd', cwd: '${a.output}' });
      assert.equal(r.tools[1].status, 'failed');
      assert.match(r.tools[1].error ?? '', /is not an existing directory/);
      assert.equal(existsSync(marker), false, JSON.stringify(value));
    }
    mkdirSync(join(dir, '$(touch x)'), { recursive: true });
    const r = await runWith('$(touch x)', { command: 'basename "$PWD"', cwd: '${a.output}' });
    assert.equal(outputOf(r), '$(touch x)');
  });

  it('refuses args.env names that would shadow the reference variables', async () => {
    const r = await runWith('v', { command: 'echo ${a.output}', env: { FANOUT_REF_1: 'mine' } });
    assert.equal(r.tools[1].status, 'failed');
    assert.match(r.tools[1].error ?? '', /FANOUT_REF_1.*reserved/);
  });
});

describe('shell tools: the inherited environment is an allow-list (issue 12)', function () {
  this.timeout(20_000);
  const host = {
    PATH: process.env.PATH, HOME: '/home/someone', LANG: 'C.UTF-8', LC_ALL: 'C', TERM: 'xterm', TMPDIR: '/tmp',
    OPENAI_API_KEY: 'sk-secret', ANTHROPIC_API_KEY: 'sk-ant-secret', AWS_SECRET_ACCESS_KEY: 'aws-secret', AWS_PROFILE: 'dev',
    GITHUB_TOKEN: 'ghp_secret', NPM_TOKEN: 'npm-secret', HTTPS_PROXY: 'http://user:pw@proxy:3128',
  };
  const envOf = async (args: JsonObject, options: { inheritEnv?: readonly string[] } = {}): Promise<Record<string, string>> => {
    const plan = makePlan([{ id: 'e', kind: 'shell', args: { command: 'env', ...args } }]);
    const r = await execute(plan, { runners: { shell: createShellRunner({ environment: host, ...options }) }, clock: createRealClock() });
    assert.equal(r.tools[0].status, 'succeeded', r.tools[0].error ?? '');
    const out: Record<string, string> = {};
    for (const line of String(r.tools[0].output).split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
    }
    return out;
  };

  it('keeps PATH, HOME, LANG, LC_*, TERM and TMPDIR, and drops API keys, tokens and proxies', async () => {
    const env = await envOf({});
    for (const k of ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TERM', 'TMPDIR']) assert.equal(env[k], (host as Record<string, string | undefined>)[k], k);
    for (const k of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE', 'GITHUB_TOKEN', 'NPM_TOKEN', 'HTTPS_PROXY']) {
      assert.equal(env[k], undefined, `${k} must not be inherited`);
    }
  });

  it('args.inheritEnv and the host option add names and prefixes; * passes everything', async () => {
    assert.equal((await envOf({ inheritEnv: ['AWS_PROFILE'] })).AWS_PROFILE, 'dev');
    assert.equal((await envOf({ inheritEnv: ['AWS_PROFILE'] })).AWS_SECRET_ACCESS_KEY, undefined);
    const aws = await envOf({ inheritEnv: ['AWS_*'] });
    assert.equal(aws.AWS_SECRET_ACCESS_KEY, 'aws-secret');
    assert.equal(aws.OPENAI_API_KEY, undefined);
    assert.equal((await envOf({}, { inheritEnv: ['OPENAI_API_KEY'] })).OPENAI_API_KEY, 'sk-secret');
    assert.equal((await envOf({ inheritEnv: ['*'] })).GITHUB_TOKEN, 'ghp_secret');
  });

  it('explicit args.env is always set, and null still unsets', async () => {
    const env = await envOf({ env: { MY_VAR: 'x', LANG: null } });
    assert.equal(env.MY_VAR, 'x');
    assert.equal(env.LANG, undefined);
  });

  it('rejects an inheritEnv that is not a list of names', async () => {
    for (const bad of ['AWS_*', ['A B'], ['*_KEY'], [3]] as JsonValue[]) {
      const plan = makePlan([{ id: 'e', kind: 'shell', args: { command: 'env', inheritEnv: bad } }]);
      const r = await execute(plan, { runners: { shell: createShellRunner({ environment: host }) }, clock: createRealClock() });
      assert.equal(r.tools[0].status, 'failed');
      assert.match(r.tools[0].error ?? '', /inheritEnv/);
    }
  });

  it('the default list holds no credential-looking names', () => {
    for (const name of DEFAULT_SHELL_ENV) assert.doesNotMatch(name, /KEY|TOKEN|SECRET|PASS|AUTH|PROXY|AWS|SSH/);
    assert.deepEqual(Object.keys(inheritedEnv({ OPENAI_API_KEY: 'x', PATH: '/bin' })), ['PATH']);
  });

  it('the real CLI passes no API key to a shell tool unless --inherit-env names it', async () => {
    buildOnce();
    const d = mkdtempSync(join(tmpdir(), 'fanout-env-cli-'));
    try {
      writeFileSync(join(d, 'env.toolplan.json'), JSON.stringify({ tools: [{ id: 'env', kind: 'shell', timeoutMs: 10_000, args: { command: 'printf "%s|%s" "${OPENAI_API_KEY-unset}" "${HOME-unset}"' } }] }));
      const secrets = { OPENAI_API_KEY: 'sk-from-the-terminal', HOME: '/home/cli' };
      const plain = await runCli(['run', 'env.toolplan.json', '--json'], { cwd: d, env: secrets });
      assert.equal(plain.code, 0, plain.stderr);
      assert.equal((json(plain).tools as { output: string }[])[0].output, 'unset|/home/cli');
      const passed = await runCli(['run', 'env.toolplan.json', '--json', '--inherit-env', 'OPENAI_API_KEY'], { cwd: d, env: secrets });
      assert.equal((json(passed).tools as { output: string }[])[0].output, 'sk-from-the-terminal|/home/cli');
      const bad = await runCli(['run', 'env.toolplan.json', '--inherit-env', 'A B'], { cwd: d });
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--inherit-env/);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});

describe('shell tools: the run confirmation says where and with what (issue 12)', () => {
  const base = '/work/plans';
  const ls = which('ls');
  it('resolves cwd, and flags absolute paths and paths outside the plan folder', () => {
    assert.equal(describeShellCall({ command: 'ls', cwd: 'sub' }, base), `ls  (runs ${ls})  (in /work/plans/sub)`);
    assert.equal(describeShellCall({ command: 'ls', cwd: '../..' }, base), `ls  (runs ${ls})  (in / — outside the plan's folder)`);
    assert.equal(describeShellCall({ command: 'ls', cwd: '/etc' }, base), `ls  (runs ${ls})  (in /etc — outside the plan's folder)`);
    assert.equal(describeShellCall({ command: 'ls', cwd: 'a/../../x' }, base), `ls  (runs ${ls})  (in /work/x — outside the plan's folder)`);
    assert.match(describeShellCall({ command: 'ls', cwd: '${a.output}' }, base), /filled in from an earlier tool's output/);
  });

  it('always shows the directory, and the absolute path of every program the command starts', () => {
    assert.equal(describeShellCall({ command: 'ls -la | grep x && FOO=1 sort; echo done' }, base),
      `ls -la | grep x && FOO=1 sort; echo done  (runs ${ls}, ${which('grep')}, ${which('sort')})  (in /work/plans)`);
    assert.equal(describeShellCall({ command: 'if test -f x; then rm x; fi' }, base), `if test -f x; then rm x; fi  (runs ${which('rm')})  (in /work/plans)`);
    assert.equal(describeShellCall({ command: "'l''s' \"$HOME\" > out.txt" }, base), `'l''s' "$HOME" > out.txt  (runs ${ls})  (in /work/plans)`);
    assert.equal(describeShellCall({ command: 'no-such-program-fanout x; ./build.sh' }, base),
      'no-such-program-fanout x; ./build.sh  (runs no-such-program-fanout (not on PATH), ./build.sh (not found))  (in /work/plans)');
    // A PATH set in args.env is the one the command searches.
    assert.equal(describeShellCall({ command: 'ls', env: { PATH: '/nowhere' } }, base), 'ls  (runs ls (not on PATH))  (in /work/plans)  (sets PATH)');
    assert.equal(describeShellCall({ command: 'cd /tmp && $CMD' }, base), 'cd /tmp && $CMD  (in /work/plans)');
  });

  it('names the variables a command sets and inherits beyond the defaults', () => {
    assert.equal(describeShellCall({ command: 'deploy', env: { STAGE: 'prod' }, inheritEnv: ['AWS_*'] }, base),
      'deploy  (runs deploy (not on PATH))  (in /work/plans)  (sets STAGE)  (inherits also AWS_*)');
    assert.match(describeShellCall({ command: 'x', inheritEnv: ['*'] }, base), /whole environment/);
  });

  it('the VS Code confirmation lists the resolved directory and programs', () => {
    const plan = makePlan([{ id: 'clean', kind: 'shell', args: { command: 'rm -rf build', cwd: '../other' } }]);
    const c = confirmationText(plan.name, sideEffects(plan, base), 5, 200);
    assert.match(c.detail, new RegExp(`clean \\[shell\\]: rm -rf build \\(runs ${which('rm')}\\) \\(in /work/other — outside the plan's folder\\)`));
  });

  it('MCP servers and the CLI prompt show the absolute program and directory', () => {
    const [server] = serverEffects({ fs: { command: 'node', args: ['server.js'], cwd: 'srv' } }, base);
    assert.equal(server.detail, `start ${which('node')} server.js  (in /work/plans/srv)`);
    const [fn, sh] = makePlan([
      { id: 'f', kind: 'function', args: { module: './tools.mjs', export: 'count' } },
      { id: 's', kind: 'shell', args: { command: 'ls' } },
    ]).tools;
    assert.equal(describeCall(fn, base), 'f: count of /work/plans/tools.mjs');
    assert.equal(describeCall(sh, base), `s: shell ls  (runs ${ls})  (in /work/plans)`);
  });
});

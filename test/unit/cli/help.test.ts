// `fanout --help` is the one screen a newcomer reads; each command's own `--help` is written beside
// its flag spec. This keeps the overview from falling behind a command (it once lacked
// `simulate --cores` and `lessons --run-code`, which the lessons tell learners to use).
import { strict as assert } from 'node:assert';
import { buildOnce, runCli } from './helpers';

const COMMANDS = ['analyze', 'mermaid', 'simulate', 'run', 'lessons', 'audit', 'show'] as const;
const flagsOf = (text: string): string[] => [...new Set(text.match(/--[a-z][a-z-]*/g) ?? [])].filter((f) => f !== '--help');

describe('cli: fanout --help lists every flag of every command', function () {
  this.timeout(60_000);
  before(() => buildOnce());

  for (const name of COMMANDS) {
    it(`fanout --help names ${name} with each flag its own --help has`, async () => {
      const overview = await runCli(['--help']);
      assert.equal(overview.code, 0);
      const line = overview.stdout.split('\n').findIndex((l) => l.startsWith(`  fanout ${name} `) || l === `  fanout ${name}`);
      assert.ok(line >= 0, `fanout --help has no line for ${name}`);
      // A command's usage continues on the indented lines below it.
      const rows = overview.stdout.split('\n').slice(line);
      const end = rows.findIndex((l, i) => i > 0 && !/^ {5,}\S/.test(l));
      const block = rows.slice(0, end < 0 ? undefined : end).join('\n');
      const own = await runCli([name, '--help']);
      const usage = (own.stdout || own.stderr).split('\n').find((l) => l.startsWith('Usage:')) ?? '';
      assert.ok(usage, `fanout ${name} --help prints no Usage line`);
      const missing = flagsOf(usage).filter((f) => !flagsOf(block).includes(f));
      assert.deepEqual(missing, [], `fanout --help lacks ${missing.join(', ')} for ${name}`);
    });
  }
});

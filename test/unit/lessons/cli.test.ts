import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lessonsCommand } from '../../../src/cli/commands/lessons';
import type { CliIO } from '../../../src/cli/io';
import { PITFALL_CODES, ERROR_CODES } from '../../../src/core/plan/types';
import { PROJECT_ROOT } from './helpers';

async function run(argv: string[], cwd = PROJECT_ROOT): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, readStdin: async () => '', isTTY: false, cwd,
    interrupted: new Promise<never>(() => undefined),
  };
  const code = await lessonsCommand(argv, io);
  return { code, out, err };
}

describe('fanout lessons', () => {
  it('--json prints the course: steps with sample paths from the project root, quiz, exercises, diagnosticLessons', async () => {
    const { code, out, err } = await run(['--json', '--root', '.']);
    assert.equal(code, 0, err);
    const course = JSON.parse(out) as {
      steps: { id: string; title: string; samples: string[] }[];
      quiz: { id: string; difficulty: string; prompt: string; choices: string[]; answer: number; explanation: string; hint: string }[];
      exercises: { id: string; start: string; solution: string; hints: string[] }[];
      diagnosticLessons: Record<string, string>;
    };
    assert.ok(course.steps.length >= 13);
    for (const s of course.steps) {
      assert.ok(s.id && s.title && s.samples.length > 0, s.id);
      for (const p of s.samples) {
        assert.match(p, /^lessons\/.+\.toolplan\.(json|ya?ml)$/);
        assert.ok(existsSync(join(PROJECT_ROOT, p)), p);
      }
    }
    for (const q of course.quiz) {
      assert.ok(['easy', 'medium', 'hard'].includes(q.difficulty));
      assert.ok(q.prompt && q.explanation && q.hint && Number.isInteger(q.answer) && q.answer < q.choices.length, q.id);
    }
    assert.ok(course.exercises.length >= 5);
    for (const e of course.exercises) assert.ok(existsSync(join(PROJECT_ROOT, e.start)) && existsSync(join(PROJECT_ROOT, e.solution)));
    const ids = new Set(course.steps.map((s) => s.id));
    for (const code of [...ERROR_CODES, ...PITFALL_CODES]) assert.ok(ids.has(course.diagnosticLessons[code]), code);
  });

  it('finds lessons/ next to itself when no --root is given, and prints a table of contents', async () => {
    const { code, out } = await run([], tmpdir());
    assert.equal(code, 0);
    assert.match(out, /^Parallel tool calls for agents\n/);
    assert.match(out, / 1\. The sequential baseline \(sequential-baseline\)/);
    assert.match(out, /Quiz: \d+ questions \(\d+ easy, \d+ medium, \d+ hard\)/);
  });

  it('exits 2 with file:line and the problem when the course is broken, and on bad flags', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fanout-lessons-'));
    try {
      cpSync(join(PROJECT_ROOT, 'lessons'), join(dir, 'lessons'), { recursive: true });
      const quiz = join(dir, 'lessons', 'quiz.yaml');
      const text = readFileSync(quiz, 'utf8');
      const broken = text.replace(/^  answer: \d$/m, '  answer: 7');
      writeFileSync(quiz, broken);
      const line = broken.slice(0, broken.indexOf('  answer: 7')).split('\n').length;
      const { code, out, err } = await run(['--json', '--root', dir]);
      assert.equal(code, 2);
      assert.equal(out, '');
      assert.ok(err.includes(`lessons/quiz.yaml:${line}:`), err);
      assert.match(err, /answer 7 .* is not a valid choice index/);
      // --root may also name the lessons folder itself
      assert.equal((await run(['--root', join(dir, 'lessons')])).code, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal((await run(['--jsno'])).code, 2);
    const missing = await run(['--root', join(tmpdir(), 'no-such-course-here')]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no course found/);
  });

  it('the built CLI (dist/cli.js) finds dist/../lessons from any working directory', function () {
    const cli = join(PROJECT_ROOT, 'dist', 'cli.js');
    if (!existsSync(cli)) this.skip(); // npm test builds first; a bare mocha run may not have
    const r = spawnSync(process.execPath, [cli, 'lessons', '--json'], { cwd: tmpdir(), encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const course = JSON.parse(r.stdout) as { steps: unknown[] };
    assert.ok(course.steps.length >= 13);
  });
});

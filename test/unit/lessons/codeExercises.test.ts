// Code exercises, graded by running the learner's code against hidden tests in a real child
// process (node, python3): every reference solution passes, the starting file and every typical
// wrong solution fail the tests that catch their mistake, and the grader stays bounded — an
// endless loop is stopped at the time limit, a flood of output is cut, a missing runtime is a
// clear message, and what the code prints cannot pass for a result.
import { strict as assert } from 'node:assert';
import { gradeCodeExercise, parseCourse, type CodeExercise, type CodeGradeOptions, type Course, type CodeGradeResult } from '../../../src/core/lessons';
import { findRuntime } from '../../../src/core/lessons/code/runtimes';
import { checkCodeExercises } from '../../../src/core/lessons/code/check';
import { MUST_FAIL } from './codeMustFail';
import { PROJECT_ROOT, realCourse } from './helpers';


const OPTIONS: CodeGradeOptions = { tsxSearch: [PROJECT_ROOT] };

function fake(language: CodeExercise['language'], timeoutMs = 20_000): CodeExercise {
  return {
    kind: 'code', id: 'fake', title: 'Fake', step: 'failures', brief: 'b', start: 's', solution: 's', tests: 't', wrong: [], timeoutMs,
    language, hints: ['one', 'two', 'three'], at: { file: 'x', line: 1, column: 1 },
  };
}

async function graded(exercise: CodeExercise, code: string, tests: string, options: CodeGradeOptions = OPTIONS): Promise<CodeGradeResult> {
  const g = await gradeCodeExercise(exercise, code, tests, options);
  assert.equal(g.kind, 'graded', g.kind === 'unavailable' ? g.message : '');
  return (g as { result: CodeGradeResult }).result;
}

const summary = (r: CodeGradeResult): string => r.checks.map((c) => `${c.passed ? '✓' : '✗'} ${c.label}: ${c.message}`).join('\n');

describe('code exercises (the learner\'s code run against hidden tests)', function () {
  this.timeout(240_000);
  let course: Course;
  let files: ReadonlyMap<string, string>;
  let python = false;
  before(async () => {
    const loaded = await realCourse();
    assert.ok(loaded.course);
    course = loaded.course;
    files = loaded.files;
    python = (await findRuntime('python')).ok;
  });
  const code = (): CodeExercise[] => course.exercises.filter((e): e is CodeExercise => e.kind === 'code');
  const text = (path: string): string => {
    const t = files.get(path);
    assert.ok(t !== undefined, path);
    return t;
  };

  it('there are at least three, in TypeScript, JavaScript and Python, each with typical wrong solutions and three hints', () => {
    const ids = code().map((e) => `${e.id}:${e.language}`);
    assert.deepEqual(ids, ['bounded-settle:typescript', 'tool-result-messages:javascript', 'bounded-taskgroup:python']);
    for (const e of code()) {
      assert.ok(e.wrong.length >= 2, e.id);
      assert.equal(e.hints.length, 3);
      for (const w of [e.start, ...e.wrong]) assert.ok(MUST_FAIL[w], `${w} has no expected failures listed here`);
    }
  });

  for (const id of ['bounded-settle', 'tool-result-messages', 'bounded-taskgroup']) {
    it(`${id}: the reference solution passes every test; the start and each wrong solution fail the tests that catch them`, async function () {
      const e = code().find((x) => x.id === id);
      assert.ok(e);
      if (e.language === 'python' && !python) this.skip();
      const tests = text(e.tests);
      const solved = await graded(e, text(e.solution), tests);
      assert.ok(solved.passed, summary(solved));
      assert.ok(solved.checks.length >= 5, 'at least five hidden tests');
      assert.ok(solved.checks.every((c) => c.kind === 'test'));
      assert.equal(solved.nextHint, null);
      for (const path of [e.start, ...e.wrong]) {
        const r = await graded(e, text(path), tests, { ...OPTIONS, hintsRevealed: 1 });
        assert.equal(r.passed, false, `${path} passes:\n${summary(r)}`);
        assert.equal(r.nextHint, 1);
        assert.equal(r.checks.length, solved.checks.length, `${path}: every test reports, failed or not`);
        for (const re of MUST_FAIL[path]) {
          const c = r.checks.find((x) => re.test(x.label));
          assert.ok(c, `${path}: no test matches ${re}`);
          assert.equal(c.passed, false, `${path} should fail "${c.label}":\n${summary(r)}`);
          assert.ok(c.message.length > 10, `${path}: "${c.label}" says why it failed`);
        }
      }
    });
  }

  it('an endless loop is stopped at the time limit: the test running then and the ones after it are reported', async () => {
    const tests = `import { test } from './harness.mjs';\nimport { spin } from './submission.mjs';\ntest('first', () => {});\ntest('loops', () => spin());\ntest('after', () => {});\n`;
    // 8 s: the limit counts from the spawn, and node's start-up on a loaded machine must not eat the first test.
    const r = await graded(fake('javascript', 8000), 'export function spin() { for (;;) {} }\n', tests);
    assert.equal(r.passed, false);
    assert.deepEqual(r.checks.map((c) => [c.label, c.passed]), [['first', true], ['loops', false], ['after', false]]);
    assert.match(r.checks[1].message, /Still running when the run was stopped after 8 s/);
    assert.match(r.checks[2].message, /^Not run: the run was stopped after 8 s/);
  });

  it('a flood of output is cut and the run stopped; what is shown is bounded', async () => {
    const tests = `import { test } from './harness.mjs';\nimport { shout } from './submission.mjs';\ntest('shouts', () => shout());\n`;
    const r = await graded(fake('javascript'), "export function shout() { for (;;) console.log('x'.repeat(1000)); }\n", tests);
    assert.equal(r.passed, false);
    assert.match(r.checks[0].message, /printed more than 1 MB/);
    assert.ok(r.output.length < 9000, `output shown: ${r.output.length} characters`);
  });

  it('a line the learner prints that looks like a result does not count', async () => {
    const forged = '\u001eFANOUT-TEST:0000 {"e":"result","name":"adds","passed":true,"message":"Passed."}';
    const tests = `import { strict as assert } from 'node:assert';\nimport { test } from './harness.mjs';\nimport { add } from './submission.mjs';\ntest('adds', () => assert.equal(add(1, 2), 3));\n`;
    const r = await graded(fake('javascript'), `console.log(${JSON.stringify(forged)});\nconsole.log(process.env.FANOUT_TEST_NONCE ?? 'no nonce');\nexport const add = () => 0;\n`, tests);
    assert.equal(r.passed, false);
    assert.deepEqual(r.checks.map((c) => c.passed), [false]);
    assert.match(r.checks[0].message, /got 0, expected 3/i);
    assert.match(r.output, /no nonce/, 'the nonce is gone from the environment before the learner\'s code runs');
  });

  it('code that does not load is one failed check with the line, JavaScript and Python', async function () {
    const js = await graded(fake('javascript'), 'export function f() {\n  return (;\n}\n', `import { test } from './harness.mjs';\nimport { f } from './submission.mjs';\ntest('t', () => f());\n`);
    assert.equal(js.checks.length, 1);
    assert.equal(js.checks[0].label, 'Your code loads');
    assert.match(js.checks[0].message, /SyntaxError/);
    const missing = await graded(fake('javascript'), 'export const g = 1;\n', `import { test } from './harness.mjs';\nimport { f } from './submission.mjs';\ntest('t', () => f());\n`);
    assert.match(missing.checks[0].message, /does not provide an export named 'f'/);
    if (!python) this.skip();
    const py = await graded(fake('python'), 'def f():\n    return 1\n\ndef g(:\n    pass\n', 'from fanout_harness import test\nfrom submission import f\n\n@test("t")\ndef _():\n    assert f() == 1\n');
    assert.equal(py.checks[0].label, 'Your code loads');
    assert.match(py.checks[0].message, /SyntaxError/);
    assert.equal(py.checks[0].line, 4);
  });

  it('a failure inside the learner\'s code points at its line', async () => {
    const r = await graded(fake('javascript'), 'export function f() {\n  const x = undefined;\n  return x.y;\n}\n', `import { test } from './harness.mjs';\nimport { f } from './submission.mjs';\ntest('t', () => f());\n`);
    assert.equal(r.checks[0].passed, false);
    assert.match(r.checks[0].message, /TypeError/);
    assert.equal(r.checks[0].line, 3);
  });

  it('code that exits the process mid-run leaves every test reported', async () => {
    const tests = `import { test } from './harness.mjs';\nimport { quit } from './submission.mjs';\ntest('quits', () => quit());\ntest('later', () => {});\n`;
    const r = await graded(fake('javascript'), 'export function quit() { process.exit(3); }\n', tests);
    assert.equal(r.passed, false);
    assert.match(r.checks[0].message, /Was running when the process ended early \(exit code 3/);
    assert.match(r.checks[1].message, /^Not run: the process ended early/);
  });

  it('no Python or no node on PATH: a clear message saying what to install, not a grade', async () => {
    const py = await gradeCodeExercise(fake('python'), 'x = 1\n', '', { python: '/nonexistent/python3' });
    assert.equal(py.kind, 'unavailable');
    assert.match((py as { message: string }).message, /^Python 3\.11 or later is needed to run this exercise's tests, and no `\/nonexistent\/python3` program was found on PATH\. Install Python/);
    const node = await gradeCodeExercise(fake('javascript'), '', '', { node: '/nonexistent/node' });
    assert.equal(node.kind, 'unavailable');
    assert.match((node as { message: string }).message, /^Node\.js is needed to run this exercise's tests, and no `node` program was found on PATH/);
  });

  it('TypeScript on a Node without type stripping and no tsx: says which Node runs it', async function () {
    const [major, minor] = process.versions.node.split('.').map(Number);
    if (major > 22 || (major === 22 && minor >= 6)) this.skip(); // this Node strips types itself
    const g = await gradeCodeExercise(fake('typescript'), '', '', { tsxSearch: [] });
    assert.equal(g.kind, 'unavailable');
    assert.match((g as { message: string }).message, /runs by itself from version 22\.6 \(type stripping\); `node` is 2\d\./);
  });

  it('the course format checks a code exercise: its kind, language, file extensions and keys, with positions', () => {
    const base = new Map(files);
    const yaml = text('lessons/exercises/bounded-taskgroup/exercise.yaml');
    const broken = yaml.replace('tests: tests.py', 'tests: tests.mjs\ngoal: { mustNotHave: [] }').replace('language: python', 'language: python2');
    base.set('lessons/exercises/bounded-taskgroup/exercise.yaml', broken);
    base.set('lessons/exercises/bounded-taskgroup/tests.mjs', '');
    const errors = parseCourse(base).errors.filter((e) => e.file.endsWith('bounded-taskgroup/exercise.yaml'));
    const lineOf = (needle: string) => broken.slice(0, broken.indexOf(needle)).split('\n').length;
    assert.ok(errors.some((e) => e.line === lineOf('goal:') && /unknown key 'goal' in exercise 'bounded-taskgroup' \(kind code\)/.test(e.message)), JSON.stringify(errors));
    assert.ok(errors.some((e) => e.line === lineOf('language:') && /'language' of exercise 'bounded-taskgroup' is 'python2'; use one of typescript, javascript, python/.test(e.message)), JSON.stringify(errors));
    const wrongExt = yaml.replace('start: start.py', 'start: solution.py\n').replace('solution: solution.py', 'solution: tests.py').replace("wrong: [wrong_unbounded.py", "wrong: [tests.mjs, wrong_unbounded.py");
    const files2 = new Map(files);
    files2.set('lessons/exercises/bounded-taskgroup/exercise.yaml', wrongExt);
    files2.set('lessons/exercises/bounded-taskgroup/tests.mjs', '');
    const e2 = parseCourse(files2).errors.filter((e) => e.file.endsWith('bounded-taskgroup/exercise.yaml'));
    assert.ok(e2.some((e) => /a 'wrong' file of exercise 'bounded-taskgroup' is 'tests\.mjs', but a python exercise's files are \.py files/.test(e.message)), JSON.stringify(e2));
    const noKind = yaml.replace('kind: code\n', '');
    const files3 = new Map(files);
    files3.set('lessons/exercises/bounded-taskgroup/exercise.yaml', noKind);
    const e3 = parseCourse(files3).errors.filter((e) => e.file.endsWith('bounded-taskgroup/exercise.yaml'));
    assert.ok(e3.some((e) => /unknown key 'language' in exercise 'bounded-taskgroup' \(kind plan\)/.test(e.message)), 'without kind: code it is read as a plan exercise, and says so');
  });

  it('fanout lessons --run-code (checkCodeExercises): clean on the course; a wrong solution that passes, or a start that passes, is an error naming the file', async () => {
    const js = code().filter((e) => e.id === 'tool-result-messages');
    const clean = await checkCodeExercises({ ...course, exercises: js }, files, OPTIONS);
    assert.deepEqual(clean.errors, []);
    assert.equal(clean.runs, 1 + 1 + js[0].wrong.length);
    const gamed = new Map(files);
    gamed.set(js[0].wrong[1], text(js[0].solution));
    gamed.set(js[0].start, text(js[0].solution));
    const report = await checkCodeExercises({ ...course, exercises: js }, gamed, OPTIONS);
    assert.deepEqual(report.errors.map((e) => e.file), [js[0].start, js[0].wrong[1]]);
    assert.match(report.errors[1].message, /passes every test: the tests do not catch its mistake/);
    const noPython = await checkCodeExercises({ ...course, exercises: code().filter((e) => e.language === 'python') }, files, { python: '/nonexistent/python3' });
    assert.deepEqual(noPython.errors, []);
    assert.match(noPython.skipped[0] ?? '', /^bounded-taskgroup: Python 3\.11 or later is needed/);
  });
});

import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  formatCourseError, loadCourse, parseCourse, validateCourse, type CourseError, type CourseFiles,
} from '../../../src/core/lessons';
import { DIAGNOSTIC_LESSONS } from '../../../src/core/plan/lessonIds';
import { ERROR_CODES, PITFALL_CODES } from '../../../src/core/plan/types';
import { PROJECT_ROOT, realCourse } from './helpers';

async function check(files: CourseFiles): Promise<CourseError[]> {
  const parsed = parseCourse(files);
  const more = parsed.course ? await validateCourse(parsed.course, files) : [];
  return [...parsed.errors, ...more];
}

function edit(files: CourseFiles, path: string, change: (text: string) => string): Map<string, string> {
  const copy = new Map(files);
  const text = copy.get(path);
  assert.ok(text !== undefined, `no ${path}`);
  const next = change(text);
  assert.notEqual(next, text, `the edit of ${path} changed nothing`);
  copy.set(path, next);
  return copy;
}

function lineOf(text: string, needle: string): number {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `'${needle}' not found`);
  return text.slice(0, i).split('\n').length;
}

describe('course data: the real lessons/ folder', () => {
  it('loads and validates with no errors', async () => {
    const loaded = await realCourse();
    assert.deepEqual(loaded.errors.map(formatCourseError), []);
    assert.ok(loaded.course);
  });

  it('has a step for every diagnostic code, and includes the ids the analyzer links to', async () => {
    const { course } = await realCourse();
    const ids = new Set(course?.steps.map((s) => s.id));
    for (const code of [...ERROR_CODES, ...PITFALL_CODES]) {
      assert.ok(ids.has(DIAGNOSTIC_LESSONS[code]), `${code} → ${DIAGNOSTIC_LESSONS[code]} is not a step`);
    }
    for (const id of ['sequential-baseline', 'concurrency-vs-parallelism', 'collecting-results', 'plan-format', 'dependencies', 'resources', 'failures', 'optimisation', 'production-patterns', 'when-not-to-parallelise', 'pitfalls']) {
      assert.ok(ids.has(id), `missing step ${id}`);
    }
  });

  it('every pitfall code is demonstrated by at least one sample that declares it', async () => {
    const { course } = await realCourse();
    const shown = new Set(course?.steps.flatMap((s) => s.samples.flatMap((x) => x.expect)));
    // missing-timeout needs a network/shell tool, which samples avoid (they must run anywhere); an exercise covers it.
    for (const code of PITFALL_CODES.filter((c) => c !== 'missing-timeout')) assert.ok(shown.has(code), `no sample shows ${code}`);
  });

  it('every step has a body of real length, a predict question and at least one sample', async () => {
    const { course } = await realCourse();
    for (const s of course?.steps ?? []) {
      const words = s.body.split(/\s+/).filter(Boolean).length;
      assert.ok(words >= 250 && words <= 1100, `${s.id}: ${words} words`);
      assert.ok(s.samples.length >= 1, s.id);
      assert.ok(s.predict.answer < s.predict.choices.length, s.id);
    }
  });
});

describe('course data: the validator catches broken data', () => {
  it('reports an answer index out of range, with file and line', async () => {
    const { files } = await realCourse();
    const path = 'lessons/steps/01-sequential-baseline.md';
    const broken = edit(files, path, (t) => t.replace(/^  answer: \d$/m, '  answer: 4'));
    const errors = await check(broken);
    const e = errors.find((x) => /answer 4/.test(x.message));
    assert.ok(e, errors.map(formatCourseError).join('\n'));
    assert.equal(e.file, path);
    assert.equal(e.line, lineOf(broken.get(path) as string, '  answer: 4'));
    assert.match(e.message, /not a valid choice index: there are 4 choices, numbered 0 to 3/);
  });

  it('reports a missing sample file', async () => {
    const { files } = await realCourse();
    const copy = new Map(files);
    assert.ok(copy.delete('lessons/samples/write-race.toolplan.yaml'));
    const errors = await check(copy);
    const e = errors.find((x) => x.message.includes("sample 'lessons/samples/write-race.toolplan.yaml' does not exist"));
    assert.ok(e, errors.map(formatCourseError).join('\n'));
    assert.equal(e.file, 'lessons/steps/17-pitfalls.md');
    assert.ok(e.line !== undefined && e.line > 1);
  });

  it('reports a sample whose diagnostics differ from what it declares', async () => {
    const { files } = await realCourse();
    const broken = edit(files, 'lessons/samples/parallel-trip.toolplan.json', (t) => t.replace('"maxConcurrency": 4,', '"maxConcurrency": 4, "dedupe": false,').replace('"dependsOn": ["weather", "flights", "hotels", "events"]', '"dependsOn": ["weather", "hotels", "events"]'));
    const errors = await check(broken);
    const e = errors.find((x) => x.message.includes('parallel-trip'));
    assert.ok(e, errors.map(formatCourseError).join('\n'));
    assert.match(e.message, /reports undeclared-dependency .* not in its 'expect' list/);
  });

  it('reports a dangling step link at its line', async () => {
    const { files } = await realCourse();
    const path = 'lessons/steps/05-dependencies.md';
    const broken = edit(files, path, (t) => t.replace('(step:optimisation)', '(step:optimization)'));
    const errors = await check(broken);
    const e = errors.find((x) => x.message.includes("'optimization'"));
    assert.ok(e, errors.map(formatCourseError).join('\n'));
    assert.equal(e.file, path);
    assert.equal(e.line, lineOf(broken.get(path) as string, '(step:optimization)'));
    assert.match(e.message, /did you mean 'optimisation'\?/);
  });

  it('reports a relative link, which a webview cannot follow', async () => {
    const { files } = await realCourse();
    const path = 'lessons/steps/06-resources.md';
    const broken = edit(files, path, (t) => t.replace('(step:failures)', '(07-failures.md)'));
    const errors = await check(broken);
    const e = errors.find((x) => x.message.includes("link '07-failures.md' cannot be followed"));
    assert.ok(e, errors.map(formatCourseError).join('\n'));
    assert.equal(e.line, lineOf(broken.get(path) as string, '(07-failures.md)'));
  });

  it('reports a missing step that a diagnostic code links to', async () => {
    const { files } = await realCourse();
    const broken = edit(files, 'lessons/steps/07-failures.md', (t) => t.replace('id: failures', 'id: failure-handling'));
    const errors = await check(broken);
    assert.ok(errors.some((e) => /diagnostic 'missing-timeout' links to step 'failures'/.test(e.message)), errors.map(formatCourseError).join('\n'));
  });

  it('reports unknown keys and unknown diagnostic codes in front matter', async () => {
    const { files } = await realCourse();
    const broken = edit(files, 'lessons/steps/01-sequential-baseline.md', (t) => t.replace('expect: [no-parallelism]', 'expect: [no-paralelism]').replace('summary:', 'sumary: x\nsummary:'));
    const messages = (await check(broken)).map((e) => e.message).join('\n');
    assert.match(messages, /unknown diagnostic code 'no-paralelism'/);
    assert.match(messages, /unknown key 'sumary'/);
  });

  it('reports a goal that names an unknown kind, a resource whose tools are not a list, and a tool to remove the start lacks', async () => {
    const { files } = await realCourse();
    const cpu = edit(files, 'lessons/exercises/cpu-pool/exercise.yaml', (t) => t.replace('    cpu: [embed_chunk_1,', '    gpu: [embed_chunk_1,'));
    assert.match((await check(cpu)).map((e) => formatCourseError(e)).join('\n'), /cpu-pool\/exercise\.yaml:\d+:\d+: .*mustKeepKinds\.gpu is not a tool kind; the kinds are simulate, shell, http, cpu/);
    const res = edit(files, 'lessons/exercises/unbounded-fanout/exercise.yaml', (t) => t.replace(/    search-api: \[search_01,[^\]]*\]/, '    search-api: search_01'));
    assert.match((await check(res)).map((e) => e.message).join('\n'), /mustKeepResources\.search-api must be a list of tool ids/);
    const typo = edit(files, 'lessons/exercises/makespan-target/exercise.yaml', (t) => t.replace('mustRemoveTools: [weather_check]', 'mustRemoveTools: [weather_chek]'));
    assert.match((await check(typo)).map((e) => e.message).join('\n'), /exercise 'makespan-target' must remove 'weather_chek', but its starting plan has no tool 'weather_chek'/);
    const nnt = edit(files, 'lessons/exercises/makespan-target/exercise.yaml', (t) => t.replace('noNewTools: true', 'noNewTools: yes please'));
    assert.match((await check(nnt)).map((e) => formatCourseError(e)).join('\n'), /makespan-target\/exercise\.yaml:\d+:\d+: 'noNewTools' in the goal of exercise 'makespan-target' must be true or false/);
  });

  it('reports a question topic that is not in the list, and a question without topics, at their lines', async () => {
    const { files } = await realCourse();
    const quiz = files.get('lessons/quiz.yaml') as string;
    const broken = edit(files, 'lessons/quiz.yaml', (t) => t.replace('  topics: [scheduling]\n  prompt: Three independent', '  topics: [scheduling, promises]\n  prompt: Three independent').replace(/(- id: promise-all-order\n(?:.*\n)*?)  topics: \[js-promises\]\n/, '$1'));
    const errors = await check(broken);
    const bad = errors.find((e) => e.message.includes("has 'promises', which is not a topic"));
    assert.ok(bad, errors.map(formatCourseError).join('\n'));
    assert.equal(bad.line, lineOf(quiz, '  topics: [scheduling]\n  prompt: Three independent'));
    assert.match(bad.message, /use one of js-promises, python-async, .*lessons\/FORMAT\.md/);
    const missing = errors.find((e) => e.message === "question 'promise-all-order' is missing 'topics'");
    assert.ok(missing, errors.map(formatCourseError).join('\n'));
    assert.equal(missing.line, lineOf(quiz, '- id: promise-all-order') );
  });

  it('reports a missing course index clearly', async () => {
    const errors = await check(new Map());
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /course index is missing/);
  });
});

describe('flashcards', () => {
  it('has a myths deck and a takeaways deck, each card with both sides', async () => {
    const { course } = await realCourse();
    const cards = course?.flashcards ?? [];
    assert.ok(cards.filter((c) => c.deck === 'myths').length >= 8);
    assert.ok(cards.filter((c) => c.deck === 'takeaways').length >= 8);
    for (const c of cards) assert.ok(c.front.length > 10 && c.back.length > 20, c.id);
  });

  it('a card that points at a missing step is reported', async () => {
    const { files } = await realCourse();
    const broken = edit(files, 'lessons/flashcards.yaml', (t) => t.replace('step: production-patterns', 'step: production'));
    const errors = await check(broken);
    assert.ok(errors.some((e) => e.file === 'lessons/flashcards.yaml' && /flashcard '.*' belongs to step 'production', which does not exist/.test(e.message)), errors.map(formatCourseError).join('\n'));
  });
});

describe('loadCourse options', () => {
  it('validate: false skips the cross-file checks but still reports shape errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fanout-course-'));
    try {
      cpSync(join(PROJECT_ROOT, 'lessons'), join(dir, 'lessons'), { recursive: true });
      rmSync(join(dir, 'lessons', 'samples', 'write-race.toolplan.yaml'));
      assert.ok((await loadCourse(dir)).errors.some((e) => /write-race\.toolplan\.yaml' does not exist/.test(e.message)));
      const quick = await loadCourse(dir, { validate: false });
      assert.deepEqual(quick.errors, []);
      assert.ok(quick.course && quick.course.steps.length >= 13);
      const quiz = join(dir, 'lessons', 'quiz.yaml');
      writeFileSync(quiz, readFileSync(quiz, 'utf8').replace('difficulty: easy', 'difficulty: trivial'));
      assert.ok((await loadCourse(dir, { validate: false })).errors.some((e) => /'difficulty' of question '.*' is 'trivial'/.test(e.message)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('comparisons (race mode)', () => {
  it('pair two step samples each, and a pair with a plan that is not a sample is reported', async () => {
    const { course, files } = await realCourse();
    assert.ok((course?.comparisons.length ?? 0) >= 3);
    const samples = new Set(course?.steps.flatMap((s) => s.samples.map((x) => x.path)));
    for (const c of course?.comparisons ?? []) assert.ok(samples.has(c.left.path) && samples.has(c.right.path), c.id);
    const broken = edit(files, 'lessons/course.yaml', (t) => t.replace('path: samples/dedupe.toolplan.json', 'path: exercises/write-race/solution.toolplan.yaml'));
    const errors = await check(broken);
    assert.ok(errors.some((e) => /comparison 'duplicate-vs-dedupe' races 'lessons\/exercises\/write-race\/solution.toolplan.yaml', which is not a sample/.test(e.message)), errors.map(formatCourseError).join('\n'));
  });

  it('a stream policy on a side must be one of the fanout.streamPolicy names, and only on a streamed plan', async () => {
    const { files } = await realCourse();
    const typo = edit(files, 'lessons/course.yaml', (t) => t.replace('stream: wait-for-end }', 'stream: wait-for-the-end }'));
    const e1 = (await check(typo)).map(formatCourseError).join('\n');
    assert.match(e1, /course\.yaml:\d+:\d+: 'stream' of 'left' in comparison 'wait-for-end-vs-dispatch' is the string "wait-for-the-end"; use one of dispatch-on-close, wait-for-end/);
    const notStream = edit(files, 'lessons/course.yaml', (t) => t.replace('right: { label: Parallel, path: samples/parallel-trip.toolplan.json }', 'right: { label: Parallel, path: samples/parallel-trip.toolplan.json, stream: wait-for-end }'));
    const e2 = (await check(notStream)).map(formatCourseError).join('\n');
    assert.match(e2, /comparison 'sequential-vs-parallel' runs 'lessons\/samples\/parallel-trip\.toolplan\.json' under stream: wait-for-end, but that plan is not a stream/);
    const same = edit(files, 'lessons/course.yaml', (t) => t.replace('stream: dispatch-on-close }', 'stream: wait-for-end }'));
    assert.match((await check(same)).map((e) => e.message).join('\n'), /comparison 'wait-for-end-vs-dispatch' races a plan against itself under one stream policy/);
  });
});

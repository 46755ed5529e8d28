// Host-side pure modules of the lessons view: Markdown rendering (what may become HTML), the
// course message, refusal of bad webview actions, the CSP, and race data from the real scheduler.
import { strict as assert } from 'node:assert';
import { buildViewCourse, refuseAction, resetStepAction } from '../../../src/extension/lessons/courseView';
import { lessonsCsp, lessonsHtml } from '../../../src/extension/lessons/html';
import { createCourseMarkdown } from '../../../src/extension/lessons/markdown';
import { buildComparisonRace, buildSampleRace } from '../../../src/extension/lessons/race';
import { realCourse } from '../lessons/helpers';

const md = createCourseMarkdown();

describe('lessons host: Markdown', () => {
  it('escapes raw HTML instead of passing it through', () => {
    const html = md.block('Hi <script>alert(1)</script> <img src=x onerror=alert(1)> <b>b</b>');
    assert.ok(!html.includes('<script'), html);
    assert.ok(!html.includes('<img'), html);
    assert.ok(html.includes('&lt;script&gt;'), html);
  });

  it('turns step: links into in-view navigation and keeps http(s) links for the host to open', () => {
    const html = md.inline('See [resources](step:resources) and [docs](https://example.com/a?b=1).');
    assert.match(html, /<a href="#resources" data-step="resources" class="fo-step-link">resources<\/a>/);
    assert.match(html, /<a href="https:\/\/example\.com\/a\?b=1" data-external="true" class="fo-external-link">docs<\/a>/);
  });

  it('refuses javascript:, data:, file: and command: links (they stay text)', () => {
    for (const url of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,x', 'file:///etc/passwd', 'command:workbench.action.quit', 'vbscript:x']) {
      const html = md.inline(`[x](${url})`);
      assert.ok(!html.includes('<a'), `${url} -> ${html}`);
    }
    const img = md.inline('![alt text](https://example.com/x.png)');
    assert.equal(img, 'alt text');
  });

  it('moves headings down one level and carries table alignment as a class', () => {
    assert.match(md.block('# Title\n\n## Sub'), /<h2 data-section="title">Title<\/h2>\n<h3 data-section="sub">Sub<\/h3>/);
    const t = md.block('| a | b |\n|--:|:-:|\n| 1 | 2 |');
    assert.ok(!t.includes('style='), t);
    assert.match(t, /<th class="fo-align-right">a<\/th>/);
  });
});

describe('lessons host: course message and actions', () => {
  it('renders the whole real course without raw HTML or script URLs', async () => {
    const { course } = await realCourse();
    assert.ok(course);
    const view = buildViewCourse(course);
    assert.equal(view.steps.length, course.steps.length);
    assert.equal(view.quiz.length, course.quiz.length);
    assert.equal(view.comparisons.length, course.comparisons.length);
    const all = JSON.stringify(view);
    assert.ok(!/<script|javascript:|onerror=|style=/i.test(all));
    for (const s of view.steps) {
      assert.match(s.html, /^<h2[\s>]/, `${s.id} starts with its heading`);
      assert.ok(s.samples.every((x) => x.path.startsWith('lessons/samples/')));
    }
    assert.ok(view.steps.some((s) => s.html.includes('data-step=')), 'step links are rendered');
  });

  it('refuses actions that name unknown things or lie about correctness', async () => {
    const { course } = await realCourse();
    assert.ok(course);
    const s = course.steps[0];
    const q = course.quiz[0];
    const e = course.exercises[0];
    assert.equal(refuseAction(course, { type: 'visit-step', step: s.id }), undefined);
    assert.match(refuseAction(course, { type: 'visit-step', step: 'nope' }) ?? '', /unknown step/);
    assert.equal(refuseAction(course, { type: 'predict', step: s.id, choice: s.predict.answer, correct: true }), undefined);
    assert.match(refuseAction(course, { type: 'predict', step: s.id, choice: s.predict.answer, correct: false }) ?? '', /disagrees/);
    assert.match(refuseAction(course, { type: 'predict', step: s.id, choice: 99, correct: false }) ?? '', /out of range/);
    assert.equal(refuseAction(course, { type: 'answer', question: q.id, choice: q.answer, correct: true, at: 1, mode: 'test' }), undefined);
    assert.match(refuseAction(course, { type: 'answer', question: q.id, choice: (q.answer + 1) % q.choices.length, correct: true, at: 1, mode: 'test' }) ?? '', /disagrees/);
    assert.equal(refuseAction(course, { type: 'hint-revealed', exercise: e.id, count: 1 }), undefined);
    assert.match(refuseAction(course, { type: 'hint-revealed', exercise: e.id, count: e.hints.length + 1 }) ?? '', /out of range/);
    const zero = { correct: 0, total: 0 };
    assert.match(refuseAction(course, { type: 'test-finished', at: 1, scores: { easy: { correct: 3, total: 2 }, medium: zero, hard: zero } }) ?? '', /bad easy/);
    const reset = resetStepAction(course, 'dependencies');
    assert.equal(reset.type, 'reset-step');
    if (reset.type === 'reset-step') {
      assert.deepEqual(reset.questions, course.quiz.filter((x) => x.step === 'dependencies').map((x) => x.id));
      assert.ok(reset.questions.length > 0);
    }
  });

  it('ships a strict CSP: nonce scripts, extension styles only, no inline styles', () => {
    assert.equal(lessonsCsp('vscode-resource:', 'abc'), "default-src 'none'; style-src vscode-resource:; img-src vscode-resource: data:; script-src 'nonce-abc'");
    const html = lessonsHtml({ cspSource: 'vscode-resource:', nonce: 'abc', appScript: 'x/lessons.js', stylesheet: 'x/lessons.css' });
    assert.match(html, /<script nonce="abc" src="x\/lessons.js"><\/script>/);
    assert.ok(!html.includes('unsafe-inline'));
  });
});

describe('lessons host: race data', () => {
  it('a sample races itself: one at a time takes the sum, the scheduler the critical path', async () => {
    const { files } = await realCourse();
    const path = 'lessons/samples/parallel-trip.toolplan.json';
    const r = await buildSampleRace(path, files.get(path) ?? '', { cores: 4 });
    assert.ok(r.ok);
    const [one, par] = r.race.lanes;
    assert.equal(Math.round(one.makespanMs), 4000);
    assert.equal(Math.round(par.makespanMs), 1500);
    // One at a time: no two bars overlap.
    const bars = [...one.bars].sort((a, b) => a.start - b.start);
    for (let i = 1; i < bars.length; i++) assert.ok(bars[i].start >= bars[i - 1].end - 1e-9);
    assert.equal(r.race.key, `sample:${path}`);
  });

  it('a comparison races its two plans; a broken plan is a clear error', async () => {
    const { course, files } = await realCourse();
    assert.ok(course);
    const c = buildViewCourse(course).comparisons.find((x) => x.id === 'sequential-vs-parallel');
    assert.ok(c);
    const r = await buildComparisonRace(c, files.get(c.left.path) ?? '', files.get(c.right.path) ?? '', { cores: 4 });
    assert.ok(r.ok);
    assert.ok(r.race.lanes[0].makespanMs > r.race.lanes[1].makespanMs);
    const bad = await buildSampleRace('lessons/samples/x.toolplan.json', '{"tools": [ {"id": "a", "kind": "simulate"', { cores: 4 });
    assert.equal(bad.ok, false);
    if (!bad.ok) assert.match(bad.message, /^lessons\/samples\/x\.toolplan\.json:\d+:\d+: /);
  });

  it('each lane carries its plan\'s warnings and errors (as that lane runs it), infos left out', async () => {
    const { course, files } = await realCourse();
    assert.ok(course);
    const view = buildViewCourse(course);
    const codes = (l: { problems: readonly { code: string }[] }) => l.problems.map((p) => p.code);
    const race = async (id: string) => {
      const c = view.comparisons.find((x) => x.id === id);
      assert.ok(c, id);
      const r = await buildComparisonRace(c, files.get(c.left.path) ?? '', files.get(c.right.path) ?? '', { cores: course.referenceCores });
      assert.ok(r.ok);
      return r.race.lanes;
    };
    const [burst, steady] = await race('unbounded-vs-capped');
    assert.deepEqual(codes(burst), ['unbounded-concurrency'], 'one entry per code');
    assert.match(burst.problems[0].message, /maxConcurrency/);
    assert.deepEqual(codes(steady), []);
    const [all8, four] = await race('cpu-oversubscribed-vs-capped');
    assert.deepEqual([codes(all8), codes(four)], [['cpu-oversubscribed'], []]);
    // CPU tools share the course's 4 cores: all eight at once end together at 800 ms, no sooner
    // than four at a time, whose first results arrive at 400 ms (issue 18: not "4× slower").
    assert.deepEqual([all8.makespanMs, four.makespanMs], [800, 800]);
    const [seq, par] = await race('sequential-vs-parallel');
    assert.deepEqual([codes(seq), codes(par)], [[], []], 'no-parallelism is an info');
    // A sample against itself: one at a time is judged at maxConcurrency 1, the scheduler lane as written.
    const path = 'lessons/samples/cpu-oversubscribed.toolplan.json';
    const r = await buildSampleRace(path, files.get(path) ?? '', { cores: course.referenceCores });
    assert.ok(r.ok);
    assert.deepEqual(r.race.lanes.map(codes), [[], ['cpu-oversubscribed']]);
    // The core count decides: on 8 cores, eight CPU tools at once are fine.
    const roomy = await buildSampleRace(path, files.get(path) ?? '', { cores: 8 });
    assert.ok(roomy.ok);
    assert.deepEqual(roomy.race.lanes.map(codes), [[], []]);
    assert.deepEqual(roomy.race.lanes.map((l) => l.makespanMs), [3200, 400], 'eight cores: each cpu tool has one');
    assert.equal(r.race.lanes[1].makespanMs, 800);
  });

  it('race captions name the lanes instead of saying left or right (the lanes are stacked in a narrow view)', async () => {
    const { course } = await realCourse();
    assert.ok(course && course.comparisons.length > 0);
    for (const c of course.comparisons) {
      assert.doesNotMatch(c.caption, /\b(left|right|top|bottom|above|below)\b/i, `${c.id}: ${c.caption}`);
      assert.doesNotMatch(c.title, /\b(left|right)\b/i, c.id);
    }
  });
});

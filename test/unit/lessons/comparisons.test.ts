// The race's course comparisons for the later steps: each one's lanes end when its caption says,
// on the real scheduler and virtual clock the Race mode uses.
import assert from 'node:assert/strict';
import { buildViewCourse } from '../../../src/extension/lessons/courseView';
import { buildComparisonRace } from '../../../src/extension/lessons/race';
import { realCourse } from './helpers';

describe('course comparisons: code mode and deferred tools (step 15)', () => {
  it('inline-vs-deferred: the inline turn lasts the report (4 min), the deferred one its searches (800 ms), both without warnings', async () => {
    const { course, files } = await realCourse();
    assert.ok(course);
    const c = buildViewCourse(course).comparisons.find((x) => x.id === 'inline-vs-deferred');
    assert.ok(c, 'course.yaml lists inline-vs-deferred');
    assert.equal(c.step, 'code-mode-and-deferred-tools');
    const r = await buildComparisonRace(c, files.get(c.left.path) ?? '', files.get(c.right.path) ?? '', { cores: course.referenceCores });
    assert.ok(r.ok);
    const [inline, deferred] = r.race.lanes;
    assert.deepEqual([inline.makespanMs, deferred.makespanMs], [240_000, 800]);
    assert.deepEqual([inline.problems, deferred.problems], [[], []]);
    // The deferred lane hands the report off: its handle call is short, no bar runs for minutes.
    assert.ok(deferred.bars.every((b) => b.end - b.start <= 800));
    assert.match(c.caption, /4 min/);
    assert.match(c.caption, /800 ms/);
  });
});

describe('course comparisons: streaming dispatch (step 10)', () => {
  it('wait-for-end-vs-dispatch: one recorded stream under both policies ends at 3.3 s and 2.6 s, as the caption says; waiting is flagged', async () => {
    const { course, files } = await realCourse();
    assert.ok(course);
    const c = buildViewCourse(course).comparisons.find((x) => x.id === 'wait-for-end-vs-dispatch');
    assert.ok(c, 'course.yaml lists wait-for-end-vs-dispatch');
    assert.equal(c.step, 'streaming-dispatch');
    assert.deepEqual([c.left.stream, c.right.stream], ['wait-for-end', 'dispatch-on-close']);
    assert.equal(c.left.path, c.right.path, 'the same stream on both sides');
    const r = await buildComparisonRace(c, files.get(c.left.path) ?? '', files.get(c.right.path) ?? '', { cores: course.referenceCores });
    assert.ok(r.ok, r.ok ? '' : r.message);
    const [wait, dispatch] = r.race.lanes;
    assert.deepEqual([wait.makespanMs, dispatch.makespanMs], [3300, 2600]);
    assert.deepEqual([wait.stream, dispatch.stream], [{ endMs: 1800, policy: 'wait-for-end' }, { endMs: 1800, policy: 'dispatch-on-close' }]);
    // Waiting starts every call at the stream's end; dispatching starts each at its close.
    assert.ok(wait.bars.every((b) => b.start === 1800), JSON.stringify(wait.bars));
    assert.deepEqual(dispatch.bars.map((b) => b.start).sort((x, y) => x - y), [600, 1100, 1600]);
    assert.deepEqual(wait.problems.map((p) => p.code), ['wait-for-end']);
    assert.match(wait.problems[0].message, /^No call starts before the stream ends at 1\.8 s, though every call had closed its arguments by 1\.6 s \(the first at 600 ms\)/);
    assert.deepEqual(dispatch.problems, []);
    assert.match(wait.label, /^Wait for the end — streamed-batch\.toolplan\.json \(wait-for-end\)$/);
    for (const figure of ['1.8 s', '3.3 s', '2.6 s', '0.6, 1.1 and 1.6 s']) assert.ok(c.caption.includes(figure), figure);
  });

  it('wait-for-end\'s message counts the calls that closed before the end, in the plural (reader finding S2)', async () => {
    const { course, files } = await realCourse();
    assert.ok(course);
    const c = buildViewCourse(course).comparisons.find((x) => x.id === 'wait-for-end-vs-dispatch');
    assert.ok(c);
    // Without the finish chunk at 1.8 s the stream ends at 1.6 s, with the last call's close: two closed before it.
    const text = (files.get(c.left.path) ?? '').trimEnd().split('\n').slice(0, -1).join('\n');
    const r = await buildComparisonRace(c, text, text, { cores: course.referenceCores });
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.match(r.race.lanes[0].problems[0].message, /^No call starts before the stream ends at 1\.6 s, though 2 calls had closed their arguments by 1\.1 s \(the first at 600 ms\)/);
  });
});

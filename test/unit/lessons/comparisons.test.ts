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

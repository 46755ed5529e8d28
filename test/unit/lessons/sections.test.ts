import { strict as assert } from 'node:assert';
import { createCourseMarkdown } from '../../../src/extension/lessons/markdown';
import { DIAGNOSTIC_LESSONS } from '../../../src/core/plan/lessonIds';
import { bodySections, DIAGNOSTIC_SECTIONS, headingSlug, sectionFor, sectionText } from '../../../src/core/lessons/sections';
import { validateCourse } from '../../../src/core/lessons/validate';
import { realCourse } from './helpers';

describe('Learn why lands on the section that explains the diagnostic (issue 11 point 12)', () => {
  it('slugs headings the way the renderer marks them', () => {
    assert.equal(headingSlug('3. Unbounded fan-out — `unbounded-concurrency`'), '3-unbounded-fan-out-unbounded-concurrency');
    assert.equal(headingSlug("4. Know the ceiling: Amdahl's law"), '4-know-the-ceiling-amdahl-s-law');
    const html = createCourseMarkdown().block('## Why 40 at once hurts\n\ntext');
    assert.match(html, /<h3 data-section="why-40-at-once-hurts">/);
    assert.deepEqual([...bodySections('## A b\n```\n## not a heading\n```\n### C: d')], ['a-b', 'c-d']);
  });

  it('every diagnostic code has a section, and it exists in the step the code links to', async () => {
    const { course } = await realCourse();
    assert.ok(course);
    assert.deepEqual(Object.keys(DIAGNOSTIC_SECTIONS).sort(), Object.keys(DIAGNOSTIC_LESSONS).sort());
    for (const [code, stepId] of Object.entries(DIAGNOSTIC_LESSONS)) {
      const step = course.steps.find((s) => s.id === stepId);
      assert.ok(step, stepId);
      assert.ok(bodySections(step.body).has(sectionFor(code) ?? ''), `${code} → ${stepId}#${sectionFor(code)}`);
    }
    assert.equal(sectionFor('not-a-code'), undefined);
    assert.equal(sectionFor('constructor'), undefined);
  });

  it('sectionText: from the heading to the next heading of its level or higher, fences skipped', () => {
    const body = '## A\none\n### A1\ntwo\n```\n## fenced\n```\n## B\nthree';
    assert.equal(sectionText(body, 'a'), '## A\none\n### A1\ntwo\n```\n## fenced\n```');
    assert.equal(sectionText(body, 'a1'), '### A1\ntwo\n```\n## fenced\n```');
    assert.equal(sectionText(body, 'b'), '## B\nthree');
    assert.equal(sectionText(body, 'fenced'), undefined);
  });

  it('every diagnostic code is named in the section it lands on (unknown-tool, invalid-arguments, serialized-batch, … included)', async () => {
    const { course } = await realCourse();
    assert.ok(course);
    for (const [code, stepId] of Object.entries(DIAGNOSTIC_LESSONS)) {
      const step = course.steps.find((s) => s.id === stepId);
      assert.ok(step, stepId);
      assert.ok((sectionText(step.body, sectionFor(code) ?? '') ?? '').includes(`\`${code}\``), `${code}: ${stepId}#${sectionFor(code)} does not name it`);
    }
  });

  it('the course validator reports a section that does not name its code', async () => {
    const { course, files } = await realCourse();
    assert.ok(course);
    const steps = course.steps.map((s) => (s.id === 'plan-format' ? { ...s, body: s.body.replace('- `invalid-arguments` (error)', '- a schema mismatch (error)') } : s));
    assert.notEqual(steps.find((s) => s.id === 'plan-format')?.body, course.steps.find((s) => s.id === 'plan-format')?.body);
    const errors = await validateCourse({ ...course, steps }, files);
    assert.ok(errors.some((e) => /diagnostic 'invalid-arguments' lands on section 'calls-checked-against-their-tools' of step 'plan-format', but that section never names `invalid-arguments`/.test(e.message)), JSON.stringify(errors.map((e) => e.message)));
  });

  it('the course validator reports a section that no heading has', async () => {
    const { course, files } = await realCourse();
    assert.ok(course);
    const steps = course.steps.map((s) => (s.id === 'resources' ? { ...s, body: s.body.replace('## Why 40 at once hurts', '## Why forty hurt') } : s));
    const errors = await validateCourse({ ...course, steps }, files);
    assert.ok(errors.some((e) => /diagnostic 'unbounded-concurrency' lands on section 'why-40-at-once-hurts'/.test(e.message)), JSON.stringify(errors.map((e) => e.message)));
  });
});

import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { firstSentence, sampleCatalog } from '../../../src/core/lessons/sampleCatalog';
import { realCourse } from './helpers';

const SAMPLES = join(__dirname, '..', '..', '..', 'lessons', 'samples');

describe('sample picker catalog: grouped by lesson, start here first (issue 11 point 12)', () => {
  it('takes the first sentence of a caption', () => {
    assert.equal(firstSentence('Six calls finish together. Waiting overlaps.'), 'Six calls finish together.');
    assert.equal(firstSentence('No full stop'), 'No full stop');
    assert.equal(firstSentence('Costs 1.5 s here. Then more.'), 'Costs 1.5 s here.');
  });

  it('every sample file appears once, under the first step that uses it, in reading order; one start here', async () => {
    const { course } = await realCourse();
    assert.ok(course);
    const files = readdirSync(SAMPLES).filter((f) => /\.toolplan\.(json|ya?ml)$/.test(f));
    const groups = sampleCatalog(course, files);
    const all = groups.flatMap((g) => g.samples.map((s) => s.file));
    assert.deepEqual([...all].sort(), [...files].sort(), 'each file once');
    assert.equal(new Set(all).size, all.length);
    const starts = groups.flatMap((g) => g.samples).filter((s) => s.startHere);
    assert.equal(starts.length, 1);
    assert.equal(starts[0].file, course.steps[0].samples[0].path.split('/').pop());
    assert.match(groups[0].title, /^Step 1 · /);
    const stepNumbers = groups.filter((g) => g.title.startsWith('Step ')).map((g) => Number(/^Step (\d+)/.exec(g.title)?.[1]));
    assert.deepEqual(stepNumbers, [...stepNumbers].sort((a, b) => a - b));
    for (const g of groups) if (g.title !== 'More samples') for (const s of g.samples) assert.ok(s.blurb.length > 0 && s.blurb.length <= 200, `${s.file}: ${s.blurb}`);
    assert.ok(groups.length >= 8, `grouped by lesson (${groups.length} groups)`);
  });
});

// The Lab remembers: the current exercise survives a tab switch and a reload (webview state),
// hints go to the exercise on screen, and a check always answers — a grade, or the host's reason
// (as src/extension/lessons/panel.ts sends 'check-failed' for an exercise never opened).
import { strict as assert } from 'node:assert';
import type { HostToView } from '../../src/protocol/lessons';
import { closeBrowser } from './helpers/chromium';
import { loadRealCourse, openLessons } from './helpers/lessonsHost';

describe('lessons view Lab state', function () {
  this.timeout(120_000);
  after(closeBrowser);

  it('keeps the chosen exercise across a tab switch and a reload, with its hints, and answers a check before Open with the reason', async () => {
    const real = await loadRealCourse();
    assert.ok(real.course.exercises.length >= 2);
    const second = real.course.exercises[1];
    const h = await openLessons(real, {
      onPost: async (m, host) => {
        // As the extension host does when the learner's copy does not exist yet.
        if (m.type === 'check-exercise') await host.view.send({ type: 'check-failed', exercise: m.exercise, message: 'There is nothing to check yet: press "Open exercise" first, fix the plan in the editor, then check it.' } satisfies HostToView);
      },
    });
    const page = h.view.page;
    await page.click('#fl-tab-lab');
    await page.click(`.fl-lab [data-exercise="${second.id}"]`);
    assert.equal(await page.locator('.fl-exercise h3').innerText(), second.title);
    // One primary action: Open before the learner has a copy.
    const primaries = () => page.locator('.fl-exercise .fl-actions .fl-primary').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-action')));
    assert.deepEqual(await primaries(), ['open-exercise'], 'a fresh exercise: Open is the one primary button');
    await page.click('.fl-lab [data-action="hint"]');
    await h.pump();
    assert.equal(h.progress.exercises[second.id]?.hintsRevealed, 1, 'the hint is recorded on the exercise on screen');
    assert.equal(h.progress.exercises[real.course.exercises[0].id], undefined, 'and not on the first one');
    // A hint is not a copy: the list and the buttons still say the exercise is not started.
    assert.match(await page.locator(`.fl-lab [data-exercise="${second.id}"]`).innerText(), /○/);
    assert.equal(await page.locator(`.fl-lab [data-exercise="${second.id}"] .fl-ex-opened`).count(), 0);
    assert.equal(await page.locator('.fl-lab [data-action="open-exercise"]').innerText(), 'Open exercise');
    assert.deepEqual(await primaries(), ['open-exercise'], 'after a hint: Open is still the one primary button');
    assert.equal(await page.locator('.fl-lab [data-action="restart"]').count(), 0, 'nothing to start over yet');
    // Check before Open: the button comes back with the reason.
    await page.click('.fl-lab [data-action="check"]');
    await h.pump();
    await page.waitForSelector('[data-check-failed]');
    assert.match(await page.locator('.fl-grade').innerText(), /Open exercise/);
    assert.equal(await page.locator('.fl-lab [data-action="check"]').innerText(), 'Check my solution');
    assert.equal(await page.locator('.fl-lab [data-action="check"]').isDisabled(), false);
    // Once the host says the copy is open, Check becomes the one primary button.
    await h.view.send({ type: 'exercise-opened', exercise: second.id, fileLabel: 'copy.toolplan.json' } satisfies HostToView);
    await page.waitForSelector('.fl-exercise .fl-note:has-text("Editing copy.toolplan.json")');
    assert.deepEqual(await primaries(), ['check'], 'an opened exercise: Check is the one primary button');
    // A tab switch and back.
    await page.click('#fl-tab-read');
    await page.click('#fl-tab-lab');
    assert.equal(await page.locator('.fl-exercise h3').innerText(), second.title, 'same exercise after a tab switch');
    assert.equal(await page.locator('.fl-hints li').count(), 1);
    // A reload: a new page with the saved state and the host's progress.
    const state = await h.view.state();
    assert.equal((state as { exercise?: string }).exercise, second.id);
    const again = await openLessons(real, { progress: h.progress, state });
    assert.equal(await again.view.page.locator('.fl-exercise h3').innerText(), second.title, 'same exercise after a reload');
    assert.equal(await again.view.page.locator('.fl-hints li').count(), 1);
    assert.deepEqual([...h.view.errors, ...again.view.errors], []);
    await page.close();
    await again.view.page.close();
  });
});

// The lessons bundle in real headless Chromium, fed the REAL course through the host's own message
// builder (buildViewCourse: markdown-it in the host), with the test playing the host: it applies
// the real progress reducer to every action the view posts and sends progress back, as the
// extension does.
import { strict as assert } from 'node:assert';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { emptyProgress, reduceProgress, type Progress } from '../../src/core/lessons/progress';
import type { Course } from '../../src/core/lessons/types';
import type { HostToView, ViewCourse, ViewToHost } from '../../src/protocol/lessons';
import { courseMessage, viewGrade } from '../../src/extension/lessons/courseView';
import { gradeExercise } from '../../src/core/lessons/grade';
import { closeBrowser, openWebview } from './helpers/chromium';
import { loadRealCourse, openLessons, type FakeHost } from './helpers/lessonsHost';

const ROOT = join(__dirname, '..', '..');

let course: Course;
let files: ReadonlyMap<string, string>;
let viewCourse: ViewCourse;

async function open(progress: Progress = emptyProgress(), state?: unknown): Promise<FakeHost> {
  return openLessons(await loadRealCourse(), { progress, ...(state !== undefined ? { state } : {}) });
}

const text = (h: FakeHost, sel: string) => h.view.page.evaluate((s) => document.querySelector(s)?.textContent ?? null, sel);
const focusedText = (h: FakeHost) => h.view.page.evaluate(() => document.activeElement?.textContent ?? '');
const marks = (h: FakeHost) => h.view.page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('.fl-step-button')).map((b) => b.dataset.mark));

describe('lessons webview', function () {
  this.timeout(120_000);
  before(async () => {
    const real = await loadRealCourse();
    course = real.course;
    files = real.files;
    viewCourse = real.view;
  });
  after(closeBrowser);

  it('shows the course in Read mode; steps navigate by click and by keyboard, each visit posted to the host', async () => {
    const h = await open();
    assert.equal(await text(h, 'h1'), course.title);
    assert.equal(await h.view.page.locator('.fl-step-button').count(), course.steps.length);
    assert.equal(await h.view.page.locator('[role="tab"]').count(), 7);
    assert.equal(await text(h, '.fl-article h2'), course.steps[0].title);
    // Click the third step.
    await h.view.page.click(`.fl-step-button[data-step="${course.steps[2].id}"]`);
    await h.pump();
    assert.equal(await text(h, '.fl-article h2'), course.steps[2].title);
    assert.equal(await h.view.page.getAttribute(`.fl-step-button[data-step="${course.steps[2].id}"]`, 'aria-current'), 'step');
    // Keyboard: ArrowDown moves focus down the list, Enter opens the step.
    await h.view.page.focus(`.fl-step-button[data-step="${course.steps[2].id}"]`);
    await h.view.page.keyboard.press('ArrowDown');
    assert.match(await focusedText(h), new RegExp(`^.4\\. ${escapeRe(course.steps[3].title)}`));
    await h.view.page.keyboard.press('Enter');
    await h.pump();
    assert.equal(await text(h, '.fl-article h2'), course.steps[3].title);
    const visits = h.seen.filter((m) => m.type === 'progress' && m.action.type === 'visit-step').map((m) => (m.type === 'progress' && m.action.type === 'visit-step' ? m.action.step : ''));
    assert.deepEqual(visits, [course.steps[0].id, course.steps[2].id, course.steps[3].id]);
    assert.deepEqual((await marks(h)).slice(0, 5), ['visited', 'new', 'visited', 'visited', 'new']);
    // Predict-first: the body waits for a prediction; this learner skips it.
    assert.equal(await h.view.page.locator('.fl-article .fl-step-body .fl-markdown').count(), 0, 'the body is folded before a prediction');
    assert.equal(await h.view.page.locator('.fl-article [data-action="complete"]').count(), 0, 'no "Mark complete" while the body is locked');
    await h.view.page.click('[data-action="skip-predict"]');
    assert.equal(await h.view.page.locator('.fl-article .fl-step-body .fl-markdown').count(), 1);
    assert.equal(await h.view.page.locator('.fl-article [data-action="complete"]').count(), 1, 'offered once the learner skips');
    // A step link inside the rendered Markdown navigates in the view.
    const linkStep = await h.view.page.evaluate(() => document.querySelector('.fl-markdown a[data-step]')?.getAttribute('data-step') ?? null);
    if (linkStep) {
      await h.view.page.click(`.fl-markdown a[data-step="${linkStep}"]`);
      await h.pump();
      assert.equal(await text(h, '.fl-article h2'), course.steps.find((s) => s.id === linkStep)?.title);
      assert.equal(await h.view.page.evaluate(() => document.activeElement?.tagName), 'H2', 'focus moves to the new step');
    }
    if ((await h.view.page.locator('[data-action="skip-predict"]').count()) > 0) await h.view.page.click('[data-action="skip-predict"]');
    // "Run this sample" asks the host to open the sample, show its plan view and run it.
    const sample = await h.view.page.getAttribute('[data-action="run-sample"]', 'data-path');
    assert.ok(sample?.startsWith('lessons/samples/'));
    await h.view.page.click('[data-action="run-sample"]');
    await h.pump();
    assert.deepEqual(h.seen[h.seen.length - 1], { type: 'open-sample', path: sample, action: 'run' });
    // Complete and continue marks the step done and moves on.
    await h.view.page.click('[data-action="complete"]');
    await h.pump();
    assert.ok(h.seen.some((m) => m.type === 'progress' && m.action.type === 'complete-step'));
    assert.ok((await marks(h)).includes('done'));
    assert.equal(await text(h, '.fl-overall-text'), `1 of ${course.steps.length} steps completed`);
    assert.deepEqual(h.view.errors, []);
    await h.view.page.close();
  });

  it('Predict: the explanation stays hidden until the learner commits; the answer is recorded', async () => {
    const h = await open();
    const s = course.steps[0];
    const card = h.view.page.locator('.fl-predict');
    assert.equal(await card.locator('.fl-explanation').innerText(), '', 'no explanation before answering');
    assert.equal(await h.view.page.locator('.fl-article [data-action="complete"]').count(), 0, 'no "Mark complete" before a prediction');
    // Committing with nothing chosen only asks for a choice.
    await card.locator('[data-action="check"]').click();
    assert.match(await card.locator('.fl-feedback').innerText(), /Choose an answer first/);
    assert.equal(await card.locator('.fl-explanation').innerText(), '');
    const wrong = (s.predict.answer + 1) % s.predict.choices.length;
    // Radios: focus the first shown, arrow keys move the selection (in the shown, shuffled order;
    // each radio's value is the choice's authored index).
    await card.locator('input[type="radio"]').first().focus();
    await h.view.page.keyboard.press('Space');
    for (let i = 0; i < s.predict.choices.length && (await card.locator('input[type="radio"]:checked').getAttribute('value')) !== String(wrong); i++) await h.view.page.keyboard.press('ArrowDown');
    assert.equal(await card.locator('input[type="radio"]:checked').getAttribute('value'), String(wrong));
    await card.locator('[data-action="check"]').click();
    await h.pump();
    assert.match(await card.locator('.fl-feedback').innerText(), /Not quite/);
    assert.ok((await card.locator('.fl-explanation').innerText()).includes('Why'));
    assert.equal(await card.locator('input:disabled').count(), s.predict.choices.length, 'committed: no changing the prediction');
    assert.equal(await card.locator('.fl-is-answer input').getAttribute('value'), String(s.predict.answer));
    assert.deepEqual(h.progress.steps[s.id].predict, { choice: wrong, correct: false });
    assert.equal(await h.view.page.locator('.fl-article [data-action="complete"]').count(), 1, '"Mark complete" is offered once the learner commits');
    // Predict mode shows the same recorded answer.
    await h.view.page.click('#fl-tab-predict');
    assert.equal(await h.view.page.locator('.fl-predict-mode input:checked').getAttribute('value'), String(wrong));
    assert.match(await text(h, '.fl-tally') ?? '', /^1 of \d+ predicted, 0 correctly\.$/);
    assert.deepEqual(h.view.errors, []);
    await h.view.page.close();
  });

  it('Practice: a wrong answer shows its common mistake, the hint comes on demand, then the right answer explains; screenshot', async () => {
    const h = await open();
    await h.view.page.click('#fl-tab-practice');
    const q = course.quiz[0];
    assert.equal(await h.view.page.evaluate(() => document.activeElement?.id), 'fl-tab-practice');
    const wrongIndex = Number(Object.keys(q.commonMistakes)[0]);
    const section = h.view.page.locator('.fl-question');
    assert.equal(await section.locator('.fl-explanation').innerText(), '');
    await section.locator(`input[value="${wrongIndex}"]`).check();
    await section.locator('[data-action="check"]').click();
    await h.pump();
    const feedback = await section.locator('.fl-feedback').innerText();
    assert.match(feedback, /Not quite/);
    assert.match(feedback, /Common mistake:/);
    assert.ok(feedback.includes(plain(q.commonMistakes[String(wrongIndex)]).slice(0, 30)), feedback);
    assert.equal(await section.locator('.fl-explanation').innerText(), '', 'the explanation waits for the right answer');
    assert.equal(await section.locator('.fl-feedback').getAttribute('aria-live'), 'polite');
    // The hint, revealed on demand, once.
    assert.equal(await section.locator('.fl-hint').isVisible(), false);
    await section.locator('[data-action="hint"]').click();
    assert.ok((await section.locator('.fl-hint').innerText()).includes(plain(q.hint).slice(0, 20)));
    assert.equal(await section.locator('[data-action="hint"]').isDisabled(), true);
    // Screenshot: a quiz question answered wrong, with feedback and the hint.
    mkdirSync(join(ROOT, 'test-results', 'screenshots'), { recursive: true });
    await h.view.page.setViewportSize({ width: 1000, height: 760 });
    await h.view.page.screenshot({ path: join(ROOT, 'test-results', 'screenshots', 'lessons.png'), fullPage: false });
    // Now the right answer.
    await section.locator(`input[value="${q.answer}"]`).check();
    await section.locator('[data-action="check"]').click();
    await h.pump();
    assert.match(await section.locator('.fl-feedback').innerText(), /Correct/);
    assert.ok((await section.locator('.fl-explanation').innerText()).length > 20);
    assert.equal(await h.view.page.evaluate(() => document.activeElement?.classList.contains('fl-feedback')), true, 'focus lands on the feedback');
    // Only the first answer is recorded: practice will bring this question back.
    assert.deepEqual(h.progress.quiz[q.id].map((a) => ({ choice: a.choice, correct: a.correct, mode: a.mode })), [{ choice: wrongIndex, correct: false, mode: 'practice' }]);
    await h.view.page.click('[data-action="next"]');
    assert.equal(await h.view.page.evaluate(() => document.activeElement?.tagName), 'H3', 'focus moves to the next question');
    await h.view.page.close();
    // A new practice session brings the missed question back first.
    const again = await open(h.progress);
    await again.view.page.click('#fl-tab-practice');
    assert.match(await text(again, '.fl-question-title') ?? '', /^Missed before · Practice 1 of/);
    assert.ok((await again.view.page.locator('.fl-question .fl-prompt').innerText()).includes(plain(q.prompt).slice(0, 20)));
    assert.deepEqual([...h.view.errors, ...again.view.errors], []);
    await again.view.page.close();
  });

  it('Test: ten questions across the difficulties, scored by difficulty at the end', async () => {
    const h = await open();
    await h.view.page.click('#fl-tab-test');
    await h.view.page.click('[data-action="start-test"]');
    const asked: string[] = [];
    for (let i = 0; i < 10; i++) {
      const title = await text(h, '.fl-question-title') ?? '';
      assert.match(title, new RegExp(`^Question ${i + 1} of 10`));
      const id = await h.view.page.getAttribute('.fl-question', 'data-question');
      const q = viewCourse.quiz.find((x) => x.id === id);
      assert.ok(q, `question ${id}`);
      assert.ok(title.includes(q.difficulty));
      assert.equal((await h.view.page.locator('.fl-question .fl-prompt').innerText()).trim(), htmlText(q.promptHtml).trim());
      asked.push(q.id);
      // Right on even questions, wrong on odd ones.
      const choice = i % 2 === 0 ? q.answer : (q.answer + 1) % q.choicesHtml.length;
      await h.view.page.locator(`.fl-question input[value="${choice}"]`).check();
      await h.view.page.click('.fl-question [data-action="check"]');
      await h.view.page.click('[data-action="next"]');
    }
    await h.pump();
    assert.equal(new Set(asked).size, 10);
    const diffs = asked.map((id) => viewCourse.quiz.find((x) => x.id === id)?.difficulty);
    assert.deepEqual(diffs, ['easy', 'easy', 'easy', 'medium', 'medium', 'medium', 'medium', 'hard', 'hard', 'hard']);
    assert.match(await text(h, '.fl-result-title') ?? '', /^You scored 5 of 10$/);
    const rows = await h.view.page.evaluate(() => Array.from(document.querySelectorAll('.fl-score-table tbody tr')).map((r) => r.textContent));
    assert.deepEqual(rows, ['easy2 / 367%', 'medium2 / 450%', 'hard1 / 333%']);
    assert.deepEqual(h.progress.tests.map((t) => t.scores), [{ easy: { correct: 2, total: 3 }, medium: { correct: 2, total: 4 }, hard: { correct: 1, total: 3 } }]);
    assert.deepEqual(h.view.errors, []);
    await h.view.page.close();
  });

  it('Lab: hints are revealed one at a time; per-check results from the host, with go-to-line', async () => {
    const h = await open();
    await h.view.page.click('#fl-tab-lab');
    const e = course.exercises[0];
    assert.ok(e.kind === 'plan', 'the first exercise is a plan exercise');
    assert.equal(await h.view.page.locator('.fl-hints li').count(), 0);
    for (let n = 1; n <= e.hints.length; n++) {
      await h.view.page.click('.fl-lab [data-action="hint"]');
      assert.equal(await h.view.page.locator('.fl-hints li').count(), n, `hint ${n} shown at once`);
      await h.pump();
      assert.equal(await h.view.page.locator('.fl-hints li').count(), n, `still ${n} after the host's progress`);
      assert.equal(h.progress.exercises[e.id].hintsRevealed, n);
    }
    assert.equal(await h.view.page.locator('.fl-lab [data-action="hint"]').count(), 0);
    assert.match(await text(h, '.fl-hint-ladder') ?? '', /All hints shown/);
    await h.view.page.click('.fl-lab [data-action="open-exercise"]');
    await h.view.page.click('.fl-lab [data-action="check"]');
    await h.pump();
    assert.ok(h.seen.some((m) => m.type === 'open-exercise' && m.exercise === e.id));
    assert.ok(h.seen.some((m) => m.type === 'check-exercise' && m.exercise === e.id));
    // The host grades the untouched starting plan (it fails) and sends the result.
    const result = await gradeExercise(e, files.get(e.start) ?? '', { cores: 4 });
    assert.equal(result.passed, false);
    await h.view.send({ type: 'grade', exercise: e.id, result: viewGrade(result) } satisfies HostToView);
    const failing = result.checks.filter((c) => !c.passed);
    assert.equal(await h.view.page.locator('.fl-checks li').count(), result.checks.length);
    assert.equal(await h.view.page.locator('.fl-checks li.fl-check-fail').count(), failing.length);
    assert.match(await text(h, '.fl-grade h4') ?? '', /^✗ Not yet/);
    const withLine = failing.find((c) => c.line !== undefined);
    if (withLine) {
      await h.view.page.locator('.fl-checks [data-action="reveal"]').first().click();
      await h.pump();
      assert.ok(h.seen.some((m) => m.type === 'reveal-exercise' && m.line === withLine.line));
    }
    assert.deepEqual(h.view.errors, []);
    await h.view.page.close();
  });

  it('restores: a reloaded view with the progress the host keeps shows the marks, the prediction and the hints', async () => {
    const steps = course.steps;
    let p = emptyProgress();
    p = reduceProgress(p, { type: 'complete-step', step: steps[0].id });
    p = reduceProgress(p, { type: 'visit-step', step: steps[1].id });
    p = reduceProgress(p, { type: 'predict', step: steps[1].id, choice: steps[1].predict.answer, correct: true });
    p = reduceProgress(p, { type: 'hint-revealed', exercise: course.exercises[0].id, count: 2 });
    const h = await open(JSON.parse(JSON.stringify(p)) as Progress, { mode: 'read', step: steps[1].id });
    assert.deepEqual((await marks(h)).slice(0, 3), ['done', 'visited', 'new']);
    assert.equal(await text(h, '.fl-article h2'), steps[1].title, 'the saved step');
    assert.match(await h.view.page.locator('.fl-predict .fl-feedback').innerText(), /You predicted correctly/);
    assert.equal(await h.view.page.locator('.fl-predict input:checked').getAttribute('value'), String(steps[1].predict.answer));
    assert.ok((await h.view.page.locator('.fl-predict .fl-explanation').innerText()).length > 0);
    assert.match(await h.view.page.locator(`.fl-step-button[data-step="${steps[0].id}"]`).innerText(), /completed/);
    await h.view.page.click('#fl-tab-lab');
    assert.equal(await h.view.page.locator('.fl-hints li').count(), 2);
    // Host-driven: a 'show' (fanout.startQuiz) switches mode; a reset-all progress clears the marks.
    await h.view.send({ type: 'show', show: { mode: 'test' } } satisfies HostToView);
    assert.equal(await h.view.page.getAttribute('#fl-tab-test', 'aria-selected'), 'true');
    assert.deepEqual(await h.view.state(), { mode: 'test', step: steps[1].id, exercise: course.exercises[0].id });
    await h.view.send({ type: 'show', show: { mode: 'read', step: steps[0].id } } satisfies HostToView);
    await h.view.send({ type: 'progress', progress: emptyProgress() } satisfies HostToView);
    assert.deepEqual((await marks(h)).slice(0, 3), ['new', 'new', 'new']);
    assert.deepEqual(h.view.errors, []);
    await h.view.page.close();
  });

  it('Flashcards flip with the keyboard; Race animates two schedules from the real scheduler', async () => {
    const h = await open();
    await h.view.page.click('#fl-tab-flashcards');
    const myths = course.flashcards.filter((f) => f.deck === 'myths');
    assert.match(await text(h, '.fl-card-side') ?? '', /^Myth$/);
    await h.view.page.focus('.fl-card');
    await h.view.page.keyboard.press('Space');
    assert.match(await text(h, '.fl-card-side') ?? '', /^Reality$/);
    await h.pump();
    assert.deepEqual(h.progress.flashcardsSeen, [myths[0].id]);
    await h.view.page.keyboard.press('ArrowRight');
    // The progress the host sent back arrives as a message event: wait for it rather than racing it.
    const tally = `Card 2 of ${myths.length} · 1 seen`;
    await h.view.page.waitForFunction((t) => document.querySelector('.fl-tally')?.textContent === t, tally, { timeout: 5000 }).catch(() => undefined);
    assert.equal(await text(h, '.fl-tally'), tally);
    await h.view.page.keyboard.press('f');
    assert.match(await text(h, '.fl-card-side') ?? '', /^Reality$/);

    await h.view.page.click('#fl-tab-race');
    await h.pump();
    await h.view.page.waitForSelector('.fl-lane-svg');
    assert.equal(await h.view.page.locator('.fl-lane').count(), 2);
    await h.view.page.click('[data-action="finish"]');
    const widths = await h.view.page.evaluate(() => Array.from(document.querySelectorAll('.fl-lane-bar')).map((r) => Number(r.getAttribute('width'))));
    assert.ok(widths.length > 0 && widths.every((w) => w > 0), String(widths));
    assert.match(await text(h, '.fl-race-status') ?? '', /\d (ms|s|min) vs \d[\d.]* (ms|s|min)/);
    // A sample against itself, from the select.
    const samplePath = course.steps[0].samples[0].path;
    await h.view.page.selectOption('#fl-race-sample', `sample:${samplePath}`);
    await h.pump();
    await h.view.page.waitForSelector('.fl-lane h3:has-text("One at a time")');
    assert.deepEqual(h.view.errors, []);
    await h.view.page.close();
  });

  it('Race of a streamed batch: waiting for the end is flagged, dispatching as parsed is faster, both lanes mark the stream\'s end', async () => {
    const h = await openLessons(await loadRealCourse(), { viewport: { width: 900, height: 700 } });
    const page = h.view.page;
    await page.click('#fl-tab-race');
    await h.pump();
    await page.selectOption('#fl-race-sample', 'comparison:wait-for-end-vs-dispatch');
    await h.pump();
    await page.waitForSelector('.fl-lane h3:has-text("Dispatch as parsed")');
    await page.click('[data-action="finish"]');
    const status = await text(h, '.fl-race-status') ?? '';
    assert.match(status, /Dispatch as parsed is 1\.27× faster than Wait for the end: 2\.6 s vs 3\.3 s\. Wait for the end starts no call before the stream ends at 1\.8 s\.$/, status);
    assert.doesNotMatch(status, /has wait-for-end/, 'a lane\'s own policy is not named as a problem it also has');
    const lanes = await page.evaluate(() => Array.from(document.querySelectorAll('.fl-lane')).map((l) => ({
      label: l.getAttribute('aria-label') ?? '',
      flagged: l.classList.contains('fl-lane-flagged'),
      marker: l.querySelector('.fl-lane-stream-label')?.textContent ?? '',
      barFills: Array.from(new Set(Array.from(l.querySelectorAll('.fl-lane-bar')).map((b) => getComputedStyle(b).fill))),
    })));
    assert.equal(lanes.length, 2);
    const [wait, dispatch] = lanes;
    assert.match(wait.label, /^Wait for the end/);
    assert.ok(wait.flagged && !dispatch.flagged, JSON.stringify(lanes));
    assert.ok(wait.barFills.every((f) => !dispatch.barFills.includes(f)), `the waiting lane is not drawn as a success: ${JSON.stringify(lanes)}`);
    assert.deepEqual(lanes.map((l) => l.marker), ['stream ends 1.8 s', 'stream ends 1.8 s']);
    if (process.env.FANOUT_RACE_SHOTS) await page.screenshot({ path: `${process.env.FANOUT_RACE_SHOTS}/race-stream-900.png`, fullPage: true });
    assert.deepEqual(h.view.errors, []);
    await page.close();
  });

  it('Race tells an honest story: a plan with problems is flagged, never "faster"; both results are on screen at 900×700', async () => {
    const h = await openLessons(await loadRealCourse(), { viewport: { width: 900, height: 700 } });
    const page = h.view.page;
    await page.click('#fl-tab-race');
    await h.pump();
    // Forty calls: the unbounded burst ends first on the virtual clock, which has no rate limit.
    await page.selectOption('#fl-race-sample', 'comparison:unbounded-vs-capped');
    await h.pump();
    await page.waitForSelector('.fl-lane-svg');
    await page.click('[data-action="finish"]');
    const status = await text(h, '.fl-race-status') ?? '';
    assert.doesNotMatch(status, /Unbounded[^.]*faster/, status);
    assert.match(status, /unbounded-concurrency/, status);
    const lanes = await page.evaluate(() => Array.from(document.querySelectorAll('.fl-lane')).map((l) => ({
      label: l.getAttribute('aria-label') ?? '',
      flagged: l.classList.contains('fl-lane-flagged'),
      problems: l.querySelector('.fl-lane-problems')?.textContent ?? '',
      barFills: Array.from(new Set(Array.from(l.querySelectorAll('.fl-lane-bar')).map((b) => getComputedStyle(b).fill))),
    })));
    assert.equal(lanes.length, 2);
    const [bad, good] = lanes;
    assert.match(bad.label, /^Unbounded/);
    assert.ok(bad.flagged && !good.flagged, JSON.stringify(lanes));
    assert.match(bad.problems, /unbounded-concurrency/);
    assert.equal(good.problems, '');
    assert.ok(bad.barFills.every((f) => !good.barFills.includes(f)), `the flagged lane is drawn in another colour: ${JSON.stringify(lanes)}`);
    // Both lanes' results are visible without scrolling once the race is in view.
    await page.evaluate(() => document.querySelector('.fl-race-controls')?.scrollIntoView());
    const boxes = await page.evaluate(() => Array.from(document.querySelectorAll('.fl-race-board-row')).map((r) => { const b = r.getBoundingClientRect(); return { top: b.top, bottom: b.bottom, text: r.textContent ?? '' }; }));
    assert.equal(boxes.length, 2, JSON.stringify(boxes));
    for (const b of boxes) assert.ok(b.top >= 0 && b.bottom <= 700, `on screen: ${JSON.stringify(b)}`);
    assert.match(boxes[0].text, /777 ms/);
    assert.match(boxes[1].text, /finished in 2\.72 s/);
    // Forty rows per lane fit in a bounded height.
    const heights = await page.evaluate(() => Array.from(document.querySelectorAll('.fl-lane-svg')).map((s) => s.getBoundingClientRect().height));
    assert.ok(heights.every((x) => x <= 320), `lane heights ${heights.join(', ')}`);
    // A clean comparison still says which is faster, by name.
    await page.selectOption('#fl-race-sample', 'comparison:sequential-vs-parallel');
    await h.pump();
    await page.waitForSelector('.fl-lane h3:has-text("Parallel")');
    await page.click('[data-action="finish"]');
    assert.match(await text(h, '.fl-race-status') ?? '', /^.*Parallel[^.]* is 2\.67× faster than Sequential/);
    assert.deepEqual(h.view.errors, []);
    await page.close();
  });

  it('Learn why lands on the section: the body opens and the heading is at the top of the view, from Read and from another mode', async () => {
    const h = await open(emptyProgress());
    const page = h.view.page;
    await page.setViewportSize({ width: 900, height: 700 });
    const landed = async (slug: string) => {
      await page.waitForFunction((sl) => document.activeElement?.getAttribute('data-section') === sl, slug, { timeout: 5000 }).catch(() => undefined);
      return page.evaluate((sl) => {
        const hd = document.querySelector(`[data-section="${sl}"]`);
        const r = hd?.getBoundingClientRect();
        return { found: !!hd, focused: document.activeElement === hd, top: r?.top ?? -1, locked: document.querySelector('.fl-step-body.fl-body-locked') !== null, title: document.querySelector('.fl-article h2')?.textContent ?? '' };
      }, slug);
    };
    // Read mode, another step: navigate within the view.
    await h.view.send({ type: 'show', show: { mode: 'read', step: 'resources', section: 'why-40-at-once-hurts' } } satisfies HostToView);
    let r = await landed('why-40-at-once-hurts');
    assert.ok(r.found && r.focused && !r.locked, JSON.stringify(r));
    assert.ok(r.top >= 0 && r.top < 120, `the heading is at the top: ${JSON.stringify(r)}`);
    // From another mode: the Read view is rebuilt and lands after it is attached.
    await page.click('#fl-tab-race');
    await h.view.send({ type: 'show', show: { mode: 'read', step: 'pitfalls', section: '5-write-race-write-conflict' } } satisfies HostToView);
    r = await landed('5-write-race-write-conflict');
    assert.ok(r.found && r.focused && !r.locked, JSON.stringify(r));
    assert.ok(r.top >= 0 && r.top < 120, JSON.stringify(r));
    await page.screenshot({ path: join(ROOT, 'test-results', 'lessons-learn-why.png') }).catch(() => undefined);
    // A section the step does not have: the step opens at its top, the prediction still first.
    await h.view.send({ type: 'show', show: { mode: 'read', step: 'failures', section: 'no-such-section' } } satisfies HostToView);
    await h.pump();
    assert.equal(await text(h, '.fl-article h2'), course.steps.find((s) => s.id === 'failures')?.title);
    assert.equal(await page.locator('.fl-step-body.fl-body-locked').count(), 1);
    assert.deepEqual(h.view.errors, []);
    await page.close();
  });

  it('hostile HTML in a message stays inert: the view rebuilds only allowlisted markup', async () => {
    const evil = '<h2>T</h2><p>ok<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><a href="javascript:window.__pwned=3">x</a><iframe srcdoc="x"></iframe><b onclick="x">bold</b></p>';
    const hostile: ViewCourse = { ...viewCourse, steps: [{ ...viewCourse.steps[0], html: evil, title: '<img src=x onerror=alert(1)>' }, ...viewCourse.steps.slice(1)] };
    const view = await openWebview({ scripts: ['lessons.js'], styles: ['lessons.css'] });
    await view.send(courseMessage(hostile, emptyProgress()));
    await view.page.click('[data-action="skip-predict"]'); // the body opens without a prediction
    const info = await view.page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned ?? 0,
      imgs: document.querySelectorAll('.fl-article img, .fl-article script, .fl-article iframe, [onclick], [onerror]').length,
      links: Array.from(document.querySelectorAll('.fl-article a')).map((a) => a.getAttribute('href')),
      text: document.querySelector('.fl-article')?.textContent ?? '',
      stepTitle: document.querySelector('.fl-step-button .fl-step-title')?.textContent,
    }));
    assert.equal(info.pwned, 0);
    assert.equal(info.imgs, 0);
    assert.deepEqual(info.links, [null]);
    assert.ok(info.text.includes('bold'));
    assert.equal(info.stepTitle, '1. <img src=x onerror=alert(1)>');
    await view.page.close();
  });
});

function plain(markdown: string): string {
  return markdown.replace(/<[^>]+>/g, '').replace(/[*`_]/g, '').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

function htmlText(html: string): string {
  return html.replace(/<[^>]+>/g, '').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// The lessons view at the widths a newcomer meets it: a 917 px editor (1280 px window, explorer
// open), the ~590 px editor of a 900×700 window with the explorer open, and a ~350 px side column.
// Nothing may widen the page (code scrolls in its own box); predict-first keeps the step's body
// folded until the learner commits or skips; choices are shuffled per presentation but stay put
// while shown, across a tab switch and a reload; grading follows the choice, not its position.
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { gradeExercise } from '../../src/core/lessons/grade';
import { viewGrade } from '../../src/extension/lessons/courseView';
import { closeBrowser } from './helpers/chromium';
import { loadRealCourse, openLessons, type FakeHost, type RealCourse } from './helpers/lessonsHost';

const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, 'test-results', 'screenshots');
const THEMES = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'lessons-themes.json'), 'utf8')) as Record<string, { bodyClass: string; vars: Record<string, string> }>;
const WIDTHS = [917, 590, 350] as const;

/** How far the page is wider than the view (0 when nothing overflows), and what sticks out. */
async function overflow(page: Page): Promise<{ px: number; culprits: string[] }> {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const px = doc.scrollWidth - doc.clientWidth;
    const culprits: string[] = [];
    if (px > 0) {
      for (const el of Array.from(document.querySelectorAll('body *'))) {
        const r = el.getBoundingClientRect();
        if (r.right > doc.clientWidth + 1 && !el.closest('pre, .fl-markdown table')) culprits.push(`${el.tagName.toLowerCase()}.${(el.getAttribute('class') ?? '').replace(/\s+/g, '.')} right=${Math.round(r.right)}`);
        if (culprits.length >= 5) break;
      }
    }
    return { px, culprits };
  });
}

async function assertNoOverflow(page: Page, where: string): Promise<void> {
  const o = await overflow(page);
  assert.equal(o.px, 0, `${where}: the page is ${o.px} px wider than the view: ${o.culprits.join(', ')}`);
}

/** The choices on screen, as authored indexes in shown order. */
const shownOrder = (page: Page) => page.evaluate(() => Array.from(document.querySelectorAll<HTMLInputElement>('.fl-question input[type="radio"]')).map((i) => Number(i.value)));

let real: RealCourse;

describe('lessons view layout, predict-first and shuffled choices', function () {
  this.timeout(300_000);
  before(async () => { real = await loadRealCourse(); });
  after(closeBrowser);

  for (const width of WIDTHS) {
    it(`${width} px: no horizontal overflow in any step, prediction, quiz question, Lab, Flashcards or Race; code scrolls in its own box`, async () => {
      const h = await openLessons(real, { viewport: { width, height: 700 } });
      const page = h.view.page;
      for (const s of real.course.steps) {
        await page.evaluate((id) => document.querySelector<HTMLElement>(`.fl-step-button[data-step="${id}"]`)?.click(), s.id);
        await assertNoOverflow(page, `step ${s.id}, body folded`);
        await page.click('[data-action="skip-predict"]');
        await assertNoOverflow(page, `step ${s.id}, body open`);
      }
      await page.evaluate((id) => document.querySelector<HTMLElement>(`.fl-step-button[data-step="${id}"]`)?.click(), real.course.steps[0].id);
      await page.click('#fl-tab-predict');
      for (let i = 0; i < real.course.steps.length; i++) {
        await assertNoOverflow(page, `prediction ${i + 1}`);
        const answer = real.course.steps[i].predict.answer;
        await page.locator(`.fl-question input[value="${answer}"]`).check();
        await page.click('.fl-question [data-action="check"]');
        await assertNoOverflow(page, `prediction ${i + 1}, committed`);
        assert.equal(await page.evaluate(() => window.scrollX), 0, 'committing never scrolls sideways');
        if (i < real.course.steps.length - 1) await page.click('[data-action="next"]');
      }
      await page.click('#fl-tab-practice');
      let codeBoxes = 0;
      for (let i = 0; i < real.course.quiz.length; i++) {
        const id = await page.getAttribute('.fl-question', 'data-question');
        const q = real.view.quiz.find((x) => x.id === id);
        assert.ok(q, `question ${id}`);
        await assertNoOverflow(page, `quiz ${id}`);
        const code = await page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('.fl-question .fl-code pre')).map((p) => ({ scroll: p.scrollWidth, client: p.clientWidth, overflowX: getComputedStyle(p).overflowX })));
        for (const c of code) {
          codeBoxes += 1;
          if (c.scroll > c.client) assert.equal(c.overflowX, 'auto', `quiz ${id}: a long line scrolls inside its code box`);
        }
        await page.locator(`.fl-question input[value="${q.answer}"]`).check();
        await page.click('.fl-question [data-action="check"]');
        await assertNoOverflow(page, `quiz ${id}, answered`);
        await page.click('[data-action="next"]');
      }
      assert.ok(codeBoxes > 10, `the bank's code questions were seen (${codeBoxes})`);
      for (const mode of ['test', 'lab', 'flashcards', 'race'] as const) {
        await page.click(`#fl-tab-${mode}`);
        await h.pump();
        if (mode === 'race') {
          await page.waitForSelector('.fl-lane-svg');
          await page.click('[data-action="finish"]');
        }
        await assertNoOverflow(page, mode);
      }
      assert.deepEqual(h.view.errors, []);
      await page.close();
    });
  }

  for (const width of [900, 350]) {
    it(`${width} px: the Lab's grade list lines up (one text column, "Go to line" under its text) and the Lab is one column below 700 px`, async () => {
      const h = await openLessons(real, { viewport: { width, height: 800 } });
      const page = h.view.page;
      await page.click('#fl-tab-lab');
      await h.pump();
      const e = real.course.exercises.find((x) => x.id === 'write-race');
      assert.ok(e && e.kind === 'plan');
      await page.click(`[data-exercise="${e.id}"]`);
      // A writer deleted (a failed keep check) and a line-positioned failure (the write conflict stays).
      const broken = (real.files.get(e.start) ?? '').replace(/  - id: extract_todos[\s\S]*?writes: \[notes\.md\]\n/, '').replace('[summarise_meeting, extract_todos, fetch_calendar]', '[summarise_meeting, fetch_calendar]');
      const g = await gradeExercise(e, broken, { cores: real.course.referenceCores });
      await h.view.send({ type: 'exercise-opened', exercise: e.id, fileLabel: 'write-race.toolplan.yaml' });
      await h.view.send({ type: 'grade', exercise: e.id, result: viewGrade(g) });
      await page.waitForSelector('.fl-checks li');
      const m = await page.evaluate(() => ({
        textLefts: Array.from(document.querySelectorAll('.fl-checks li > span:nth-of-type(2)')).map((x) => Math.round(x.getBoundingClientRect().left)),
        markLefts: Array.from(document.querySelectorAll('.fl-checks li > .fl-mark')).map((x) => Math.round(x.getBoundingClientRect().left)),
        keepRows: Array.from(document.querySelectorAll('.fl-checks li')).filter((li) => /still in the plan/.test(li.textContent ?? '')).length,
        detail: document.querySelector('.fl-lab-grid > :last-child')?.getBoundingClientRect().width ?? 0,
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      }));
      assert.ok(m.textLefts.length >= 3 && new Set(m.textLefts).size === 1, JSON.stringify(m));
      assert.equal(new Set(m.markLefts).size, 1, JSON.stringify(m));
      assert.equal(m.keepRows, 1, 'one row for the tools to keep');
      if (width < 700) assert.ok(m.detail >= width - 60, `one column: the exercise gets the width (${m.detail} px)`);
      assert.ok(m.overflow <= 0, `no horizontal overflow (${m.overflow} px)`);
      assert.deepEqual(h.view.errors, []);
      await page.close();
    });
  }

  it('350 px (one column): the step list folds behind a button and never covers the step', async () => {
    const h = await openLessons(real, { viewport: { width: 350, height: 700 } });
    const page = h.view.page;
    assert.equal(await page.locator('.fl-step-list').isVisible(), false, 'folded at first');
    const toggle = page.locator('[data-action="toggle-steps"]');
    assert.match((await toggle.innerText()).trim(), new RegExp(`^Step 1 of ${real.course.steps.length}: `));
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await page.click(`.fl-step-button[data-step="${real.course.steps[2].id}"]`);
    assert.equal(await page.locator('.fl-step-list').isVisible(), false, 'picking a step folds the list again');
    assert.match((await toggle.innerText()).trim(), /^Step 3 of /);
    await page.click('[data-action="skip-predict"]');
    await page.evaluate(() => window.scrollTo(0, 600));
    const rects = await page.evaluate(() => {
      const nav = document.querySelector('.fl-steps')?.getBoundingClientRect();
      const article = document.querySelector('.fl-article')?.getBoundingClientRect();
      return { navBottom: nav?.bottom ?? 0, articleTop: article?.top ?? 0, position: getComputedStyle(document.querySelector('.fl-steps') as Element).position };
    });
    assert.notEqual(rects.position, 'sticky');
    assert.ok(rects.navBottom <= rects.articleTop + 1, `the list (bottom ${rects.navBottom}) stays above the step (top ${rects.articleTop})`);
    await page.close();
  });

  it('Read mode keeps the step body folded until the learner commits or skips, and remembers a skip', async () => {
    const h = await openLessons(real);
    const page = h.view.page;
    const s = real.course.steps[0];
    const bodyText = () => page.locator('.fl-article .fl-step-body').innerText();
    assert.equal(await page.locator('.fl-step-body .fl-markdown, .fl-step-body .fl-samples').count(), 0, 'no body, no samples before predicting');
    assert.match(await bodyText(), /opens once you commit/);
    // Commit (wrong): the body opens at once, before the host answers.
    const wrong = (s.predict.answer + 1) % s.predict.choices.length;
    await page.locator(`.fl-predict input[value="${wrong}"]`).check();
    await page.click('.fl-predict [data-action="check"]');
    assert.equal(await page.locator('.fl-step-body .fl-markdown').count(), 1);
    assert.equal(await page.locator('.fl-step-body .fl-samples').count(), 1);
    await h.pump();
    assert.equal(await page.locator('.fl-step-body .fl-markdown').count(), 1, 'still open after the host records the prediction');
    // Another step, skipped: open, and still open after a reload of the same view state.
    await page.click(`.fl-step-button[data-step="${real.course.steps[1].id}"]`);
    await h.pump();
    assert.equal(await page.locator('.fl-step-body .fl-markdown').count(), 0);
    await page.click('[data-action="skip-predict"]');
    assert.equal(await page.locator('.fl-step-body .fl-markdown').count(), 1);
    const state = await h.view.state();
    const progress = h.progress;
    await page.close();
    const again = await openLessons(real, { progress, state });
    assert.equal(await again.view.page.locator('.fl-article h2').innerText(), real.course.steps[1].title);
    assert.equal(await again.view.page.locator('.fl-step-body .fl-markdown').count(), 1, 'the skip is remembered');
    await again.view.page.click(`.fl-step-button[data-step="${real.course.steps[2].id}"]`);
    assert.equal(await again.view.page.locator('.fl-step-body .fl-markdown').count(), 0, 'other steps still ask first');
    assert.deepEqual([...h.view.errors, ...again.view.errors], []);
    await again.view.page.close();
  });

  it('choices are shuffled, stay put across a tab switch and a reload, are graded by identity, and a missed question comes back with its answer elsewhere', async () => {
    const h = await openLessons(real);
    const page = h.view.page;
    await page.click('#fl-tab-test');
    await page.click('[data-action="start-test"]');
    const orders: number[][] = [];
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      ids.push((await page.getAttribute('.fl-question', 'data-question')) ?? '');
      orders.push(await shownOrder(page));
      if (i < 9) {
        const q = real.view.quiz.find((x) => x.id === ids[i]);
        assert.ok(q);
        await page.locator(`.fl-question input[value="${q.answer}"]`).check();
        await page.click('.fl-question [data-action="check"]');
        await page.click('[data-action="next"]');
      }
    }
    const authored = orders.filter((o) => o.every((v, i) => v === i)).length;
    assert.ok(authored <= 4, `most questions are not in authored order (${authored} of 10 are)`);
    // Same presentation: a tab switch and back, then a reload with the saved state.
    const last = orders[9];
    await page.click('#fl-tab-read');
    await page.click('#fl-tab-test');
    assert.deepEqual(await shownOrder(page), last, 'same order after a tab switch');
    await h.pump();
    const state = await h.view.state();
    const again = await openLessons(real, { progress: h.progress, state });
    assert.deepEqual(await shownOrder(again.view.page), last, 'same order after a reload');
    // Graded by identity: the wrong choice shown FIRST is wrong, wherever the answer sits.
    const q = real.view.quiz.find((x) => x.id === ids[9]);
    assert.ok(q);
    const firstShown = last[0] === q.answer ? last[1] : last[0];
    await again.view.page.locator(`.fl-question input[value="${firstShown}"]`).check();
    await again.view.page.click('.fl-question [data-action="check"]');
    assert.match(await again.view.page.locator('.fl-feedback').innerText(), /Not quite/);
    await again.pump();
    assert.deepEqual(again.progress.quiz[q.id].map((a) => ({ choice: a.choice, correct: a.correct })), [{ choice: firstShown, correct: false }]);
    // Practice brings it back first, with the right answer in another position.
    await again.view.page.click('#fl-tab-practice');
    assert.equal(await again.view.page.getAttribute('.fl-question', 'data-question'), q.id);
    const practice = await shownOrder(again.view.page);
    assert.notEqual(practice.indexOf(q.answer), last.indexOf(q.answer), `the answer moved (test ${JSON.stringify(last)}, practice ${JSON.stringify(practice)})`);
    await again.view.page.locator(`.fl-question input[value="${q.answer}"]`).check();
    await again.view.page.click('.fl-question [data-action="check"]');
    assert.match(await again.view.page.locator('.fl-feedback').innerText(), /Correct/);
    assert.deepEqual([...h.view.errors, ...again.view.errors], []);
    await page.close();
    await again.view.page.close();
  });

  it('screenshots: light and dark at 900 px, the side column at 350 px', async () => {
    mkdirSync(SHOTS, { recursive: true });
    for (const [theme, width] of [['Light Modern', 917], ['Dark Modern', 917], ['Light Modern', 350], ['Dark Modern', 350]] as const) {
      const t = THEMES[theme];
      const h = await openLessons(real, { viewport: { width, height: 700 }, themeVars: t.vars, themeVarsOnly: true, themeClass: t.bodyClass });
      const page = h.view.page;
      const tag = `${theme.startsWith('Light') ? 'light' : 'dark'}-${width}`;
      await page.screenshot({ path: join(SHOTS, `lessons-read-${tag}.png`) });
      // A quiz question with code, answered wrong.
      await page.click('#fl-tab-practice');
      for (let i = 0; i < real.course.quiz.length && (await page.locator('.fl-question .fl-code').count()) === 0; i++) {
        const id = await page.getAttribute('.fl-question', 'data-question');
        const q = real.view.quiz.find((x) => x.id === id);
        await page.locator(`.fl-question input[value="${q?.answer ?? 0}"]`).check();
        await page.click('.fl-question [data-action="check"]');
        await page.click('[data-action="next"]');
      }
      await page.screenshot({ path: join(SHOTS, `lessons-quiz-${tag}.png`), fullPage: true });
      await page.close();
    }
  });
});

export type { FakeHost };

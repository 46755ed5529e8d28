// The Lab with a code exercise: "Run tests" (not "Check my solution") with the note that it runs
// the learner's code on this machine, hints one at a time, per-test results from the REAL grader
// (the learner's file run by node against the hidden tests, as src/extension/lessons/check.ts
// does), what the code printed, the reason when the tests cannot run (no Python), and screenshots
// light/dark at 900 and 300 px.
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gradeCodeExercise, type CodeExercise } from '../../src/core/lessons';
import { viewGrade } from '../../src/extension/lessons/courseView';
import type { HostToView } from '../../src/protocol/lessons';
import { closeBrowser } from './helpers/chromium';
import { loadRealCourse, openLessons, type RealCourse } from './helpers/lessonsHost';

const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, 'test-results', 'screenshots');
const THEMES = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'lessons-themes.json'), 'utf8')) as Record<string, { bodyClass: string; vars: Record<string, string> }>;

function codeExercise(real: RealCourse, id: string): CodeExercise {
  const e = real.course.exercises.find((x) => x.id === id);
  assert.ok(e && e.kind === 'code', `${id} is a code exercise`);
  return e;
}

/** The host's answer to Run tests: the real grader on `code` (the learner's copy). */
async function answer(real: RealCourse, e: CodeExercise, code: string, options: { python?: string } = {}): Promise<HostToView> {
  const g = await gradeCodeExercise(e, code, real.files.get(e.tests) ?? '', { tsxSearch: [ROOT], ...options });
  return g.kind === 'graded' ? { type: 'grade', exercise: e.id, result: viewGrade(g.result) } : { type: 'check-failed', exercise: e.id, message: g.message };
}

describe('lessons view Lab: code exercises', function () {
  this.timeout(180_000);
  after(closeBrowser);

  it('Run tests shows one row per hidden test from the real run, hints one at a time, and what the code printed', async () => {
    const real = await loadRealCourse();
    const e = codeExercise(real, 'tool-result-messages');
    // The learner's copy: first the untouched start, then the solution with a console.log.
    const copies = [real.files.get(e.start) ?? '', `console.log('building answers for', 4, 'calls');\n${real.files.get(e.solution) ?? ''}`];
    let checks = 0;
    const h = await openLessons(real, {
      onPost: async (m, host) => {
        if (m.type === 'check-exercise' && m.exercise === e.id) await host.view.send(await answer(real, e, copies[checks++]));
      },
    });
    const page = h.view.page;
    await page.click('#fl-tab-lab');
    await page.click(`.fl-lab [data-exercise="${e.id}"]`);
    assert.equal(await page.locator('.fl-exercise h3').innerText(), e.title);
    assert.equal(await page.locator(`.fl-lab [data-exercise="${e.id}"]`).getAttribute('data-kind'), 'code');
    const run = page.locator('.fl-lab [data-action="check"]');
    assert.equal(await run.innerText(), 'Run tests');
    assert.match(await page.locator('[data-run-note]').innerText(), /runs your JavaScript file with node on this machine.*only in a trusted workspace and only when you press Run tests/s);

    // Hints: one at a time.
    assert.equal(await page.locator('.fl-hints li').count(), 0);
    await page.click('.fl-lab [data-action="hint"]');
    await h.pump();
    assert.equal(await page.locator('.fl-hints li').count(), 1);
    assert.match(await page.locator('.fl-hints li').first().innerText(), /Walk the/);
    assert.equal(await page.locator('.fl-lab [data-action="hint"]').innerText(), 'Show hint 2 of 3');
    assert.equal(h.progress.exercises[e.id]?.hintsRevealed, 1);

    // Run tests on the start: every hidden test reports, most fail.
    await run.click();
    assert.equal(await run.innerText(), 'Running tests…');
    assert.equal(await run.isDisabled(), true);
    await h.pump();
    await page.waitForSelector('.fl-grade-result');
    const head = await page.locator('.fl-grade h4').innerText();
    assert.match(head, /^✗ Not yet: [1-7] of 7 tests fail\.$/);
    assert.equal(await page.locator('.fl-checks li').count(), 7);
    assert.match(await page.locator('.fl-checks li.fl-check-fail').first().innerText(), /Chat Completions: one tool message per call.*every call answered once/s);
    assert.match(await page.locator('[data-runtime]').innerText(), /^Ran with node \d+\.\d+\.\d+ in \d+(\.\d+)? (ms|s)\.$/);
    assert.equal(await run.innerText(), 'Run tests');

    // Run tests again on a correct solution that prints.
    await run.click();
    await h.pump();
    await page.waitForSelector('.fl-grade-result.fl-good');
    assert.equal(await page.locator('.fl-grade h4').innerText(), '✓ Passed — every test is green.');
    assert.equal(await page.locator('.fl-checks li.fl-check-pass').count(), 7);
    await page.click('.fl-output summary');
    assert.match(await page.locator('.fl-output-text').innerText(), /building answers for 4 calls/);
    assert.deepEqual(h.view.errors, []);
    await page.close();
  });

  it('when the tests cannot run (no Python on PATH) the Lab says what to install', async () => {
    const real = await loadRealCourse();
    const e = codeExercise(real, 'bounded-taskgroup');
    const h = await openLessons(real, {
      onPost: async (m, host) => {
        if (m.type === 'check-exercise' && m.exercise === e.id) await host.view.send(await answer(real, e, real.files.get(e.start) ?? '', { python: '/nonexistent/python3' }));
      },
    });
    const page = h.view.page;
    await page.click('#fl-tab-lab');
    await page.click(`.fl-lab [data-exercise="${e.id}"]`);
    assert.match(await page.locator('[data-run-note]').innerText(), /runs your Python file with python3/);
    await page.click('.fl-lab [data-action="check"]');
    await h.pump();
    await page.waitForSelector('[data-check-failed]');
    assert.match(await page.locator('[data-check-failed]').innerText(), /^Python 3\.11 or later is needed.*Install Python \(https:\/\/www\.python\.org\/downloads\/\).*press Run tests again\.$/s);
    assert.equal(await page.locator('.fl-lab [data-action="check"]').innerText(), 'Run tests');
    assert.deepEqual(h.view.errors, []);
    await page.close();
  });

  it('screenshots: a failing run of the TypeScript exercise, light and dark, at 900 and 300 px', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const real = await loadRealCourse();
    const e = codeExercise(real, 'bounded-settle');
    // One real run, shown in every shot.
    const graded = await answer(real, e, real.files.get(e.wrong[0]) ?? '');
    assert.equal(graded.type, 'grade', graded.type === 'check-failed' ? graded.message : '');
    for (const [theme, width] of [['Light Modern', 900], ['Dark Modern', 900], ['Light Modern', 300], ['Dark Modern', 300]] as const) {
      const t = THEMES[theme];
      const h = await openLessons(real, { viewport: { width, height: 900 }, themeVars: t.vars, themeVarsOnly: true, themeClass: t.bodyClass, onPost: async (m, host) => {
        if (m.type === 'check-exercise') await host.view.send(graded);
      } });
      const page = h.view.page;
      await page.click('#fl-tab-lab');
      await page.click(`.fl-lab [data-exercise="${e.id}"]`);
      await page.click('.fl-lab [data-action="hint"]');
      await page.click('.fl-lab [data-action="check"]');
      await h.pump();
      await page.waitForSelector('.fl-grade-result');
      const px = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(px, 0, `${theme} ${width}: nothing widens the page`);
      await page.locator('.fl-exercise h3').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, `lessons-lab-code-${theme.startsWith('Light') ? 'light' : 'dark'}-${width}.png`), fullPage: true });
      assert.deepEqual(h.view.errors, []);
      await page.close();
    }
  });
});

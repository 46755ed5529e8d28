// Contrast of the lessons view's coloured text under the colours VS Code itself gives a webview:
// test/browser/fixtures/lessons-themes.json holds the --vscode-* variables read from code-server
// 1.100.3's webviews in Light Modern, Dark Modern, Dark High Contrast and Light High Contrast (the
// workbench scenario in test/vscode/scenarios/lessons.ts measures the same text in the real host and
// writes a fresh capture to test-results/lessons/theme-vars.json). Each text is measured as rendered:
// computed colour over the composited backgrounds behind it, WCAG relative luminance, ≥ 4.5:1.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gradeExercise } from '../../src/core/lessons/grade';
import { reduceProgress, emptyProgress } from '../../src/core/lessons/progress';
import { viewGrade } from '../../src/extension/lessons/courseView';
import type { HostToView } from '../../src/protocol/lessons';
import { closeBrowser } from './helpers/chromium';
import { describeReadings, measureContrast, type ContrastReading, type ContrastTarget } from './helpers/contrast';
import { QUIZ_TARGETS, RACE_FLAGGED_KEY, RACE_FLAGGED_TARGETS, RACE_TARGETS } from './helpers/lessonsContrastTargets';
import { loadRealCourse, openLessons, type FakeHost } from './helpers/lessonsHost';

interface CapturedTheme {
  readonly bodyClass: string;
  readonly vars: Readonly<Record<string, string>>;
}
const THEMES = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'lessons-themes.json'), 'utf8')) as Record<string, CapturedTheme>;
const MIN = 4.5;

function failing(theme: string, readings: readonly ContrastReading[]): string[] {
  return readings.filter((r) => !r.found || r.ratio < MIN).map((r) => `${theme}: ${describeReadings([r])}`);
}

async function measureAll(h: FakeHost, targets: readonly ContrastTarget[]): Promise<ContrastReading[]> {
  return measureContrast(h.view.page, targets);
}

describe('lessons view contrast in real VS Code theme colours', function () {
  this.timeout(120_000);
  after(closeBrowser);

  it('the fixture holds the four themes a newcomer may use', () => {
    assert.deepEqual(Object.keys(THEMES).sort(), ['Dark High Contrast', 'Dark Modern', 'Light High Contrast', 'Light Modern']);
    for (const t of Object.values(THEMES)) assert.ok(t.vars['--vscode-foreground'] && t.vars['--vscode-editor-background']);
  });

  for (const [theme, captured] of Object.entries(THEMES)) {
    it(`${theme}: verdicts, difficulty badges, step and exercise marks, grades, the race's finish text and its warnings reach ${MIN}:1`, async () => {
      const real = await loadRealCourse();
      const e = real.course.exercises[0];
      assert.ok(e.kind === 'plan', 'the first exercise is a plan exercise');
      let progress = emptyProgress();
      progress = reduceProgress(progress, { type: 'complete-step', step: real.course.steps[0].id });
      progress = reduceProgress(progress, { type: 'visit-step', step: real.course.steps[1].id });
      const h = await openLessons(real, { progress, themeVars: captured.vars, themeVarsOnly: true, themeClass: captured.bodyClass, viewport: { width: 1000, height: 800 } });
      const page = h.view.page;
      const problems: string[] = [];
      problems.push(...failing(theme, await measureAll(h, [
        { name: 'a completed step\'s ✓', selector: '.fl-step-button[data-mark="done"] .fl-mark' },
        { name: 'a visited step\'s ●', selector: '.fl-step-button[data-mark="visited"] .fl-mark' },
        { name: 'a new step\'s ○', selector: '.fl-step-button[data-mark="new"] .fl-mark' },
        { name: 'the kicker', selector: '.fl-kicker' },
        { name: 'the summary', selector: '.fl-summary' },
      ])));

      // Test mode: a wrong answer, then the right one; badges of every difficulty on the way.
      await page.click('#fl-tab-test');
      await page.click('[data-action="start-test"]');
      const badges = new Set<string>();
      for (let i = 0; i < 10; i++) {
        const id = await page.getAttribute('.fl-question', 'data-question');
        const q = real.view.quiz.find((x) => x.id === id);
        assert.ok(q);
        if (!badges.has(q.difficulty)) {
          badges.add(q.difficulty);
          problems.push(...failing(theme, await measureAll(h, [{ name: `the ${q.difficulty} badge`, selector: `.fl-badge-${q.difficulty}` }])));
        }
        if (i === 0) {
          await page.locator(`.fl-question input[value="${(q.answer + 1) % q.choicesHtml.length}"]`).check();
          await page.click('.fl-question [data-action="check"]');
          problems.push(...failing(theme, await measureAll(h, [
            { name: '"✗ Not quite."', selector: '.fl-feedback.fl-bad .fl-verdict' },
            { name: 'the common mistake', selector: '.fl-mistake' },
          ])));
        }
        await page.locator(`.fl-question input[value="${q.answer}"]`).check();
        await page.click('.fl-question [data-action="check"]');
        if (i === 0) problems.push(...failing(theme, await measureAll(h, QUIZ_TARGETS)));
        await page.click('[data-action="next"]');
      }
      assert.deepEqual([...badges].sort(), ['easy', 'hard', 'medium']);
      await h.pump();
      problems.push(...failing(theme, await measureAll(h, [{ name: 'the score', selector: '.fl-result-title' }, { name: 'a score row', selector: '.fl-score-table td' }])));

      // Lab: a failing grade from the real grader.
      await page.click('#fl-tab-lab');
      const result = await gradeExercise(e, real.files.get(e.start) ?? '', { cores: 4 });
      await h.view.send({ type: 'grade', exercise: e.id, result: viewGrade(result) } satisfies HostToView);
      // The message is handled on the page's own turn: measure once the grade is drawn, not before.
      await page.waitForSelector('.fl-grade h4');
      problems.push(...failing(theme, await measureAll(h, [
        { name: 'the grade heading', selector: '.fl-grade h4' },
        { name: 'a failed check\'s ✗', selector: '.fl-check-fail .fl-mark' },
        ...(result.checks.some((c) => c.passed) ? [{ name: 'a passed check\'s ✓', selector: '.fl-check-pass .fl-mark' }] : []),
      ])));

      // Race: both lanes finished.
      await page.click('#fl-tab-race');
      await h.pump();
      await page.waitForSelector('.fl-lane-svg');
      await page.click('[data-action="finish"]');
      problems.push(...failing(theme, await measureAll(h, RACE_TARGETS)));
      // A race whose first lane is flagged: its warning text.
      await page.selectOption('#fl-race-sample', RACE_FLAGGED_KEY);
      await h.pump();
      await page.waitForSelector('.fl-lane-flagged');
      await page.click('[data-action="finish"]');
      problems.push(...failing(theme, await measureAll(h, RACE_FLAGGED_TARGETS)));
      assert.deepEqual(problems, [], problems.join('\n'));
      assert.deepEqual(h.view.errors, []);
      await page.close();
    });
  }
});

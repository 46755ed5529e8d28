// The course as a learner meets it: a quiz question answered wrong then right, with the feedback
// for each; and a completed step that is still completed after the window reloads.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { FrameLocator } from 'playwright-core';
import { runCommand, screenshot, waitForWorkbench, webview, type Scenario } from '../workbench';

interface BankQuestion {
  readonly id: string;
  readonly prompt: string;
  readonly choices: readonly string[];
  readonly answer: number;
  readonly commonMistakes?: Readonly<Record<string, string>>;
}

/**
 * A comparison key for text that is Markdown in lessons/quiz.yaml and rendered HTML on screen:
 * letters and digits only, so emphasis, code marks, entities and spacing cannot break a match.
 */
function plain(s: string): string {
  return s.normalize('NFKC').replace(/[^\p{L}\p{N}]+/gu, '').toLowerCase();
}

/** The bank entry on screen: the prompt matches and every choice is one of the shown choices. */
async function questionOnScreen(view: FrameLocator, bank: readonly BankQuestion[]): Promise<{ q: BankQuestion; shown: string[] }> {
  const section = view.locator('.fl-question').first();
  await section.waitFor({ timeout: 30_000 });
  const text = plain((await section.locator('legend').first().textContent()) ?? '');
  const shown = (await section.locator('.fl-choice').allTextContents()).map(plain);
  const q = bank.find((b) => text.includes(plain(b.prompt)) && b.choices.length === shown.length && b.choices.every((c) => shown.includes(plain(c))));
  assert.ok(q, `the question on screen is in lessons/quiz.yaml: "${text}" / ${JSON.stringify(shown)}`);
  return { q, shown };
}

async function choose(view: FrameLocator, shown: readonly string[], text: string): Promise<void> {
  const i = shown.indexOf(plain(text));
  assert.ok(i >= 0, `choice "${text}" is shown`);
  await view.locator('.fl-question .fl-choice').nth(i).click();
  await view.locator('.fl-question [data-action="check"]').first().click();
}

export const scenarios: Scenario[] = [{
  name: 'start a quiz from the palette, answer a question wrong then right, and see the feedback',
  timeoutMs: 120_000,
  async run(ctx) {
    const { page } = ctx;
    const bank = parse(readFileSync(join(ctx.root, 'lessons', 'quiz.yaml'), 'utf8')) as BankQuestion[];
    await waitForWorkbench(page);
    await runCommand(page, 'View: Close Primary Side Bar'); // room for the lesson (and the screenshots)
    await runCommand(page, 'Fanout: Start Quiz');
    const view = webview(page);
    await view.locator('[data-action="start-test"]').click({ timeout: 30_000 });

    const { q, shown } = await questionOnScreen(view, bank);
    const wrong = q.choices.findIndex((_, i) => i !== q.answer);
    await choose(view, shown, q.choices[wrong]);
    const verdict = view.locator('.fl-question .fl-verdict').first();
    await verdict.waitFor();
    assert.match((await verdict.textContent()) ?? '', /✗ Not quite/);
    const mistake = q.commonMistakes?.[String(wrong)];
    if (mistake) {
      const why = plain((await view.locator('.fl-question .fl-mistake').first().textContent()) ?? '');
      assert.ok(why.includes(plain(mistake)), `the common mistake for choice ${wrong} is explained: ${why}`);
    }
    await screenshot(ctx, 'lessons-quiz-wrong', 'lessons-quiz-wrong');

    await choose(view, shown, q.choices[q.answer]);
    await view.locator('.fl-question .fl-verdict', { hasText: '✓ Correct' }).first().waitFor({ timeout: 10_000 });
    assert.notEqual(plain((await view.locator('.fl-question .fl-explanation').first().textContent()) ?? ''), '', 'the explanation is shown');
    await screenshot(ctx, 'lessons-quiz', 'lessons-quiz');
  },
}, {
  name: 'a completed lesson step is still completed after the window reloads',
  timeoutMs: 150_000,
  async run(ctx) {
    const { page } = ctx;
    await waitForWorkbench(page);
    await runCommand(page, 'View: Close Primary Side Bar');
    await runCommand(page, 'Fanout: Open Lessons');
    const view = webview(page);
    const current = view.locator('.fl-step-button[aria-current="step"]');
    await current.waitFor({ timeout: 30_000 });
    const step = await current.getAttribute('data-step');
    assert.ok(step, 'the current step has an id');
    assert.notEqual(await current.getAttribute('data-mark'), 'done', 'a fresh profile starts with the step not done');
    await view.locator('[data-action="complete"]').first().click();
    const mark = view.locator(`.fl-step-button[data-step="${step}"]`);
    await view.locator(`.fl-step-button[data-step="${step}"][data-mark="done"]`).waitFor({ timeout: 10_000 });
    await screenshot(ctx, 'lessons-read', 'lessons-read');

    // Close the panel (no webview state to restore) and reload the window: a new extension host
    // and a new webview, so only the stored progress can carry the mark over.
    await runCommand(page, 'View: Close All Editors');
    await mark.waitFor({ state: 'detached', timeout: 10_000 });
    await page.waitForTimeout(1000); // globalState writes are asynchronous
    await page.reload();
    await waitForWorkbench(page);
    await runCommand(page, 'Fanout: Open Lessons');
    await mark.waitFor({ timeout: 30_000 });
    await view.locator(`.fl-step-button[data-step="${step}"][data-mark="done"]`).waitFor({ timeout: 15_000 });
  },
}];

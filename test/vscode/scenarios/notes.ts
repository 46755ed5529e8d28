// A Markdown note as a newcomer meets Fanout in it (issue 11, point 8): Run with nothing selected
// says what it needs and leaves the note untouched (no squiggles, no Problems, no explorer badge);
// Analyze offers the note's fenced plan, and picking it opens the plan view for that block.
import * as assert from 'node:assert/strict';
import { clearNotifications, pickQuickItem, runCommand, screenshot, waitForWorkbench, webview, type Scenario } from '../workbench';

export const scenarios: Scenario[] = [{
  name: 'a Markdown note: Run leaves it untouched and says what it needs; Analyze offers its fenced plan and opens the plan view',
  timeoutMs: 150_000,
  async run(ctx) {
    const { page } = ctx;
    await waitForWorkbench(page);
    await page.keyboard.press('Control+P');
    await pickQuickItem(page, 'notes.md');
    await page.locator('.tabs-container .tab', { hasText: 'notes.md' }).first().waitFor({ timeout: 15_000 });
    await page.locator('.monaco-editor .view-lines', { hasText: 'Trip notes' }).first().waitFor({ timeout: 15_000 });
    // Nothing selected: put the cursor at the top.
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Home');

    await runCommand(page, 'Fanout: Run Tool Plan');
    const toast = page.locator('.notification-toast', { hasText: 'notes.md is not a tool plan' }).first();
    // A Markdown note with a fenced plan offers the block instead: the quick pick lists it.
    const pick = page.locator('.quick-input-widget', { hasText: 'which block of notes.md' });
    await pick.waitFor({ timeout: 20_000 });
    const rows = page.locator('.quick-input-list .monaco-list-row');
    assert.equal(await rows.count(), 1, 'only the YAML plan is offered, not the bash block');
    assert.match((await rows.first().textContent()) ?? '', /Trip lookups.*lines 10–23 · 3 tools · Fanout plan/);
    await screenshot(ctx, 'notes-block-pick');
    await page.keyboard.press('Escape');
    await pick.waitFor({ state: 'hidden', timeout: 10_000 });
    await page.waitForTimeout(1000);
    assert.equal(await toast.count(), 0, 'dismissing the pick runs nothing and needs no message');
    // The note is untouched: no squiggles, no problems in the status bar, no badge in the explorer.
    assert.equal(await page.locator('.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning').count(), 0, 'no squiggles');
    const problems = (await page.locator('#status\\.problems').getAttribute('aria-label')) ?? (await page.locator('#status\\.problems').textContent()) ?? '';
    assert.match(problems, /No Problems|^\D*0\D+0\D*$/, `status bar problems: ${problems}`);
    assert.equal(await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'notes.md' }).locator('.monaco-decoration-itemColor, [class*="monaco-decoration-"]').count(), 0, 'no explorer badge');

    // A note with no fenced plan: the command says what it needs.
    await page.keyboard.press('Control+P');
    await pickQuickItem(page, 'plain-note.md');
    await page.locator('.tabs-container .tab', { hasText: 'plain-note.md' }).first().waitFor({ timeout: 15_000 });
    await runCommand(page, 'Fanout: Run Tool Plan');
    const needs = page.locator('.notification-toast', { hasText: 'select a plan or a tool-call payload, or open a *.toolplan.* file' }).first();
    await needs.waitFor({ timeout: 20_000 });
    await page.waitForTimeout(600); // the toast slides in
    await screenshot(ctx, 'notes-run-message');
    assert.equal(await page.locator('.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning').count(), 0, 'no squiggles on the plain note');
    await clearNotifications(page);

    // Analyze on the note with the plan: pick the block, the plan view opens for it.
    await page.locator('.tabs-container .tab', { hasText: /^notes\.md/ }).first().click();
    await runCommand(page, 'Fanout: Analyze Tool Plan');
    await pick.waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab', { hasText: /Trip lookups|notes\.md lines/ }).first().waitFor({ timeout: 20_000 });
    await webview(page).locator('body', { hasText: 'flights' }).first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1000);
    await screenshot(ctx, 'notes-block-plan-view');
  },
}];

// The plans feature as a user meets it: the CodeLens above a plan, the end-of-run notification,
// and re-opening a past run from "Show Run History" in the plan view.
import * as assert from 'node:assert/strict';
import { clearNotifications, pickQuickItem, runCommand, screenshot, waitForWorkbench, webview, type Scenario } from '../workbench';

export const scenarios: Scenario[] = [{
  name: 'CodeLens Simulate above a plan, then re-open that run from the run history',
  timeoutMs: 120_000,
  async run(ctx) {
    const { page } = ctx;
    await waitForWorkbench(page);
    // Quick Open, as a user opens a file.
    await page.keyboard.press('Control+P');
    await pickQuickItem(page, 'basic.toolplan.yaml');
    await page.locator('.tabs-container .tab', { hasText: 'basic.toolplan.yaml' }).first().waitFor({ timeout: 15_000 });

    // The lenses sit on the `tools:` line: Run, Simulate, Graph and the summary.
    const lens = page.locator('.codelens-decoration');
    await lens.locator('a', { hasText: 'Simulate' }).first().waitFor({ timeout: 20_000 });
    const text = (await lens.first().textContent()) ?? '';
    assert.match(text, /Run/);
    assert.match(text, /Graph/);
    assert.match(text, /4 tools · critical path/);
    await screenshot(ctx, 'plans-codelens');
    await lens.locator('a', { hasText: 'Simulate' }).first().click();

    await page.locator('.notification-toast', { hasText: 'Simulation of "Basic fan-out" succeeded' }).first().waitFor({ timeout: 30_000 });
    await clearNotifications(page);

    await runCommand(page, 'Fanout: Show Run History');
    await pickQuickItem(page, 'Basic fan-out');
    const rows = webview(page).locator('.fo-row[data-status="succeeded"]');
    await rows.nth(3).waitFor({ timeout: 30_000 });
    assert.equal(await rows.count(), 4, 'the past run shows all four tools succeeded');
    await screenshot(ctx, 'plans-history-run');
  },
}];

// A run recorded by the library, opened in the editor: Quick Open the *.fanoutrun.json, press the
// editor-title button (Fanout: Open Run Record), and read the plan view's timeline: one row per
// call, named after its function, three succeeded and the failed booking.
import * as assert from 'node:assert/strict';
import { pickQuickItem, runCommand, screenshot, waitForWorkbench, webview, type Scenario } from '../workbench';

export const scenarios: Scenario[] = [{
  name: 'Open Run Record shows a runToolCalls record as the plan view timeline',
  timeoutMs: 120_000,
  async run(ctx) {
    const { page } = ctx;
    await waitForWorkbench(page);
    await page.keyboard.press('Control+P');
    await pickQuickItem(page, 'trip-turn.fanoutrun.json');
    await page.locator('.tabs-container .tab', { hasText: 'trip-turn.fanoutrun.json' }).first().waitFor({ timeout: 15_000 });
    // Into the record's editor, as a user does before reaching for the palette.
    await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
    await runCommand(page, 'Fanout: Open Run Record');
    const view = webview(page);
    const rows = view.locator('.fo-row');
    await view.locator('.fo-row[data-status="failed"]').first().waitFor({ timeout: 30_000 });
    assert.equal(await rows.count(), 4, 'one timeline row per recorded call');
    assert.equal(await view.locator('.fo-row[data-status="succeeded"]').count(), 3);
    const labels = (await view.locator('.fo-row .fo-row-label').allTextContents()).map((s) => s.trim());
    assert.deepEqual([...labels].sort(), ['book_hotel', 'get_weather', 'get_weather_2', 'search_flights']);
    await screenshot(ctx, 'run-record-timeline');
  },
}];

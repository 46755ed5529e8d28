// A user's first run: open a sample plan from the command palette, run it, and watch the plan view
// (graph + timeline) show every tool finished.
import * as assert from 'node:assert/strict';
import { clearNotifications, pickQuickItem, runCommand, screenshot, waitForWorkbench, webview, type Scenario } from '../workbench';

const SAMPLE = 'parallel-trip.toolplan.json';
const TOOLS = ['weather', 'flights', 'hotels', 'events', 'summary'];

export const scenarios: Scenario[] = [{
  name: 'open a sample from the palette, run it, see every tool finished in the plan view',
  timeoutMs: 120_000,
  async run(ctx) {
    const { page } = ctx;
    await waitForWorkbench(page);
    await runCommand(page, 'Fanout: Open Sample Plan…');
    await pickQuickItem(page, SAMPLE);
    await page.locator('.tabs-container .tab', { hasText: SAMPLE }).first().waitFor({ timeout: 15_000 });

    await runCommand(page, 'Fanout: Run Tool Plan');
    const view = webview(page);
    // The timeline: one row per tool, each ending succeeded.
    const done = view.locator('.fo-row[data-status="succeeded"]');
    await done.nth(TOOLS.length - 1).waitFor({ timeout: 30_000 });
    assert.equal(await view.locator('.fo-row').count(), TOOLS.length, 'one timeline row per tool');
    assert.equal(await done.count(), TOOLS.length, 'every row succeeded');
    // The graph: Mermaid rendered an SVG with one node per tool, coloured by final status.
    const nodes = view.locator('svg g.node[data-tool]');
    await nodes.nth(TOOLS.length - 1).waitFor({ timeout: 15_000 });
    assert.equal(await nodes.count(), TOOLS.length, 'one graph node per tool');
    assert.equal(await view.locator('svg g.node.fo-st-succeeded').count(), TOOLS.length, 'every node shows succeeded');
    const labels = (await view.locator('.fo-row .fo-row-label').allTextContents()).map((s) => s.trim());
    assert.deepEqual([...labels].sort(), [...TOOLS].sort());

    // Screenshots for the README: the plan beside its view, then the view alone on the graph.
    await clearNotifications(page);
    await runCommand(page, 'View: Close Primary Side Bar');
    // The run scrolled the timeline up under the header: the README shows the view from its top.
    await view.locator('html').evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(300);
    await screenshot(ctx, 'plan-view', 'plan-view');
    await page.locator('.tabs-container .tab', { hasText: 'Fanout:' }).first().click();
    await runCommand(page, 'View: Toggle Maximize Editor Group');
    await view.locator('svg').first().scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await screenshot(ctx, 'plan-view-graph', 'plan-view-graph');
    await view.locator('.fo-row').first().scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await screenshot(ctx, 'plan-view-timeline', 'plan-view-timeline');
  },
}, {
  name: 'the course\'s streamed sample: run it, and the plan view shows the model lane and the Stream summary line',
  timeoutMs: 120_000,
  async run(ctx) {
    const { page } = ctx;
    const file = 'streamed-batch.toolplan.json';
    await waitForWorkbench(page);
    await runCommand(page, 'Fanout: Open Sample Plan…');
    await pickQuickItem(page, file);
    await page.locator('.tabs-container .tab', { hasText: file }).first().waitFor({ timeout: 15_000 });
    await runCommand(page, 'Fanout: Run Tool Plan');
    const view = webview(page);
    const done = view.locator('.fo-row[data-status="succeeded"]');
    await done.nth(2).waitFor({ timeout: 30_000 });
    // The model lane: shown, three close marks (one per call), the generation's length.
    const lane = view.locator('.fo-model-lane');
    await lane.waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await lane.locator('.fo-close-mark').count(), 3, 'one mark per call close');
    assert.equal((await lane.locator('.fo-row-time').textContent())?.trim(), '1.8 s');
    // The run's Stream line states both policies (dispatch-on-close is the default setting).
    const stream = view.locator('[data-stat="stream"]');
    await stream.waitFor({ timeout: 15_000 });
    assert.match((await stream.textContent()) ?? '', /^ended at 1\.8 s · dispatch-on-close [\d.]+ s · wait-for-end would take [\d.]+ s \([\d.]+× longer\)$/);
    // Before any run the plan's prediction was the simulated stream too.
    assert.match((await view.locator('[data-stat="plan-stream"]').textContent()) ?? '', /^ends at 1\.8 s · dispatch-on-close 2\.6 s · wait-for-end would take 3\.3 s/);
    await screenshot(ctx, 'plan-view-streamed-batch');
  },
}, {
  name: 'the plan view graph of unbounded-40 is readable in the workbench: two group nodes, expanded calls at least 18 px tall, zoom by keyboard',
  timeoutMs: 120_000,
  async run(ctx) {
    const { page } = ctx;
    await waitForWorkbench(page);
    await runCommand(page, 'Fanout: Open Sample Plan…');
    await pickQuickItem(page, 'unbounded-40.toolplan.json');
    await page.locator('.tabs-container .tab', { hasText: 'unbounded-40.toolplan.json' }).first().waitFor({ timeout: 15_000 });
    await runCommand(page, 'Fanout: Show Plan Graph');
    const view = webview(page);
    const groups = view.locator('svg g.node[data-group]');
    await groups.nth(1).waitFor({ timeout: 30_000 });
    assert.deepEqual((await view.locator('svg g.node .fo-node-title').allTextContents()).sort(), ['fetch × 20', 'search × 20']);
    const heights = async (): Promise<number[]> => Promise.all((await view.locator('svg g.node .fo-node-shape').all()).map(async (n) => (await n.boundingBox())?.height ?? 0));
    for (const h of await heights()) assert.ok(h >= 18, `group node ${h} px tall`);
    await view.locator('.fo-graph-groups button', { hasText: 'Expand search × 20' }).click();
    await view.locator('svg g.node[data-id="search20"]').waitFor({ timeout: 10_000 });
    const expanded = await heights();
    assert.equal(expanded.length, 21);
    assert.ok(Math.min(...expanded) >= 18, `smallest expanded node ${Math.min(...expanded)} px tall`);
    const zoom = view.locator('.fo-zoom-level');
    const before = parseInt((await zoom.textContent()) ?? '0', 10);
    await view.locator('.fo-graph-canvas').focus();
    await view.locator('.fo-graph-canvas').press('+');
    assert.ok(parseInt((await zoom.textContent()) ?? '0', 10) > before, 'the + key zooms in');
    await view.locator('.fo-graph-canvas').press('0');
    await screenshot(ctx, 'plan-view-graph-unbounded-40');
  },
}];

// Issue 11 point 1 in the real workbench: a user's first run of a plan (the issue measured the
// first content 2.33 s after Run, once a 2.14 s run had ended). The plan view opens on Run and must
// show a timeline row while the run is still going; the time from Run's Enter to that row is logged
// for the closing figures, with the load average (a bound in milliseconds would only measure the
// machine's other jobs; the run's own length is the bound). The run lasts 6 s: at load average 20
// on 2 cores the first row of a cold workbench took 4.6 s (0.8 s at load 17), so a 2 s run there
// ended before any view could paint; a 400 ms run fails the scenario at any load seen.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { closeAll, pickQuickItem, runCommand, screenshot, waitForWorkbench, webview, type Scenario } from '../workbench';

const FILE = 'first-run.toolplan.json';
// In the fixtures, so Quick Open has it from the start (a file written here was once not listed
// within 15 s in CI).
const NOTE = 'preview-baseline.md';
// The walkthrough's "Open and run a sample plan" (package.json).
const SAMPLE = 'parallel-trip.toolplan.json';
const RUN_MS = 6000;
const TOOLS = ['weather', 'flights', 'hotels', 'events'];
const PLAN = JSON.stringify({
  name: 'First run',
  tools: TOOLS.map((id, i) => ({ id, kind: 'simulate', args: { durationMs: RUN_MS - i * 100, result: id } })),
}, null, 2);
const FINAL = ['succeeded', 'failed', 'timed-out', 'skipped', 'cancelled', 'denied'];

export const scenarios: Scenario[] = [{
  name: 'the first run of a 6 s plan: a timeline row is visible while the run is still going',
  timeoutMs: 120_000,
  async run(ctx) {
    const { page } = ctx;
    writeFileSync(join(ctx.workspace, FILE), PLAN);
    await waitForWorkbench(page);
    await page.keyboard.press('Control+P');
    await pickQuickItem(page, FILE);
    await page.locator('.monaco-editor .view-lines', { hasText: 'First run' }).first().waitFor({ timeout: 15_000 });
    await runCommand(page, 'Fanout: Run Tool Plan');
    const asked = Date.now();
    const view = webview(page);
    await view.locator('.fo-row').first().waitFor({ state: 'visible', timeout: 30_000 });
    const firstRowMs = Date.now() - asked;
    const statuses = await view.locator('.fo-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status') ?? ''));
    const done = view.locator('.fo-row[data-status="succeeded"]');
    await done.nth(TOOLS.length - 1).waitFor({ timeout: 60_000 });
    const endedMs = Date.now() - asked;
    // Where the time went: the webview's marks (src/webview/planView.entry.ts, app.ts) on the epoch
    // clock, from Run's Enter; 'page' is the webview document's time origin (the panel created).
    const marks = await view.locator('#app').evaluate(() => ({
      origin: performance.timeOrigin,
      marks: performance.getEntriesByType('mark').filter((m) => m.name.startsWith('fo-')).map((m) => ({ name: m.name, at: m.startTime })),
    }));
    const since = (t: number): string => `${Math.round(t - asked)}`;
    ctx.log(`first run breakdown (ms after Run): page ${since(marks.origin)}, ${marks.marks.map((m) => `${m.name.slice(3)} ${since(marks.origin + m.at)}`).join(', ')}`);
    ctx.log(`first run: a timeline row ${firstRowMs} ms after Run (rows ${statuses.join(', ')}), every row succeeded at ${endedMs} ms (a ${RUN_MS} ms run); load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    assert.ok(statuses.some((s) => !FINAL.includes(s)), `the first rows were drawn once the run had ended (${statuses.join(', ')}, ${firstRowMs} ms after Run)`);

    // The floor this host sets: VS Code's own Markdown preview opened beside (warm), on the same clock.
    // Its document's time origin is when the workbench had made a webview; what Fanout adds on
    // top of that is its own cost (the issue's 300 ms target is measured against both).
    await runCommand(page, 'View: Close All Editors');
    await view.locator('#app').waitFor({ state: 'detached', timeout: 10_000 });
    await page.keyboard.press('Control+P');
    await pickQuickItem(page, NOTE);
    await page.locator('.monaco-editor .view-lines', { hasText: 'Baseline' }).first().waitFor({ timeout: 15_000 });
    // Once to activate the Markdown extension (Fanout was active before its Run), then measured.
    const preview = webview(page);
    await runCommand(page, 'Markdown: Open Preview to the Side');
    await preview.locator('h1', { hasText: 'Baseline' }).waitFor({ state: 'visible', timeout: 30_000 });
    await runCommand(page, 'View: Close All Editors');
    await preview.locator('h1').waitFor({ state: 'detached', timeout: 10_000 });
    await page.keyboard.press('Control+P');
    await pickQuickItem(page, NOTE);
    await page.locator('.monaco-editor .view-lines', { hasText: 'Baseline' }).first().waitFor({ timeout: 15_000 });
    await runCommand(page, 'Markdown: Open Preview to the Side');
    const previewAsked = Date.now();
    await preview.locator('h1', { hasText: 'Baseline' }).waitFor({ state: 'visible', timeout: 30_000 });
    const previewTextMs = Date.now() - previewAsked;
    const previewOrigin = await preview.locator('h1').first().evaluate(() => performance.timeOrigin);
    ctx.log(`VS Code's Markdown preview beside (the host's floor): document ${Math.round(previewOrigin - previewAsked)} ms, text visible ${previewTextMs} ms after its command; Fanout's plan view: document ${since(marks.origin)} ms, first row seen ${firstRowMs} ms after Run`);
    await runCommand(page, 'View: Close All Editors');
  },
}, {
  // The path the walkthrough and the sample picker take: the sample opens with its plan view beside
  // it (graph first, the focus staying in the editor), so Run paints into a view that exists.
  name: 'a sample opens with its plan view beside it, and Run paints the timeline into that view',
  timeoutMs: 120_000,
  async run(ctx) {
    const { page } = ctx;
    await waitForWorkbench(page);
    await runCommand(page, 'Fanout: Open Sample Plan');
    await pickQuickItem(page, SAMPLE);
    const view = webview(page);
    await view.locator('svg g.node .fo-node-title', { hasText: 'flights' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(ctx, 'sample-with-plan-view');
    assert.equal(await page.locator('.monaco-editor.focused .view-lines', { hasText: 'Trip research' }).count(), 1, 'the focus stays in the sample');
    assert.equal(await page.locator('.editor-group-container').count(), 2, 'the sample and its plan view, side by side');
    // The rows are there before the run (pending, from the estimate): what counts is the first row
    // in a live state, stamped in the webview when it lands in the DOM and at the next frame.
    const LIVE = '.fo-row[data-status="queued"], .fo-row[data-status="running"], .fo-row[data-status="succeeded"]';
    await view.locator('#app').evaluate((app, live) => {
      const w = window as unknown as { __live?: { dom: number; painted?: number } };
      const obs = new MutationObserver(() => {
        if (w.__live || !app.querySelector(live)) return;
        w.__live = { dom: performance.timeOrigin + performance.now() };
        requestAnimationFrame(() => { if (w.__live) w.__live.painted = performance.timeOrigin + performance.now(); });
        obs.disconnect();
      });
      obs.observe(app, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
    }, LIVE);
    await runCommand(page, 'Fanout: Run Tool Plan');
    const asked = Date.now();
    await view.locator(LIVE).first().waitFor({ state: 'visible', timeout: 30_000 });
    const rowMs = Date.now() - asked;
    const statuses = await view.locator('.fo-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status') ?? ''));
    const live = await view.locator('#app').evaluate(() => (window as unknown as { __live?: { dom: number; painted?: number } }).__live);
    await view.locator('.fo-row[data-status="succeeded"]').nth(statuses.length - 1).waitFor({ timeout: 60_000 });
    const at = (t: number | undefined): string => (t === undefined ? '?' : `${Math.round(t - asked)}`);
    ctx.log(`sample run into its open plan view: first live row in the DOM ${at(live?.dom)} ms, painted ${at(live?.painted)} ms, seen ${rowMs} ms after Run (rows ${statuses.join(', ')}); load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    assert.equal(await page.locator('.editor-group-container').count(), 2, 'Run reused the plan view: no third group');
    await closeAll(page);
  },
}];

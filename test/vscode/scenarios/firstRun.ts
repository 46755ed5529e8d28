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
import { pickQuickItem, runCommand, waitForWorkbench, webview, type Scenario } from '../workbench';

const FILE = 'first-run.toolplan.json';
// In the fixtures, so Quick Open has it from the start (a file written here was once not listed
// within 15 s in CI).
const NOTE = 'preview-baseline.md';
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
}];

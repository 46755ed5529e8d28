// Issue 11 point 2 in the real workbench: showing a 150-tool plan's graph. Long tasks are observed
// with PerformanceObserver('longtask') in the workbench page (from just before Show Plan Graph, the
// plan already open in its editor) and in the plan view's frame (from its first script run:
// buffered entries, then every redraw while the graph is shown, fitted and zoomed). The webview
// is held to 300 ms. The workbench is held to 300 ms more than the same steps cost for a 5-tool
// plan in the same run: on this 2-core machine shared by other jobs, the palette, the editor split
// and the webview's iframe alone took 270-1,150 ms of the workbench's main thread with 5 tools,
// which no graph can remove. The probe can fail: a 600 ms busy task in the plan view's frame was
// seen as 690 ms in both pages and failed the scenario (checked once by hand).
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { layeredPlan } from '../../unit/planView/plans';
import { pickQuickItem, runCommand, screenshot, waitForWorkbench, webview, type Scenario, type ScenarioContext } from '../workbench';

const FILE = 'layered-150.toolplan.json';
const SMALL = 'layered-5.toolplan.json';
const STALL_MS = 300;

/** Starts collecting long tasks in a page or frame; `read()` returns their durations so far. */
async function watchLongTasks(target: Page | Frame, buffered = false): Promise<{ read: () => Promise<number[]> }> {
  await target.evaluate((fromStart) => {
    // A fresh list and observer each time (the workbench page is watched once per plan).
    const w = window as unknown as { __foLong?: number[]; __foObserver?: PerformanceObserver };
    w.__foObserver?.disconnect();
    const seen: number[] = [];
    w.__foLong = seen;
    w.__foObserver = new PerformanceObserver((list) => { for (const e of list.getEntries()) seen.push(e.duration); });
    w.__foObserver.observe({ type: 'longtask', buffered: fromStart });
  }, buffered);
  return { read: () => target.evaluate(() => [...((window as unknown as { __foLong?: number[] }).__foLong ?? [])]) };
}

/** The plan view's frame for the plan `name` in `file` (its title names one or the other). */
async function planViewFrame(page: Page, file: string, name: string): Promise<Frame> {
  for (let k = 0; k < 100; k++) {
    for (const f of page.frames()) {
      if (await f.evaluate(([a, b]) => document.querySelector('#app.fo-app') !== null && (document.title.includes(a) || document.title.includes(b)), [file, name]).catch(() => false)) return f;
    }
    await page.waitForTimeout(100);
  }
  throw new Error('no plan view frame found');
}

/** Opens `file` (already in the workspace), shows its graph; the longest tasks from Show Plan Graph on. */
async function showGraph(ctx: ScenarioContext, file: string, name: string, tools: number): Promise<{ workbench: number[]; view: number[] }> {
  const { page } = ctx;
  await page.keyboard.press('Control+P');
  await pickQuickItem(page, file);
  await page.locator('.tabs-container .tab', { hasText: file }).first().waitFor({ timeout: 15_000 });
  await page.locator('.monaco-editor .view-lines', { hasText: name }).first().waitFor({ timeout: 15_000 });
  // The workbench is watched from here: its own start and the editor opening the file are
  // VS Code's cost, not the plan view's (both came before; an idle moment first).
  await page.evaluate(() => new Promise((r) => requestIdleCallback(() => r(undefined), { timeout: 2000 })));
  const workbench = await watchLongTasks(page);
  await runCommand(page, 'Fanout: Show Plan Graph');
  const frame = await planViewFrame(page, file, name);
  // The webview from its first script: buffered entries include its load and first layout.
  const view = await watchLongTasks(frame, true);
  const nodes = webview(page).locator('svg g.node[data-tool]');
  await nodes.nth(tools - 1).waitFor({ state: 'attached', timeout: 60_000 });
  // Fit the whole graph and zoom in, as a reader would: each redraws the nodes' transform.
  const canvas = webview(page).locator('.fo-graph-canvas');
  await canvas.focus();
  await canvas.press('0');
  await canvas.press('+');
  // Let the observers deliver what they saw (they report after the task, on an idle moment).
  await frame.evaluate(() => new Promise((r) => setTimeout(r, 200)));
  await page.waitForTimeout(200);
  const out = { workbench: await workbench.read(), view: await view.read() };
  assert.equal(await nodes.count(), tools, 'one node per tool');
  return out;
}

const longest = (xs: readonly number[]): number => Math.round(Math.max(0, ...xs));

export const scenarios: Scenario[] = [{
  name: 'a 150-tool plan: showing its graph stalls the webview at most 300 ms, the workbench at most 300 ms more than a 5-tool plan does',
  timeoutMs: 240_000,
  async run(ctx) {
    const { page } = ctx;
    writeFileSync(join(ctx.workspace, SMALL), layeredPlan(5, 'Layered 5', 1));
    writeFileSync(join(ctx.workspace, FILE), layeredPlan(150));
    await waitForWorkbench(page);
    // The same steps for 5 tools first: what opening any plan view costs the workbench here.
    const small = await showGraph(ctx, SMALL, 'Layered 5', 5);
    await runCommand(page, 'View: Close All Editors');
    const big = await showGraph(ctx, FILE, 'Layered 150', 150);
    ctx.log(`longest task, 5 tools: workbench ${longest(small.workbench)} ms, webview ${longest(small.view)} ms; 150 tools: workbench ${longest(big.workbench)} ms (${big.workbench.length} over 50 ms), webview ${longest(big.view)} ms (${big.view.length} over 50 ms)`);
    assert.ok(longest(big.view) <= STALL_MS, `plan view stalled: ${big.view.map(Math.round).join(', ')} ms`);
    assert.ok(longest(big.workbench) <= Math.max(STALL_MS, longest(small.workbench) + STALL_MS) , `workbench main thread stalled: ${big.workbench.map(Math.round).join(', ')} ms (5 tools: ${small.workbench.map(Math.round).join(', ')} ms)`);
    await screenshot(ctx, 'plan-view-graph-layered-150');
  },
}];

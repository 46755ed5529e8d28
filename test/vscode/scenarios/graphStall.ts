// Issue 11 point 2 in the real workbench: showing a 40-tool and a 150-tool plan's graph. Long tasks
// are observed with PerformanceObserver('longtask') in the workbench page (from just before Show
// Plan Graph, the plan already open in its editor) and in the plan view's frame (from its first
// script run: buffered entries, then every redraw while the graph is shown, fitted and zoomed).
// Both are held to 300 ms, as the issue says ("no stall above 300 ms while a 150-tool graph
// renders"), after a 5-tool plan view has been opened once (the workbench's first webview is
// VS Code's cost, not the graph's). On an idle machine the workbench's longest task was 100-180 ms
// and the webview's 0 ms; under a heavy load (other jobs on the 2 cores) a workbench task passes
// 300 ms whatever the page does, so there the workbench keeps the bound relative to the 5-tool
// view (see the assertions) and the figures are logged with the load average. The probe can fail: a 600 ms busy task in the plan view's frame
// was seen as 690 ms in both pages and failed the scenario (checked once by hand). Also logged,
// for the closing figures: the graph's render time in the webview (the 'fanout:graph-render'
// user-timing measure, graph.ts) and from Show Plan Graph's Enter to the last node in the page.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { layeredPlan } from '../../unit/planView/plans';
import { pickQuickItem, runCommand, screenshot, waitForWorkbench, webview, type Scenario, type ScenarioContext } from '../workbench';

const STALL_MS = 300;
/** The plan sizes the issue's figures name. */
const SIZES = [40, 150] as const;

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

interface Shown {
  /** Long tasks (ms) from Show Plan Graph on. */
  readonly workbench: number[];
  readonly view: number[];
  /** The webview's own drawing time: graph.ts's 'fanout:graph-render' measure. */
  readonly renderMs: number;
  /** From Show Plan Graph's Enter to the last node in the page, as the user waits for it. */
  readonly untilDrawnMs: number;
  /** The smallest node as first shown (px), and the extent of the nodes. */
  readonly node: { readonly width: number; readonly height: number };
  readonly svg: { readonly width: number; readonly height: number };
}

/** Opens `file` (already in the workspace), shows its graph; the longest tasks from Show Plan Graph on. */
async function showGraph(ctx: ScenarioContext, file: string, name: string, tools: number): Promise<Shown> {
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
  const asked = Date.now();
  const frame = await planViewFrame(page, file, name);
  // The webview from its first script: buffered entries include its load and first layout.
  const view = await watchLongTasks(frame, true);
  const nodes = webview(page).locator('svg g.node[data-tool]');
  await nodes.nth(tools - 1).waitFor({ state: 'attached', timeout: 60_000 });
  const untilDrawnMs = Date.now() - asked;
  // Fitted to the panel (the first view): what a reader sees before touching the zoom.
  const sizes = await frame.evaluate(() => {
    const boxes = Array.from(document.querySelectorAll('svg g.node[data-tool] .fo-node-shape')).map((n) => n.getBoundingClientRect());
    const smallest = boxes.reduce((a, b) => (b.height < a.height ? b : a), boxes[0]!);
    // The drawing's extent: from the leftmost and topmost node to the rightmost and lowest.
    const width = Math.max(...boxes.map((b) => b.right)) - Math.min(...boxes.map((b) => b.left));
    const height = Math.max(...boxes.map((b) => b.bottom)) - Math.min(...boxes.map((b) => b.top));
    return { node: { width: Math.round(smallest.width), height: Math.round(smallest.height) }, svg: { width: Math.round(width), height: Math.round(height) } };
  });
  // Fit the whole graph and zoom in, as a reader would: each redraws the nodes' transform.
  const canvas = webview(page).locator('.fo-graph-canvas');
  await canvas.focus();
  await canvas.press('0');
  await canvas.press('+');
  // Let the observers deliver what they saw (they report after the task, on an idle moment).
  await frame.evaluate(() => new Promise((r) => setTimeout(r, 200)));
  await page.waitForTimeout(200);
  const renders = await frame.evaluate(() => performance.getEntriesByName('fanout:graph-render').map((e) => e.duration));
  assert.ok(renders.length > 0, 'the plan view measured its graph drawing (fanout:graph-render)');
  const out = { workbench: await workbench.read(), view: await view.read(), renderMs: Math.round(renders[renders.length - 1]!), untilDrawnMs, ...sizes };
  assert.equal(await nodes.count(), tools, 'one node per tool');
  return out;
}

const longest = (xs: readonly number[]): number => Math.round(Math.max(0, ...xs));

export const scenarios: Scenario[] = [{
  name: 'a 40-tool and a 150-tool plan: showing the graph stalls the webview at most 300 ms, the workbench at most 300 ms (beyond a 5-tool view under overload)',
  timeoutMs: 240_000,
  async run(ctx) {
    const { page } = ctx;
    writeFileSync(join(ctx.workspace, 'layered-5.toolplan.json'), layeredPlan(5, 'Layered 5', 1));
    for (const n of SIZES) writeFileSync(join(ctx.workspace, `layered-${n}.toolplan.json`), layeredPlan(n));
    await waitForWorkbench(page);
    // The workbench's first webview costs it the most (its webview code loads then: 180 ms of one
    // task on an idle machine, whatever the page): a 5-tool plan view first, logged, not held.
    const warm = await showGraph(ctx, 'layered-5.toolplan.json', 'Layered 5', 5);
    ctx.log(`graph, 5 tools (the first plan view): longest task: workbench ${longest(warm.workbench)} ms, webview ${longest(warm.view)} ms`);
    const shown: Shown[] = [];
    for (const n of SIZES) {
      await runCommand(page, 'View: Close All Editors');
      const s = await showGraph(ctx, `layered-${n}.toolplan.json`, `Layered ${n}`, n);
      shown.push(s);
      ctx.log(`graph, ${n} tools: drawn in ${s.renderMs} ms in the webview, ${s.untilDrawnMs} ms from Show Plan Graph to the last node; longest task: workbench ${longest(s.workbench)} ms (${s.workbench.length} over 50 ms), webview ${longest(s.view)} ms (${s.view.length} over 50 ms); nodes span ${s.svg.width}×${s.svg.height} px, smallest node ${s.node.width}×${s.node.height} px; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
      if (n === 150) await screenshot(ctx, 'plan-view-graph-layered-150');
    }
    // The workbench's bound is the issue's 300 ms on a machine that is not overloaded (load average
    // at most one job per core). Above, its palette and editor steps alone pass 300 ms (300-700 ms
    // with 5 tools at load 20 on 2 cores), so it is held, as before, to 300 ms more than the 5-tool
    // view cost it in the same run. The webview is held to 300 ms at any load.
    const load = loadavg()[0]!;
    const overloaded = load > cpus().length;
    const workbenchBound = overloaded ? Math.max(STALL_MS, longest(warm.workbench) + STALL_MS) : STALL_MS;
    ctx.log(`graph stall bound: webview ${STALL_MS} ms, workbench ${workbenchBound} ms (${overloaded ? `load ${load.toFixed(1)} on ${cpus().length} cores: the 5-tool view's ${longest(warm.workbench)} ms + ${STALL_MS}` : 'absolute'})`);
    SIZES.forEach((n, i) => {
      const s = shown[i]!;
      assert.ok(longest(s.view) <= STALL_MS, `${n} tools: plan view stalled: ${s.view.map(Math.round).join(', ')} ms`);
      assert.ok(longest(s.workbench) <= workbenchBound, `${n} tools: workbench main thread stalled: ${s.workbench.map(Math.round).join(', ')} ms (bound ${workbenchBound} ms, load ${load.toFixed(1)})`);
    });
  },
}];

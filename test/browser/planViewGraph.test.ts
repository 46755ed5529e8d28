// The plan view's dependency graph in real headless Chromium: fitted to the panel, zoomed and panned
// by mouse and keyboard, readable at 40 tools in a 640 px panel, alike calls collapsed into one node
// and expanded on demand, the critical path marked. Analyses come from the real core.
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ViewAnalysis } from '../../src/protocol/planView';
import { analyzeForView } from '../../src/extension/planView/toView';
import { closeBrowser, openWebview, type WebviewPage } from './helpers/chromium';
import { layeredPlan, TRIP_PLAN } from '../unit/planView/plans';

const ROOT = join(__dirname, '..', '..');
const SHOTS = process.env.FANOUT_SHOTS_DIR ?? join(ROOT, 'test-results', 'screenshots');
const THEMES = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'lessons-themes.json'), 'utf8')) as Record<string, { bodyClass: string; vars: Record<string, string> }>;
const UNBOUNDED_40 = readFileSync(join(ROOT, 'lessons', 'samples', 'unbounded-40.toolplan.json'), 'utf8');

function viewOf(text: string, fileLabel = 'plan.toolplan.json'): ViewAnalysis {
  return analyzeForView(text, { uri: `file:///work/${fileLabel}`, fileLabel }, { analyze: { cores: 4 } });
}

async function open(width: number, theme = 'Dark Modern', height = 900): Promise<WebviewPage> {
  const t = THEMES[theme];
  const view = await openWebview({ scripts: ['planView.js'], styles: ['planView.css'], themeClass: t.bodyClass, themeVars: t.vars });
  await view.page.setViewportSize({ width, height });
  return view;
}

async function show(view: WebviewPage, a: ViewAnalysis): Promise<void> {
  await view.send({ type: 'analysis', analysis: a });
  await settled(view);
}

async function settled(view: WebviewPage): Promise<void> {
  await view.page.evaluate(async () => {
    await (window as unknown as { fanoutPlanView: { graphSettled: Promise<void> } }).fanoutPlanView.graphSettled;
    await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  });
}

interface Box { x: number; y: number; width: number; height: number }
interface GraphState {
  readonly canvas: Box;
  readonly nodes: { key: string; text: string; box: Box; classes: string }[];
  readonly zoom: string;
  readonly transform: string;
}

function graphState(view: WebviewPage): Promise<GraphState> {
  // No named functions inside evaluate: tsx would wrap them in a helper the page does not have.
  return view.page.evaluate(() => {
    const c = (document.querySelector('.fo-graph-canvas') as Element).getBoundingClientRect();
    return {
      canvas: { x: c.x, y: c.y, width: c.width, height: c.height },
      nodes: Array.from(document.querySelectorAll('.fo-graph-canvas g.node')).map((g) => {
        const r = (g.querySelector('.fo-node-shape') as Element).getBoundingClientRect();
        return {
          key: g.getAttribute('data-id') ?? g.getAttribute('data-group') ?? '',
          text: Array.from(g.querySelectorAll('tspan')).map((t) => t.textContent).join(' | '),
          box: { x: r.x, y: r.y, width: r.width, height: r.height },
          classes: g.getAttribute('class') ?? '',
        };
      }),
      zoom: document.querySelector('.fo-zoom-level')?.textContent ?? '',
      transform: document.querySelector('.fo-graph-world')?.getAttribute('transform') ?? '',
    };
  });
}

function inside(b: Box, c: Box): boolean {
  return b.x >= c.x - 0.5 && b.y >= c.y - 0.5 && b.x + b.width <= c.x + c.width + 0.5 && b.y + b.height <= c.y + c.height + 0.5;
}

function nodeOf(s: GraphState, key: string): GraphState['nodes'][number] {
  const n = s.nodes.find((x) => x.key === key);
  assert.ok(n, `node ${key} drawn`);
  return n;
}

describe('plan view graph', function () {
  this.timeout(120_000);
  after(closeBrowser);

  it('unbounded-40 at 640 px: 20 search and 20 fetch calls are two readable group nodes, each expandable to readable nodes', async () => {
    const view = await open(640);
    const a = viewOf(UNBOUNDED_40);
    assert.equal(a.tools.length, 40);
    await show(view, a);
    let s = await graphState(view);
    assert.deepEqual(s.nodes.map((n) => n.text.split(' | ')[0]).sort(), ['fetch × 20', 'search × 20']);
    for (const n of s.nodes) {
      assert.ok(n.box.height >= 18, `${n.text}: ${n.box.height} px tall`);
      assert.ok(inside(n.box, s.canvas), `${n.text} inside the canvas`);
    }
    // The group buttons name what they do; pressing one draws that group's calls one by one.
    const buttons = view.page.locator('.fo-graph-groups button');
    assert.deepEqual(await buttons.allTextContents(), ['Expand search × 20', 'Expand fetch × 20']);
    await buttons.nth(0).click();
    await settled(view);
    s = await graphState(view);
    assert.equal(s.nodes.length, 21);
    assert.equal(s.nodes.filter((n) => /^search\d+$/.test(n.key)).length, 20);
    // Clicking the other group's node expands it too: 40 tool nodes (fitted first, so it is in view).
    await view.page.locator('.fo-graph-canvas').focus();
    await view.page.keyboard.press('0');
    await view.page.locator('g.node[data-group]').click();
    await settled(view);
    s = await graphState(view);
    assert.equal(s.nodes.length, 40);
    const heights = s.nodes.map((n) => n.box.height);
    assert.ok(Math.min(...heights) >= 18, `smallest node ${Math.min(...heights)} px tall at 640 px`);
    assert.equal(await view.page.locator('g.node[data-group]').count(), 0);
    // And back: Collapse draws one node again.
    await view.page.locator('.fo-graph-groups button', { hasText: 'Collapse search × 20' }).click();
    await settled(view);
    s = await graphState(view);
    assert.equal(s.nodes.length, 21);
    assert.ok(s.nodes.some((n) => n.text.startsWith('search × 20')));
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });

  it('groups only alike calls: small families stay expanded, a collapsed group shows its members\' tally during a run', async () => {
    const view = await open(900);
    const tools = [
      { id: 'plan', kind: 'simulate', args: { durationMs: 100 } },
      ...Array.from({ length: 8 }, (_, i) => ({ id: `search_${i + 1}`, kind: 'simulate', args: { durationMs: 200 + i }, dependsOn: ['plan'] })),
      { id: 'lookup_1', kind: 'simulate', args: { durationMs: 50 }, dependsOn: ['plan'] },
      { id: 'lookup_2', kind: 'simulate', args: { durationMs: 60 }, dependsOn: ['plan'] },
      { id: 'merge', kind: 'simulate', args: { durationMs: 100 }, dependsOn: [...Array.from({ length: 8 }, (_, i) => `search_${i + 1}`), 'lookup_1', 'lookup_2'] },
    ];
    const a = viewOf(JSON.stringify({ tools }));
    await show(view, a);
    let s = await graphState(view);
    assert.deepEqual(s.nodes.map((n) => n.text.split(' | ')[0]).sort(), ['lookup_1', 'lookup_2', 'merge', 'plan', 'search × 8']);
    assert.deepEqual(await view.page.locator('.fo-graph-groups button').allTextContents(), ['Expand search × 8', 'Collapse lookup × 2']);
    const group = s.nodes.find((n) => n.text.startsWith('search × 8')) as GraphState['nodes'][number];
    assert.match(group.text, /200 ms–207 ms/);
    assert.match(group.classes, /\bcritical\b/, 'the group holds the critical path\'s search');
    // Edges: plan → group and group → merge once each, not eight times.
    assert.equal(await view.page.locator('.fo-edge').count(), 6);
    await view.send({ type: 'run-started', runId: 'r', mode: 'simulate', tools: a.tools.map((t) => t.id), slots: null });
    await view.send({ type: 'run-events', runId: 'r', events: [
      { type: 'queued', at: 0, id: 'plan' }, { type: 'started', at: 0, id: 'plan', attempt: 1 }, { type: 'succeeded', at: 100, id: 'plan', attempt: 1 },
      ...[1, 2, 3].flatMap((i) => [{ type: 'queued' as const, at: 100, id: `search_${i}` }, { type: 'started' as const, at: 100, id: `search_${i}`, attempt: 1 }]),
      { type: 'succeeded', at: 300, id: 'search_1', attempt: 1 },
      { type: 'failed', at: 300, id: 'search_2', error: 'boom' },
    ] });
    await settled(view);
    s = await graphState(view);
    const live = s.nodes.find((n) => n.text.startsWith('search × 8')) as GraphState['nodes'][number];
    assert.match(live.text, /2\/8 done · 1 failed/);
    assert.match(await view.page.locator('g.node[data-group] title').textContent() ?? '', /search × 8: 8 alike calls \(2\/8 done · 1 failed, 1 running\)/);
    assert.match(live.classes, /fo-st-running/);
    assert.match(nodeOf(s, 'plan').classes, /fo-st-succeeded/);
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });

  it('marks the critical path: its nodes and the edges between them', async () => {
    const view = await open(900);
    const a = viewOf(TRIP_PLAN, 'trip.toolplan.yaml');
    await show(view, a);
    const s = await graphState(view);
    const critical = s.nodes.filter((n) => /\bcritical\b/.test(n.classes)).map((n) => n.key);
    assert.deepEqual(critical.sort(), [...a.criticalPath.tools].sort());
    assert.ok(a.criticalPath.tools.length >= 4);
    assert.equal(await view.page.locator('.fo-edge.critical').count(), a.criticalPath.tools.length - 1);
    const stroke = await view.page.evaluate(() => {
      const crit = document.querySelector('.fo-edge.critical') as Element;
      const plain = document.querySelector('.fo-edge:not(.critical)') as Element;
      return [getComputedStyle(crit).stroke, getComputedStyle(plain).stroke];
    });
    assert.notEqual(stroke[0], stroke[1], 'critical edges drawn in their own colour');
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });

  it('fits the whole graph to the panel, zooms with +/−/0 and the buttons, pans with the arrow keys', async () => {
    const view = await open(640);
    await show(view, viewOf(TRIP_PLAN, 'trip.toolplan.yaml'));
    let s = await graphState(view);
    assert.equal(s.nodes.length, 12);
    for (const n of s.nodes) assert.ok(inside(n.box, s.canvas), `${n.key} inside the fitted canvas`);
    const fitted = nodeOf(s, 'profile').box;
    const zoom0 = parseInt(s.zoom, 10);
    assert.ok(zoom0 > 0 && zoom0 <= 100, `fitted zoom ${s.zoom}`);

    const canvas = view.page.locator('.fo-graph-canvas');
    await canvas.focus();
    await view.page.keyboard.press('+');
    s = await graphState(view);
    assert.ok(parseInt(s.zoom, 10) > zoom0, `+ zooms in: ${s.zoom}`);
    assert.ok(nodeOf(s, 'profile').box.height > fitted.height * 1.2);
    await view.page.keyboard.press('+');
    const before = nodeOf(await graphState(view), 'itinerary').box;
    await view.page.keyboard.press('ArrowRight');
    const afterRight = nodeOf(await graphState(view), 'itinerary').box;
    assert.ok(afterRight.x < before.x - 10, `ArrowRight moves the view right (content left): ${before.x} → ${afterRight.x}`);
    await view.page.keyboard.press('ArrowLeft');
    assert.ok(Math.abs(nodeOf(await graphState(view), 'itinerary').box.x - before.x) < 1, 'ArrowLeft moves it back');
    await view.page.keyboard.press('-');
    await view.page.keyboard.press('-');
    await view.page.keyboard.press('-');
    assert.ok(parseInt((await graphState(view)).zoom, 10) < zoom0, '− zooms out past the fit');
    await view.page.keyboard.press('0');
    s = await graphState(view);
    assert.equal(s.zoom, `${zoom0}%`, '0 fits again');
    for (const n of s.nodes) assert.ok(inside(n.box, s.canvas), `${n.key} inside after 0`);

    // The visible controls do the same, and say what they do.
    const labels = await view.page.locator('.fo-graph-controls > button:not([hidden])').evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-label')));
    assert.deepEqual(labels, ['Zoom out (−)', 'Zoom in (+)', 'Fit the whole graph in view (0)']);
    await view.page.getByRole('button', { name: 'Zoom in (+)' }).click();
    assert.ok(parseInt((await graphState(view)).zoom, 10) > zoom0);
    await view.page.getByRole('button', { name: 'Fit the whole graph in view (0)' }).click();
    assert.equal((await graphState(view)).zoom, `${zoom0}%`);
    await view.page.getByRole('button', { name: 'Zoom out (−)' }).click();
    assert.ok(parseInt((await graphState(view)).zoom, 10) < zoom0);
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });

  it('zooms at the pointer with Ctrl+wheel, pans by drag and by wheel, and a drag never reveals a tool', async () => {
    const view = await open(640);
    const a = viewOf(TRIP_PLAN, 'trip.toolplan.yaml');
    await show(view, a);
    let s = await graphState(view);
    const z0 = parseInt(s.zoom, 10);
    const target = nodeOf(s, 'flights').box;
    const px = target.x + target.width / 2;
    const py = target.y + target.height / 2;
    await view.page.mouse.move(px, py);
    await view.page.keyboard.down('Control');
    await view.page.mouse.wheel(0, -300);
    await view.page.keyboard.up('Control');
    await settled(view);
    s = await graphState(view);
    const zoomed = nodeOf(s, 'flights').box;
    assert.ok(parseInt(s.zoom, 10) > z0 * 1.5, `Ctrl+wheel zoomed in: ${z0}% → ${s.zoom}`);
    // The point under the pointer stays under it.
    assert.ok(Math.abs(zoomed.x + zoomed.width / 2 - px) < 3 && Math.abs(zoomed.y + zoomed.height / 2 - py) < 3, `flights stays under the pointer: ${JSON.stringify(zoomed)} vs ${px},${py}`);

    // Drag from the node: the content follows the pointer, and no reveal is posted.
    const posted = (await view.posted()).length;
    await view.page.mouse.move(px, py);
    await view.page.mouse.down();
    await view.page.mouse.move(px - 60, py - 20, { steps: 5 });
    await view.page.mouse.up();
    s = await graphState(view);
    const dragged = nodeOf(s, 'flights').box;
    assert.ok(Math.abs(dragged.x - (zoomed.x - 60)) < 2 && Math.abs(dragged.y - (zoomed.y - 20)) < 2, `dragged by (-60, -20): ${zoomed.x},${zoomed.y} → ${dragged.x},${dragged.y}`);
    assert.equal((await view.posted()).length, posted, 'a drag posts nothing');

    // A plain wheel pans while there is graph left to see in that direction.
    await view.page.mouse.wheel(0, 40);
    await settled(view);
    const wheeled = nodeOf(await graphState(view), 'flights').box;
    assert.ok(Math.abs(wheeled.y - (dragged.y - 40)) < 2, `wheel panned up 40 px: ${dragged.y} → ${wheeled.y}`);

    // A click (no drag) still reveals the tool in the editor.
    await view.page.mouse.click(wheeled.x + wheeled.width / 2, wheeled.y + wheeled.height / 2);
    const flights = a.tools.find((t) => t.id === 'flights');
    assert.deepEqual((await view.posted()).at(-1), { type: 'reveal', line: flights?.line, column: flights?.column ?? 1 });
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });

  it('a plain wheel over a graph that fits scrolls the page, not the graph', async () => {
    const view = await open(900, 'Dark Modern', 500);
    await show(view, viewOf(TRIP_PLAN, 'trip.toolplan.yaml'));
    const box = (await graphState(view)).canvas;
    const transform = (await graphState(view)).transform;
    const scrollBefore = await view.page.evaluate(() => window.scrollY);
    await view.page.mouse.move(box.x + box.width / 2, Math.min(box.y + box.height / 2, 480));
    await view.page.mouse.wheel(0, 200);
    await view.page.waitForFunction((y) => window.scrollY > y, scrollBefore, { timeout: 5000 });
    assert.equal((await graphState(view)).transform, transform, 'the graph did not move');
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });

  it('150 tools: readable on first view (pannable), summary above the host threshold, drawn in a task of its own', async () => {
    const view = await open(900);
    const a = viewOf(layeredPlan(150));
    assert.equal(a.mermaidMode, 'full');
    await show(view, a);
    let s = await graphState(view);
    assert.equal(s.nodes.length, 150);
    assert.ok(Math.min(...s.nodes.map((n) => n.box.height)) >= 18, 'nodes readable on first view');
    assert.ok(s.nodes.some((n) => !inside(n.box, s.canvas)), 'too big to fit readably: the rest is a pan away');
    await view.page.keyboard.press('Tab');
    await view.page.locator('.fo-graph-canvas').focus();
    await view.page.keyboard.press('0');
    s = await graphState(view);
    for (const n of s.nodes) assert.ok(inside(n.box, s.canvas), `${n.key} inside after fit`);

    const big = viewOf(layeredPlan(400, 'Big', 25, 16));
    assert.equal(big.mermaidMode, 'summary');
    await show(view, big);
    s = await graphState(view);
    assert.ok(s.nodes.length > 2 && s.nodes.length <= 40, `summary of ${s.nodes.length} bands`);
    assert.match(s.nodes[0].text, /^Level 1: 25 tools/);
    assert.ok(s.nodes.some((n) => /\bcritical\b/.test(n.classes)));
    assert.match(await view.page.locator('.fo-graph .fo-note').textContent() ?? '', /Summary view: 400 tools/);
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });

  it('longest main-thread task while the graph of 40 and 150 tools is drawn (PerformanceObserver longtask; printed, the bound is in npm run bench)', async () => {
    for (const [name, text] of [['unbounded-40', UNBOUNDED_40], ['layered-150', layeredPlan(150)]] as const) {
      const view = await open(900);
      await view.page.evaluate(() => {
        const w = window as unknown as { __long: number[] };
        w.__long = [];
        new PerformanceObserver((l) => { for (const e of l.getEntries()) w.__long.push(e.duration); }).observe({ type: 'longtask' });
      });
      await show(view, viewOf(text));
      await view.page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
      const long = await view.page.evaluate(() => (window as unknown as { __long: number[] }).__long);
      console.log(`      ${name}: longest task ${Math.round(Math.max(0, ...long))} ms (${long.length} over 50 ms)`);
      assert.ok((await view.page.locator('.fo-graph-canvas g.node').count()) > 0);
      await view.page.close();
    }
  });

  it('measures each drawing as the user-timing entry fanout:graph-render (the workbench scenario reads it); only the latest is kept', async () => {
    const view = await open(900);
    const renders = (): Promise<number[]> => view.page.evaluate(() => performance.getEntriesByName('fanout:graph-render').map((e) => e.duration));
    await show(view, viewOf(layeredPlan(150)));
    const first = await renders();
    assert.equal(first.length, 1, 'one measure for the drawing');
    assert.ok(first[0]! > 0, `measured ${first[0]} ms`);
    await show(view, viewOf(layeredPlan(40)));
    const second = await renders();
    assert.equal(second.length, 1, 'the newer drawing replaced it');
    assert.notEqual(second[0], first[0]);
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });

  it('screenshots: dark and light at 900 px, 640 px, and the side column at 350 px', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const shots: [string, number, string, string][] = [
      ['graph-dark-900', 900, 'Dark Modern', TRIP_PLAN], ['graph-light-900', 900, 'Light Modern', TRIP_PLAN],
      ['graph-unbounded40-640', 640, 'Dark Modern', UNBOUNDED_40], ['graph-side-350', 350, 'Light Modern', TRIP_PLAN],
      ['graph-layered150-900', 900, 'Dark Modern', layeredPlan(150)],
    ];
    for (const [name, width, theme, text] of shots) {
      const view = await open(width, theme);
      await show(view, viewOf(text, text === TRIP_PLAN ? 'trip.toolplan.yaml' : 'plan.toolplan.json'));
      const s = await graphState(view);
      assert.ok(s.canvas.x >= 0 && s.canvas.x + s.canvas.width <= width, `${name}: canvas inside the page`);
      assert.equal(await view.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, `${name}: no horizontal overflow`);
      await view.page.locator('.fo-graph').screenshot({ path: join(SHOTS, `${name}.png`) });
      assert.deepEqual(view.errors, []);
      await view.page.close();
    }
  });
});

// The plan view's "Mermaid" view, on demand, in real headless Chromium: the page is the host's own
// HTML (extension/planView/html.ts) under the panel's CSP, its scripts served from a fake webview
// origin, so the test sees whether mermaid.min.js is requested, and when. Analyses come from the
// real core (parse, analyze, renderMermaid).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { ViewAnalysis } from '../../src/protocol/planView';
import { analyzeForView } from '../../src/extension/planView/toView';
import { planViewHtml } from '../../src/extension/planView/html';
import { browser, closeBrowser } from './helpers/chromium';
import { layeredPlan, TRIP_PLAN } from '../unit/planView/plans';

const ROOT = join(__dirname, '..', '..');
const ORIGIN = 'https://webview.test';

function viewOf(text: string, fileLabel = 'plan.toolplan.json'): ViewAnalysis {
  return analyzeForView(text, { uri: `file:///work/${fileLabel}`, fileLabel }, { analyze: { cores: 4 } });
}

interface HostPage {
  readonly page: Page;
  readonly errors: string[];
  /** Paths of scripts the page requested, in order. */
  readonly requested: string[];
  readonly dialogs: () => number;
  readonly show: (a: ViewAnalysis) => Promise<void>;
  readonly settled: () => Promise<void>;
}

async function openHostPage(theme = 'vscode-dark'): Promise<HostPage> {
  const b = await browser();
  const page = await b.newPage({ viewport: { width: 1000, height: 900 } });
  const errors: string[] = [];
  const requested: string[] = [];
  let dialogs = 0;
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => { dialogs++; void d.dismiss(); });
  const html = planViewHtml({
    cspSource: ORIGIN, nonce: 'n0nceForMermaid', title: 'Fanout: plan',
    appScript: `${ORIGIN}/dist/webview/planView.js`, mermaidScript: `${ORIGIN}/dist/webview/mermaid.min.js`, stylesheet: `${ORIGIN}/media/planView.css`,
  }).replace('<body>', `<body class="${theme}">`);
  const shim = `<script nonce="n0nceForMermaid">window.__posted=[];window.acquireVsCodeApi=()=>({postMessage:(m)=>window.__posted.push(m),getState:()=>null,setState:()=>{}});</script>`;
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/index.html') return route.fulfill({ contentType: 'text/html', body: html.replace('<script nonce', `${shim}<script nonce`) });
    if (path.endsWith('.js')) requested.push(path);
    const type = path.endsWith('.css') ? 'text/css' : 'text/javascript';
    return route.fulfill({ contentType: type, body: readFileSync(join(ROOT, path)) });
  });
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);
  const settled = async (): Promise<void> => {
    await page.evaluate(async () => {
      await (window as unknown as { fanoutPlanView: { graphSettled: Promise<void> } }).fanoutPlanView.graphSettled;
      await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    });
  };
  return {
    page, errors, requested, dialogs: () => dialogs, settled,
    show: async (a) => {
      await page.evaluate((m) => window.postMessage({ type: 'analysis', analysis: m }, '*'), a as never);
      await page.waitForFunction(() => document.querySelector('.fo-app.fo-ready') !== null);
      await settled();
    },
  };
}

/** Presses the graph toolbar's mode button and waits for the drawing. */
async function toggle(h: HostPage): Promise<void> {
  await h.page.locator('.fo-graph-mode').click();
  await h.settled();
}

function mermaidLabels(page: Page): Promise<string[]> {
  return page.evaluate(() => Array.from(document.querySelectorAll('.fo-mermaid-canvas svg g.node')).map((g) => (g.textContent ?? '').trim()));
}

function errorsPosted(page: Page): Promise<unknown[]> {
  return page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'error'));
}

describe('plan view: Mermaid on demand', function () {
  this.timeout(120_000);
  after(closeBrowser);

  it('trip-planner: "Mermaid" loads mermaid.min.js only when pressed, draws the tools as Mermaid nodes, "Fanout graph" shows ours again', async () => {
    const h = await openHostPage();
    await h.show(viewOf(TRIP_PLAN, 'trip.toolplan.yaml'));
    assert.equal(await h.page.locator('.fo-graph-canvas g.node').count(), 12);
    assert.deepEqual(h.requested, ['/dist/webview/planView.js'], 'Mermaid not loaded before the toggle');
    assert.equal(await h.page.evaluate(() => 'mermaid' in window), false);
    const b = h.page.locator('.fo-graph-mode');
    assert.equal(await b.textContent(), 'Mermaid');
    assert.match(await b.getAttribute('aria-label') ?? '', /^Draw this graph with Mermaid \(it lays out on the main thread.*pauses the view/);
    assert.equal(await b.getAttribute('title'), await b.getAttribute('aria-label'), 'the reason is in the tooltip');
    assert.equal(await b.isDisabled(), false);
    assert.equal(await h.page.locator('#fo-graph-mode-note').isHidden(), true, 'no warning under a 12-tool graph');
    assert.equal(await b.getAttribute('aria-describedby'), null);

    await toggle(h);
    assert.deepEqual(h.requested, ['/dist/webview/planView.js', '/dist/webview/mermaid.min.js']);
    const labels = await mermaidLabels(h.page);
    assert.equal(labels.length, 12, `12 Mermaid nodes: ${JSON.stringify(labels)}`);
    for (const id of ['profile', 'weather_paris', 'flights', 'hotels', 'restaurants']) {
      assert.ok(labels.some((l) => l.startsWith(id)), `a node labelled ${id}: ${JSON.stringify(labels)}`);
    }
    assert.equal(await h.page.locator('.fo-graph-canvas').isHidden(), true, 'our graph hidden');
    assert.equal(await h.page.locator('.fo-graph-controls button', { hasText: 'Fit' }).isHidden(), true, 'zoom controls are our graph\'s');
    assert.equal(await b.textContent(), 'Fanout graph');
    // Critical path as the host's Mermaid config gives it (classDef critical in the flowchart text).
    assert.ok(await h.page.locator('.fo-mermaid-canvas svg g.node.critical').count() > 0, 'critical nodes marked');
    // Dark VS Code theme → Mermaid's dark theme.
    const config = await h.page.evaluate(() => (window as unknown as { mermaid: { mermaidAPI: { getConfig(): { theme: string; securityLevel: string; startOnLoad: boolean } } } }).mermaid.mermaidAPI.getConfig());
    assert.deepEqual([config.securityLevel, config.startOnLoad, config.theme], ['strict', false, 'dark']);

    // An edit while in Mermaid mode draws the new graph with Mermaid.
    const edited = TRIP_PLAN.replace('  - id: trains\n', '  - id: buses\n    kind: simulate\n    args: { durationMs: 200 }\n    dependsOn: [profile]\n  - id: trains\n');
    await h.show(viewOf(edited, 'trip.toolplan.yaml'));
    const after = await mermaidLabels(h.page);
    assert.equal(after.length, 13);
    assert.ok(after.some((l) => l.startsWith('buses')), 'the new tool is drawn');

    // Copy Mermaid puts the host's flowchart text on the clipboard.
    await h.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ORIGIN });
    await h.page.locator('.fo-graph-copy').click();
    assert.equal(await h.page.evaluate(() => navigator.clipboard.readText()), viewOf(edited, 'trip.toolplan.yaml').mermaid);

    await toggle(h);
    assert.equal(await h.page.locator('.fo-graph-copy').isHidden(), true, 'Copy Mermaid only in the Mermaid view');
    assert.equal(await h.page.locator('.fo-mermaid-canvas').isHidden(), true);
    assert.equal(await h.page.locator('.fo-graph-canvas').isVisible(), true);
    assert.equal(await h.page.locator('.fo-graph-canvas g.node').count(), 13, 'our graph, with the edit');
    assert.ok(await h.page.locator('.fo-graph-canvas g.node[data-id="buses"]').count() === 1);
    assert.equal(await b.textContent(), 'Mermaid');
    assert.equal(h.requested.filter((p) => p.endsWith('mermaid.min.js')).length, 1, 'loaded once');
    assert.deepEqual(h.errors, []);
    assert.deepEqual(await errorsPosted(h.page), []);
    await h.page.close();
  });

  it('a plan label holding <img src=x onerror=…> is drawn as text by Mermaid: nothing injected, nothing run', async () => {
    const h = await openHostPage();
    const evil = '<img src=x onerror="window.__pwned=1;alert(1)">';
    const plan = {
      name: 'hostile',
      tools: [
        { id: 'a', label: evil, kind: 'simulate', args: { durationMs: 100 } },
        { id: 'b', label: `${evil}<script>window.__pwned=2</script>`, kind: 'simulate', args: { durationMs: 100 }, dependsOn: ['a'] },
      ],
    };
    await h.show(viewOf(JSON.stringify(plan)));
    await toggle(h);
    const labels = await mermaidLabels(h.page);
    assert.equal(labels.length, 2);
    assert.ok(labels.some((l) => l.includes('<img src=x onerror=')), `label shown as text: ${JSON.stringify(labels)}`);
    const injected = await h.page.evaluate(() => ({
      elements: document.querySelectorAll('.fo-mermaid-canvas img, .fo-mermaid-canvas script, .fo-mermaid-canvas [onerror], .fo-mermaid-canvas [onload]').length,
      pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
    }));
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(injected, { elements: 0, pwned: null });
    assert.equal(h.dialogs(), 0);
    assert.deepEqual(h.errors, []);
    await h.page.close();
  });

  it('above 60 tools the button is disabled and says why; mermaid.min.js is never loaded', async () => {
    const h = await openHostPage();
    await h.show(viewOf(layeredPlan(61)));
    const b = h.page.locator('.fo-graph-mode');
    assert.equal(await b.isDisabled(), true);
    assert.match(await b.getAttribute('title') ?? '', /up to 60 tools: this plan has 61/);
    assert.equal(await b.getAttribute('aria-label'), await b.getAttribute('title'));
    await b.click({ force: true });
    await h.settled();
    assert.equal(await h.page.locator('.fo-mermaid-canvas').isHidden(), true);
    // At 60 it is offered.
    await h.show(viewOf(layeredPlan(60)));
    assert.equal(await b.isDisabled(), false);
    // From MERMAID_NOTE_TOOLS (26) the warning shows beside the button; at 25 it does not.
    assert.equal(await h.page.locator('#fo-graph-mode-note').isVisible(), true, 'a 60-tool graph warns');
    assert.match(await h.page.locator('#' + (await b.getAttribute('aria-describedby'))).textContent() ?? '', /main thread.*pause the view/);
    await h.show(viewOf(layeredPlan(26)));
    assert.equal(await h.page.locator('#fo-graph-mode-note').isVisible(), true, 'a 26-tool graph warns');
    await h.show(viewOf(layeredPlan(25)));
    assert.equal(await h.page.locator('#fo-graph-mode-note').isHidden(), true, 'a 25-tool graph does not');
    assert.deepEqual(h.requested, ['/dist/webview/planView.js']);
    assert.deepEqual(h.errors, []);
    await h.page.close();
  });
});

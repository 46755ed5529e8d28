// The plan view bundle in real headless Chromium, driven by the protocol messages the host sends.
// Analyses come from the real core (parse + analyze + renderMermaid) through the host's converter.
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostToView, ViewAnalysis, ViewRunEvent } from '../../src/protocol/planView';
import { analyzeForView } from '../../src/extension/planView/toView';
import { planViewHtml } from '../../src/extension/planView/html';
import { browser, closeBrowser, openWebview, type WebviewPage } from './helpers/chromium';
import { batches, fakeRun } from '../unit/planView/fakeRun';
import { layeredPlan, TRIP_PLAN } from '../unit/planView/plans';

const ROOT = join(__dirname, '..', '..');

function viewOf(text: string, fileLabel = 'plan.toolplan.json'): ViewAnalysis {
  return analyzeForView(text, { uri: `file:///work/${fileLabel}`, fileLabel }, { analyze: { cores: 4 } });
}

async function open(options: { themeClass?: string } = {}): Promise<WebviewPage> {
  return openWebview({ scripts: ['planView.js'], styles: ['planView.css'], ...options });
}

async function graphSettled(view: WebviewPage): Promise<void> {
  await view.page.evaluate(async () => {
    await (window as unknown as { fanoutPlanView: { graphSettled: Promise<void> } }).fanoutPlanView.graphSettled;
  });
}

/** Waits for the next redraw (the app draws at most once per animation frame). */
/**
 * Waits until messages already posted have been handled and drawn: a task first (the message events
 * are tasks queued before it), then two frames (the app batches rendering on requestAnimationFrame).
 * A single frame is not enough on a loaded machine, where a frame can come before the message task.
 */
async function drawn(view: WebviewPage): Promise<void> {
  await view.page.evaluate(() => new Promise<void>((r) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0))), 0)));
}

async function sendAll(view: WebviewPage, messages: readonly HostToView[]): Promise<void> {
  for (const m of messages) await view.send(m);
  await drawn(view);
}

function rowStatuses(view: WebviewPage): Promise<Record<string, string>> {
  return view.page.evaluate(() => {
    const out: Record<string, string> = {};
    for (const r of Array.from(document.querySelectorAll<HTMLElement>('.fo-row'))) out[r.querySelector('.fo-row-label')?.textContent ?? ''] = r.dataset.status ?? '';
    return out;
  });
}

function stat(view: WebviewPage, key: string): Promise<string | null> {
  return view.page.evaluate((k) => document.querySelector(`[data-stat="${k}"]`)?.textContent ?? null, key);
}

describe('plan view webview', function () {
  this.timeout(120_000);
  after(closeBrowser);

  it('posts ready, then renders a 50-tool graph as SVG with one status-coloured node per tool', async () => {
    const view = await open();
    assert.deepEqual(await view.posted(), [{ type: 'ready' }]);
    const a = viewOf(layeredPlan(50));
    assert.equal(a.mermaidMode, 'full');
    await view.send({ type: 'analysis', analysis: a });
    await graphSettled(view);
    const info = await view.page.evaluate(() => ({
      svgs: document.querySelectorAll('.fo-graph-canvas svg').length,
      nodes: document.querySelectorAll('.fo-graph-canvas g.node[data-tool]').length,
      pending: document.querySelectorAll('.fo-graph-canvas g.node.fo-st-pending').length,
      critical: document.querySelectorAll('.fo-graph-canvas g.node.critical').length,
      title: document.querySelector('h1')?.textContent,
    }));
    assert.equal(info.svgs, 1);
    assert.equal(info.nodes, 50);
    assert.equal(info.pending, 50);
    assert.equal(info.critical, a.criticalPath.tools.length);
    assert.ok(a.criticalPath.tools.length > 1);
    assert.equal(info.title, 'Layered 50');
    assert.deepEqual(await view.state(), { uri: a.uri });
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });

  it('colours the node shape of every tool kind by status', async () => {
    const view = await open();
    const kinds: [string, string, Record<string, unknown>][] = [['a', 'simulate', { durationMs: 1 }], ['b', 'shell', { command: 'x' }], ['c', 'http', { url: 'https://x' }], ['d', 'cpu', { durationMs: 1 }], ['e', 'vscode.command', { command: 'x' }], ['f', 'vscode.lm', { tool: 'x' }]];
    const a = viewOf(JSON.stringify({ tools: kinds.map(([id, kind, args]) => ({ id, kind, args, timeoutMs: 10 })) }));
    await view.send({ type: 'analysis', analysis: a });
    await graphSettled(view);
    const fills = (): Promise<string[]> => view.page.evaluate(() => Array.from(document.querySelectorAll('g.node[data-tool]')).map((g) => {
      const shape = g.querySelector('.label-container:not(g), g.label-container > path') as Element;
      return getComputedStyle(shape).fill;
    }));
    const before = await fills();
    await sendAll(view, [
      { type: 'run-started', runId: 'r', mode: 'simulate', tools: a.tools.map((t) => t.id), slots: null },
      { type: 'run-events', runId: 'r', events: a.tools.map((t) => ({ type: 'failed', at: 1, id: t.id, error: 'x' })) },
    ]);
    const after = await fills();
    assert.equal(after.length, 6);
    after.forEach((f, i) => assert.notEqual(f, before[i], `${kinds[i][1]} node shape not recoloured`));
    assert.equal(new Set(after).size, 1, 'one colour for one status, whatever the shape');
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });

  it('drives the timeline, graph and summary from run-started, batched run-events and run-ended', async () => {
    const view = await open();
    const a = viewOf(TRIP_PLAN, 'trip.toolplan.yaml');
    const run = fakeRun(a, { cap: 4, failOnce: ['flights'], failAlways: ['visas'], retryDelayMs: 150 });
    await view.send({ type: 'analysis', analysis: a });
    await graphSettled(view);
    const ids = a.tools.map((t) => t.id);
    await sendAll(view, [{ type: 'run-started', runId: 'r1', mode: 'simulate', tools: ids, slots: 4 }]);
    assert.equal(await view.page.evaluate(() => (document.querySelector('.fo-toolbar button:nth-child(3)') as HTMLButtonElement).disabled), false, 'Cancel enabled while running');

    // Halfway: some tools done, the rest pending/queued/running.
    const half = run.events.findIndex((e) => e.type === 'started' && e.id === 'itinerary');
    await sendAll(view, [{ type: 'run-events', runId: 'r1', events: run.events.slice(0, half + 1) }]);
    let st = await rowStatuses(view);
    assert.equal(st.profile, 'succeeded');
    assert.equal(st.itinerary, 'running');
    assert.equal(st.report, 'pending');
    assert.equal(await view.page.evaluate(() => document.querySelector('g.node[data-tool="t10"]')?.classList.contains('fo-st-running')), true, 'graph node coloured running');

    await sendAll(view, [
      { type: 'run-events', runId: 'r1', events: run.events.slice(half + 1) },
      { type: 'run-ended', runId: 'r1', record: run.record },
    ]);
    st = await rowStatuses(view);
    assert.equal(st.flights, 'succeeded');
    assert.equal(st.visas, 'failed');
    assert.equal(st.report, 'skipped');
    assert.equal(st.itinerary, 'succeeded');
    const flights = await view.page.evaluate(() => {
      const row = Array.from(document.querySelectorAll<HTMLElement>('.fo-row')).find((r) => r.querySelector('.fo-row-label')?.textContent === 'flights') as HTMLElement;
      return { attempts: row.querySelectorAll('.fo-span-attempt').length, failed: row.querySelectorAll('.fo-span-failed').length, retry: row.querySelectorAll('.fo-span-retry').length, label: row.getAttribute('aria-label') ?? '' };
    });
    assert.deepEqual([flights.attempts, flights.failed, flights.retry], [2, 1, 1]);
    assert.match(flights.label, /Attempt 1: .* failed: HTTP 503 from flights/);
    assert.match(flights.label, /Attempt 2: .* ok/);
    const visas = await view.page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('.fo-row')).find((r) => r.querySelector('.fo-row-label')?.textContent === 'visas')?.getAttribute('aria-label'));
    assert.match(visas ?? '', /Error: HTTP 503 from visas/);
    assert.equal(await view.page.evaluate(() => document.querySelector('g.node[data-tool="t9"]')?.classList.contains('fo-st-failed')), true);
    assert.equal(await view.page.evaluate(() => document.querySelector('g.node[data-tool="t11"]')?.classList.contains('fo-st-skipped')), true);

    // Summary: actual figures from the record and the events.
    const ms = (s: string | null): number => {
      const m = /([\d.]+) (ms|s)/.exec(s ?? '');
      assert.ok(m, `not a duration: ${s}`);
      return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
    };
    assert.ok(Math.abs(ms(await stat(view, 'makespan')) - run.record.makespanMs) <= 10);
    assert.equal(await stat(view, 'max-concurrency'), String(run.record.maxObservedConcurrency));
    const busy = run.record.tools.flatMap((t) => t.attempts).reduce((s, x) => s + (x.endedAt - x.startedAt), 0);
    assert.equal(await stat(view, 'utilisation'), `${Math.round((busy / (run.record.makespanMs * 4)) * 100)}%`);
    assert.equal(await stat(view, 'attempts'), String(run.record.tools.reduce((s, t) => s + t.attempts.length, 0)));
    assert.match((await stat(view, 'outcome')) ?? '', /10 succeeded, 1 failed, 1 skipped/);
    assert.equal(await view.page.evaluate(() => (document.querySelector('.fo-toolbar button:nth-child(3)') as HTMLButtonElement).disabled), true, 'Cancel disabled after the run');
    assert.deepEqual(view.errors, []);
    assert.ok(!(await view.posted()).some((m) => (m as { type: string }).type === 'error'));
    await view.page.close();
  });

  it('keeps hostile plan names, labels, errors and history inert: no element injected, no dialog', async () => {
    const view = await open();
    let dialogs = 0;
    view.page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    const evil = '<img src=x onerror="alert(1)">';
    const plan = {
      name: `${evil}"><script>alert(2)</script>`,
      tools: [
        { id: 'a', kind: 'simulate', args: { durationMs: 100 } },
        { id: 'b', kind: 'simulate', args: { durationMs: 100 }, dependsOn: ['a'] },
      ],
    };
    const a0 = viewOf(JSON.stringify(plan));
    // Labels of imported calls are free text: put hostile ones in the view the host would send.
    const a: ViewAnalysis = {
      ...a0,
      fileLabel: 'javascript:alert(3)',
      tools: a0.tools.map((t) => ({ ...t, label: `${evil}<svg onload=alert(4)>` })),
      diagnostics: [{ code: 'straggler', severity: 'info', message: evil, tools: ['a'], line: 1, column: 1, lesson: '"><script>alert(5)</script>', suggestion: 'javascript:alert(6)' }],
    };
    await view.send({ type: 'analysis', analysis: a });
    await graphSettled(view);
    await sendAll(view, [
      { type: 'history', runs: [{ runId: `${evil}`, mode: 'run', startedAt: evil, status: 'failed', makespanMs: 1 }] },
      { type: 'run-started', runId: 'r', mode: 'run', tools: ['a', 'b'], slots: null },
      { type: 'run-events', runId: 'r', events: [
        { type: 'queued', at: 0, id: 'a' }, { type: 'started', at: 0, id: 'a', attempt: 1 },
        { type: 'failed', at: 5, id: 'a', error: `${evil}"><script>alert(7)</script>` },
        { type: 'skipped', at: 5, id: 'b', reason: 'javascript:alert(8)' },
        { type: 'started', at: 6, id: '<img src=x onerror=alert(9)>', attempt: 1 },
      ] },
    ]);
    await view.page.waitForTimeout(200);
    const found = await view.page.evaluate(() => ({
      imgs: document.querySelectorAll('img').length,
      scripts: Array.from(document.querySelectorAll('script')).filter((s) => !s.hasAttribute('nonce')).length,
      svgScripts: document.querySelectorAll('svg script, foreignObject script').length,
      handlers: Array.from(document.querySelectorAll('*')).filter((e) => Array.from(e.attributes).some((x) => /^on/i.test(x.name))).length,
      links: document.querySelectorAll('a[href]').length,
      title: document.querySelector('h1')?.textContent,
      diag: document.querySelector('.fo-diag-message')?.textContent,
      rowLabel: document.querySelector('.fo-row .fo-row-label')?.textContent,
      rowAria: document.querySelector('.fo-row')?.getAttribute('aria-label'),
    }));
    assert.equal(found.imgs, 0);
    assert.equal(found.scripts, 0);
    assert.equal(found.svgScripts, 0);
    assert.equal(found.handlers, 0);
    assert.equal(found.links, 0);
    assert.equal(found.title, plan.name);
    assert.equal(found.diag, evil);
    assert.ok(found.rowLabel?.includes('<img src=x'), 'label shown as text');
    assert.ok(found.rowAria?.includes('"><script>alert(7)</script>'), 'error shown as text');
    // The lesson id is only ever passed back to the host as data.
    await view.page.click('.fo-diag-actions button');
    assert.deepEqual((await view.posted()).at(-1), { type: 'open-lesson', lesson: '"><script>alert(5)</script>', code: 'straggler' });
    assert.equal(dialogs, 0);
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });

  it('renders a 1,000-tool timeline and applies 10 batches smoothly, with a bounded DOM and no errors', async () => {
    const view = await open();
    const a = viewOf(layeredPlan(1000, 'Big', 25, 16));
    assert.equal(a.mermaidMode, 'summary', 'the host summarises graphs this large');
    const run = fakeRun(a, { cap: 16, failOnce: ['tool_10', 'tool_500'], failAlways: ['tool_900'] });
    await view.send({ type: 'analysis', analysis: a });
    await graphSettled(view);
    await sendAll(view, [{ type: 'run-started', runId: 'big', mode: 'simulate', tools: a.tools.map((t) => t.id), slots: 16 }]);
    const t0 = Date.now();
    for (const b of batches(run.events, 10)) await view.send({ type: 'run-events', runId: 'big', events: b });
    await drawn(view);
    const elapsed = Date.now() - t0;
    await sendAll(view, [{ type: 'run-ended', runId: 'big', record: run.record }]);
    const info = await view.page.evaluate(() => ({
      rows: document.querySelectorAll('.fo-row').length,
      setsize: document.querySelector('.fo-row')?.getAttribute('aria-setsize'),
      height: (document.querySelector('.fo-tl-spacer') as HTMLElement).style.height,
      caption: document.getElementById('fo-timeline-caption')?.textContent ?? '',
    }));
    assert.ok(info.rows > 10 && info.rows < 120, `virtualised rows in the DOM: ${info.rows}`);
    assert.equal(info.setsize, '1000');
    assert.equal(info.height, `${1000 * 24}px`);
    assert.match(info.caption, /failed/);
    // Scroll to the end: the last rows render with their final state.
    await view.page.evaluate(() => { const v = document.querySelector('.fo-tl-viewport') as HTMLElement; v.scrollTop = v.scrollHeight; });
    await drawn(view);
    const last = await view.page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('.fo-row')).map((r) => r.dataset.index).includes('999'));
    assert.ok(last, 'row 999 rendered after scrolling');
    assert.ok(elapsed < 20_000, `10 batches took ${elapsed} ms`); // sanity bound only; speed is for bench
    assert.deepEqual(view.errors, []);
    assert.ok(!(await view.posted()).some((m) => (m as { type: string }).type === 'error'));
    await view.page.close();
  });

  it('posts run, simulate, cancel and export-trace from real buttons; Cancel is enabled only while running', async () => {
    const view = await open();
    const a = viewOf(TRIP_PLAN, 'trip.toolplan.yaml');
    await view.send({ type: 'analysis', analysis: a });
    await drawn(view);
    const disabled = async (expected: readonly boolean[]): Promise<boolean[]> => {
      // Polls (up to 5 s): the toolbar updates on the next frame after a message, whatever the load.
      const read = (): Promise<boolean[]> => view.page.evaluate(() => Array.from(document.querySelectorAll<HTMLButtonElement>('.fo-toolbar button')).map((b) => b.disabled));
      let last = await read();
      for (let i = 0; i < 50 && JSON.stringify(last) !== JSON.stringify(expected); i++) {
        await new Promise((r) => setTimeout(r, 100));
        last = await read();
      }
      return last;
    };
    assert.deepEqual(await disabled([false, false, true, true]), [false, false, true, true]);
    await view.page.getByRole('button', { name: 'Run', exact: false }).first().click();
    await view.page.getByRole('button', { name: /Simulate/ }).click();
    await sendAll(view, [{ type: 'run-started', runId: 'x', mode: 'run', tools: a.tools.map((t) => t.id), slots: 4 }]);
    assert.deepEqual(await disabled([true, true, false, true]), [true, true, false, true]);
    await view.page.getByRole('button', { name: /Cancel/ }).click();
    const run = fakeRun(a, { cap: 4 });
    await sendAll(view, [{ type: 'run-ended', runId: 'x', record: run.record }]);
    assert.deepEqual(await disabled([false, false, true, false]), [false, false, true, false]);
    await view.page.getByRole('button', { name: /Export trace/ }).click();
    const posted = (await view.posted()).slice(1);
    assert.deepEqual(posted, [{ type: 'run', mode: 'run' }, { type: 'run', mode: 'simulate' }, { type: 'cancel' }, { type: 'export-trace' }]);
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });

  it('is keyboard navigable: Tab reaches the buttons and the rows; arrows move; Enter reveals; history opens a run', async () => {
    const view = await open();
    const a = viewOf(TRIP_PLAN, 'trip.toolplan.yaml');
    await view.send({ type: 'analysis', analysis: a });
    await sendAll(view, [{ type: 'history', runs: [{ runId: 'old-1', mode: 'simulate', startedAt: '2026-11-24T21:00:00Z', status: 'succeeded', makespanMs: 3100 }] }]);
    await graphSettled(view);
    const seen: string[] = [];
    for (let i = 0; i < 12; i++) {
      await view.page.keyboard.press('Tab');
      seen.push(await view.page.evaluate(() => {
        const e = document.activeElement as HTMLElement;
        return e.classList.contains('fo-row') ? `row:${e.dataset.index}` : `${e.tagName}:${e.textContent?.trim().slice(0, 20)}`;
      }));
      if (seen.at(-1)?.startsWith('row:')) break;
    }
    assert.ok(seen.includes('BUTTON:▶ Run'), seen.join(', '));
    assert.ok(seen.includes('BUTTON:▷ Simulate'), seen.join(', '));
    assert.equal(seen.at(-1), 'row:0', seen.join(', '));
    await view.page.keyboard.press('ArrowDown');
    await view.page.keyboard.press('ArrowDown');
    assert.equal(await view.page.evaluate(() => (document.activeElement as HTMLElement).dataset.index), '2');
    await view.page.keyboard.press('Enter');
    const tool = a.tools[2];
    assert.deepEqual((await view.posted()).at(-1), { type: 'reveal', line: tool.line, column: tool.column });
    assert.equal(await view.page.evaluate(() => document.querySelector('g.node.fo-selected')?.getAttribute('data-tool')), 't2', 'focused row highlights its graph node');
    await view.page.keyboard.press('End');
    assert.equal(await view.page.evaluate(() => (document.activeElement as HTMLElement).dataset.index), String(a.tools.length - 1));
    await view.page.keyboard.press('Escape');
    assert.equal(await view.page.evaluate(() => document.querySelectorAll('g.node.fo-selected').length), 0);
    // Onward from the timeline: diagnostics' and history's buttons.
    for (let i = 0; i < 30; i++) {
      await view.page.keyboard.press('Tab');
      if (await view.page.evaluate(() => document.activeElement?.classList.contains('fo-history-item'))) break;
    }
    await view.page.keyboard.press('Enter');
    assert.deepEqual((await view.posted()).at(-1), { type: 'open-run', runId: 'old-1' });
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });

  it('follows a theme change without redrawing the graph (colours are CSS), keeping live statuses', async () => {
    const view = await open({ themeClass: 'vscode-dark' });
    const a = viewOf(TRIP_PLAN, 'trip.toolplan.yaml');
    await view.send({ type: 'analysis', analysis: a });
    await graphSettled(view);
    await sendAll(view, [
      { type: 'run-started', runId: 'r', mode: 'simulate', tools: a.tools.map((t) => t.id), slots: 4 },
      { type: 'run-events', runId: 'r', events: [{ type: 'queued', at: 0, id: 'profile' }, { type: 'started', at: 0, id: 'profile', attempt: 1 }] },
    ]);
    await view.page.evaluate(() => { (window as unknown as { __node: Element | null }).__node = document.querySelector('g.node[data-tool="t0"]'); });
    await view.page.evaluate(() => { document.body.className = 'vscode-light'; });
    await drawn(view);
    await graphSettled(view);
    const after = await view.page.evaluate(() => ({
      svgs: document.querySelectorAll('.fo-graph-canvas svg').length,
      same: (window as unknown as { __node: Element | null }).__node === document.querySelector('g.node[data-tool="t0"]'),
      running: document.querySelector('g.node[data-tool="t0"]')?.classList.contains('fo-st-running'),
    }));
    assert.equal(after.svgs, 1);
    assert.equal(after.same, true, 'the same node element: no redraw on a theme change');
    assert.equal(after.running, true);
    assert.deepEqual(view.errors, []);
    assert.ok(!(await view.posted()).some((m) => (m as { type: string }).type === 'error'));
    await view.page.close();
  });

  it('loads from the host HTML under the panel CSP: scripts run by nonce only, the graph draws without violations', async () => {
    const b = await browser();
    const page = await b.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    const origin = 'https://webview.test';
    const html = planViewHtml({
      cspSource: origin, nonce: 'n0nceForTest', title: 'Fanout: <b>x</b>',
      appScript: `${origin}/dist/webview/planView.js`, mermaidScript: `${origin}/dist/webview/mermaid.min.js`, stylesheet: `${origin}/media/planView.css`,
    }).replace('<body>', '<body class="vscode-dark"><script>document.body.dataset.pwned = "1"</script>');
    const shim = `<script nonce="n0nceForTest">window.__posted=[];window.acquireVsCodeApi=()=>({postMessage:(m)=>window.__posted.push(m),getState:()=>null,setState:()=>{}});</script>`;
    await page.route(`${origin}/**`, async (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/index.html') return route.fulfill({ contentType: 'text/html', body: html.replace('<script nonce', `${shim}<script nonce`) });
      const type = path.endsWith('.css') ? 'text/css' : 'text/javascript';
      return route.fulfill({ contentType: type, body: readFileSync(join(ROOT, path)) });
    });
    await page.goto(`${origin}/index.html`);
    await page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);
    await page.evaluate((a) => window.postMessage({ type: 'analysis', analysis: a }, '*'), viewOf(TRIP_PLAN, 'trip.toolplan.yaml') as never);
    await page.waitForFunction(() => document.querySelectorAll('.fo-graph-canvas g.node').length === 12);
    assert.equal(await page.evaluate(() => document.body.dataset.pwned ?? null), null, 'inline script without nonce blocked');
    const violations = errors.filter((e) => !/pwned|inline script|script-src/i.test(e));
    assert.deepEqual(violations, []);
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.fo-header') as Element).position), 'sticky', 'stylesheet loaded from cspSource');
    await page.close();
  });

  it('screenshot: a finished run of a 12-tool plan with one retry and one failure', async () => {
    const view = await openWebview({
      scripts: ['planView.js'], styles: ['planView.css'],
      themeVars: {
        '--vscode-font-family': 'system-ui, Ubuntu, sans-serif',
        '--vscode-charts-blue': '#3794ff', '--vscode-charts-yellow': '#cca700', '--vscode-charts-orange': '#d18616',
        '--vscode-charts-green': '#89d185', '--vscode-charts-purple': '#b180d7', '--vscode-charts-red': '#f14c4c',
        '--vscode-badge-background': '#616161', '--vscode-badge-foreground': '#f8f8f8',
        '--vscode-button-secondaryBackground': '#313131', '--vscode-button-secondaryForeground': '#cccccc',
        '--vscode-editorWidget-background': '#202020', '--vscode-list-hoverBackground': '#2a2d2e',
        '--vscode-list-focusBackground': '#04395e', '--vscode-testing-iconSkipped': '#848484',
        '--vscode-disabledForeground': '#6b6b6b', '--vscode-editor-background': '#1f1f1f',
      },
    });
    await view.page.setViewportSize({ width: 1280, height: 1500 });
    const a = viewOf(TRIP_PLAN, 'trip.toolplan.yaml');
    const run = fakeRun(a, { cap: 4, failOnce: ['flights'], failAlways: ['visas'], retryDelayMs: 150 });
    await view.send({ type: 'analysis', analysis: a });
    await sendAll(view, [
      { type: 'history', runs: [
        { runId: 'r2', mode: 'simulate', startedAt: '2026-11-24T22:41:05Z', status: 'failed', makespanMs: run.record.makespanMs },
        { runId: 'r1', mode: 'run', startedAt: '2026-11-24T22:30:12Z', status: 'succeeded', makespanMs: 3620 },
      ] },
      { type: 'run-started', runId: 'r2', mode: 'simulate', tools: a.tools.map((t) => t.id), slots: 4 },
      ...batches(run.events, 4).map((events): HostToView => ({ type: 'run-events', runId: 'r2', events: events as ViewRunEvent[] })),
      { type: 'run-ended', runId: 'r2', record: run.record },
    ]);
    await graphSettled(view);
    await drawn(view);
    mkdirSync(join(ROOT, 'test-results', 'screenshots'), { recursive: true });
    await view.page.screenshot({ path: join(ROOT, 'test-results', 'screenshots', 'planView.png'), fullPage: true });
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });
});

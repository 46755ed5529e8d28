// An audited trace in the plan view (issue 17), in real headless Chromium: the trip-agent trace
// (test/vscode/fixtures/trip-agent.otlp.json: three GenAI chat turns, two calls of turn 1 run one
// after another, get_weather asked a turn late) audited by the real core, converted by the host's
// converter (src/extension/audit/toView.ts) and posted as the audit panel posts it.
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditTrace, toolRanges } from '../../src/core/trace/audit';
import { auditToView } from '../../src/extension/audit/toView';
import type { ViewAudit } from '../../src/protocol/planView';
import { closeBrowser, openWebview, type WebviewPage } from './helpers/chromium';

const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, 'test-results', 'screenshots');
const THEMES = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'lessons-themes.json'), 'utf8')) as Record<string, { bodyClass: string; vars: Record<string, string> }>;
const TRACE = readFileSync(join(ROOT, 'test', 'vscode', 'fixtures', 'trip-agent.otlp.json'), 'utf8');

function tripView(): ViewAudit {
  const a = auditTrace(TRACE);
  return auditToView(a, { uri: 'file:///work/trip-agent.otlp.json', fileLabel: 'trip-agent.otlp.json', ranges: toolRanges(a, TRACE) });
}

async function open(width = 900, theme = 'Dark Modern'): Promise<WebviewPage> {
  const t = THEMES[theme]!;
  const view = await openWebview({ scripts: ['planView.js'], styles: ['planView.css'], themeClass: t.bodyClass, themeVars: t.vars });
  await view.page.setViewportSize({ width, height: 900 });
  return view;
}

async function drawn(view: WebviewPage): Promise<void> {
  await view.page.evaluate(() => new Promise<void>((r) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0))), 0)));
}

interface Shown {
  readonly lanes: { label: string; turns: [number, number][] }[];
  readonly rows: { label: string; status: string; span: [number, number] }[];
  readonly axisEnd: string;
  readonly caption: string;
  readonly headline: string;
  readonly pressed: string[];
  readonly codes: string[];
  readonly graphHidden: boolean;
  readonly runButtons: number;
}

/** Span positions as [left, right] in % of the axis, rounded to 0.1. */
function shown(view: WebviewPage): Promise<Shown> {
  // No named helpers inside evaluate: the test's transform would wrap them in a helper the page lacks.
  return view.page.evaluate(() => ({
    lanes: Array.from(document.querySelectorAll<HTMLElement>('.fo-turn-lanes:not([hidden]) .fo-turn-lane')).map((l) => ({
      label: l.querySelector('.fo-row-label')?.textContent ?? '',
      turns: Array.from(l.querySelectorAll<HTMLElement>('.fo-span-turn')).map((b) => [Math.round(parseFloat(b.style.left) * 10) / 10, Math.round((parseFloat(b.style.left) + parseFloat(b.style.width)) * 10) / 10] as [number, number]),
    })),
    rows: Array.from(document.querySelectorAll<HTMLElement>('.fo-row')).sort((x, y) => Number(x.dataset.index) - Number(y.dataset.index)).map((r) => {
      const s = r.querySelector<HTMLElement>('.fo-span-attempt')!;
      return { label: r.querySelector('.fo-row-label')?.textContent ?? '', status: r.dataset.status ?? '', span: [Math.round(parseFloat(s.style.left) * 10) / 10, Math.round((parseFloat(s.style.left) + parseFloat(s.style.width)) * 10) / 10] as [number, number] };
    }),
    axisEnd: document.querySelector('.fo-axis-track .fo-tick:last-child')?.textContent ?? '',
    caption: document.querySelector('#fo-timeline-caption')?.textContent ?? '',
    headline: document.querySelector('[data-testid="audit-headline"]')?.textContent ?? '',
    pressed: Array.from(document.querySelectorAll<HTMLElement>('.fo-audit-toggle [aria-pressed="true"]')).map((b) => b.textContent ?? ''),
    codes: Array.from(document.querySelectorAll<HTMLElement>('.fo-diagnostic .fo-code')).map((c) => c.textContent ?? ''),
    graphHidden: Array.from(document.querySelectorAll<HTMLElement>('.fo-graph, .fo-section.fo-graph-section')).every((g) => g.closest('[hidden]') !== null || g.offsetParent === null),
    runButtons: Array.from(document.querySelectorAll<HTMLElement>('button')).filter((b) => /Run|Simulate/.test(b.textContent ?? '') && b.offsetParent !== null).length,
  }));
}

function overflowing(view: WebviewPage): Promise<string[]> {
  return view.page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('body *'))
    .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
    .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}px`).slice(0, 8));
}

describe('plan view webview: an audited trace', function () {
  this.timeout(120_000);
  after(closeBrowser);

  it('as it ran: the model lane with its three turns, one row per call at its recorded times, actual 9 s → 4.97 s', async () => {
    const a = tripView();
    const view = await open();
    await view.send({ type: 'audit', audit: a });
    await drawn(view);
    const s = await shown(view);
    assert.equal(s.axisEnd, '10 s');
    // Turns 0–1 s, 5.03–6.03 s, 7.05–9 s on a 10 s axis.
    assert.deepEqual(s.lanes, [{ label: 'model', turns: [[0, 10], [50.3, 60.3], [70.5, 90]] }]);
    assert.deepEqual(s.rows, [
      { label: '1·search_flights', status: 'succeeded', span: [10.1, 30.1] },
      { label: '1·search_hotels', status: 'succeeded', span: [30.2, 50.2] },
      { label: '2·get_weather', status: 'succeeded', span: [60.4, 70.4] },
    ]);
    assert.equal(s.headline, 'actual 9 s → 4.97 s scheduled by Fanout (1.81×)');
    assert.deepEqual(s.pressed, ['As it ran']);
    assert.match(s.caption, /^As it ran: 3 tool calls at the times the trace recorded, 9 s in all\./);
    assert.deepEqual(s.codes, ['serialized-batch', 'missed-parallelism']);
    assert.equal(s.runButtons, 0, 'a trace has no run or simulate button');
    assert.equal(await view.page.evaluate(() => document.querySelector('[data-stat="saving-serialized"]')?.textContent), '−2.01 s');
    assert.equal(await view.page.evaluate(() => document.querySelector('[data-stat="turns-removed"]')?.textContent), '1 (1.01 s)');
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });

  it('scheduled by Fanout: the batch runs together, get_weather joins turn 1, turn 2 is gone; same axis', async () => {
    const a = tripView();
    const view = await open();
    await view.send({ type: 'audit', audit: a });
    await view.page.click('.fo-audit-toggle button[data-schedule="counterfactual"]');
    await drawn(view);
    const s = await shown(view);
    assert.deepEqual(s.pressed, ['Scheduled by Fanout']);
    assert.equal(s.axisEnd, '10 s', 'the axis stays the actual length: the shorter schedule ends early');
    assert.equal(s.lanes[0].turns.length, 2, 'the turn that only asked for get_weather is dropped');
    const starts = s.rows.map((r) => r.span[0]);
    assert.equal(new Set(starts).size, 1, `all three calls start together: ${starts.join(', ')}`);
    assert.ok(Math.max(...s.rows.map((r) => r.span[1])) < 50, 'and end before half the axis');
    assert.match(s.caption, /^Scheduled by Fanout: the same calls with their measured durations, 4\.97 s in all \(actual 9 s\), 1 turn no longer needed\./);
    // And back.
    await view.page.click('.fo-audit-toggle button[data-schedule="actual"]');
    await drawn(view);
    assert.deepEqual((await shown(view)).rows.map((r) => r.span[0]), [10.1, 30.2, 60.4]);
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });

  it('Learn why asks for the lesson section of the code; a row reveals its span in the trace', async () => {
    const a = tripView();
    const view = await open();
    await view.send({ type: 'audit', audit: a });
    await drawn(view);
    await view.page.click('.fo-diagnostic button[aria-label="Learn why: serialized-batch"]');
    await view.page.click('.fo-row[data-index="0"]');
    await view.page.click('button:text("Text report")');
    const posted = (await view.posted()).filter((m) => (m as { type: string }).type !== 'ready');
    assert.deepEqual(posted, [
      { type: 'open-lesson', lesson: 'sequential-baseline', code: 'serialized-batch' },
      // search_flights' spanId in the trace (the same place the Problems entry points at).
      { type: 'reveal', line: 79, column: 18 },
      { type: 'open-audit-report' },
    ]);
    assert.deepEqual(await view.state(), { uri: 'file:///work/trip-agent.otlp.json' });
    await view.page.close();
  });

  it('screenshots: light and dark at 900 px and in the 300 px side column, both schedules', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const a = tripView();
    for (const [theme, slug] of [['Light Modern', 'light'], ['Dark Modern', 'dark']] as const) {
      for (const width of [300, 900]) {
        const view = await open(width, theme);
        await view.send({ type: 'audit', audit: a });
        await drawn(view);
        await view.page.screenshot({ path: join(SHOTS, `planView-audit-${slug}-${width}.png`), fullPage: true });
        assert.equal(await view.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0, `no horizontal overflow at ${width} px: ${(await overflowing(view)).join(', ')}`);
        await view.page.click('.fo-audit-toggle button[data-schedule="counterfactual"]');
        await drawn(view);
        await view.page.screenshot({ path: join(SHOTS, `planView-audit-fanout-${slug}-${width}.png`), fullPage: true });
        assert.equal((await shown(view)).lanes[0].turns.length, 2);
        assert.deepEqual(view.errors, []);
        await view.page.close();
      }
    }
  });
});

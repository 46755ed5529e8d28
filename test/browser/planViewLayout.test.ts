// The plan view's layout from the side column (300 px) to a wide editor, its loading frame and the
// first timeline row of a run, in real headless Chromium under VS Code's captured theme colours
// (fixtures/lessons-themes.json: read from code-server's webviews).
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostToView, ViewAnalysis, ViewRunEvent } from '../../src/protocol/planView';
import { analyzeForView } from '../../src/extension/planView/toView';
import { closeBrowser, openWebview, type WebviewPage } from './helpers/chromium';
import { batches, fakeRun } from '../unit/planView/fakeRun';
import { TRIP_PLAN } from '../unit/planView/plans';

const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, 'test-results', 'screenshots');
const THEMES = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'lessons-themes.json'), 'utf8')) as Record<string, { bodyClass: string; vars: Record<string, string> }>;

function viewOf(text: string, fileLabel: string): ViewAnalysis {
  return analyzeForView(text, { uri: `file:///work/${fileLabel}`, fileLabel }, { analyze: { cores: 4 } });
}

async function open(width: number, theme = 'Dark Modern'): Promise<WebviewPage> {
  const t = THEMES[theme];
  const view = await openWebview({ scripts: ['planView.js'], styles: ['planView.css'], themeClass: t.bodyClass, themeVars: t.vars });
  await view.page.setViewportSize({ width, height: 900 });
  return view;
}

async function drawn(view: WebviewPage): Promise<void> {
  await view.page.evaluate(() => new Promise<void>((r) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0))), 0)));
}

/** A finished trip-planner run with a retry, a failure, two history rows: every part of the view filled. */
async function fill(view: WebviewPage): Promise<void> {
  const a = viewOf(TRIP_PLAN, 'trip.toolplan.yaml');
  const run = fakeRun(a, { cap: 4, failOnce: ['flights'], failAlways: ['visas'], retryDelayMs: 150 });
  const msgs: HostToView[] = [
    { type: 'analysis', analysis: a },
    { type: 'history', runs: [
      { runId: 'r2', mode: 'simulate', startedAt: '2026-11-24T22:41:05Z', status: 'failed', makespanMs: run.record.makespanMs },
      { runId: 'r1', mode: 'run', startedAt: '2026-11-24T22:30:12Z', status: 'succeeded', makespanMs: 3620 },
    ] },
    { type: 'run-started', runId: 'r2', mode: 'simulate', tools: a.tools.map((t) => t.id), slots: 4 },
    ...batches(run.events, 4).map((events): HostToView => ({ type: 'run-events', runId: 'r2', events: events as ViewRunEvent[] })),
    { type: 'run-ended', runId: 'r2', record: run.record },
  ];
  for (const m of msgs) await view.send(m);
  await view.page.evaluate(async () => {
    await (window as unknown as { fanoutPlanView: { graphSettled: Promise<void> } }).fanoutPlanView.graphSettled;
  });
  await drawn(view);
}

interface LayoutReport {
  readonly overflowPx: number;
  readonly overlappingTicks: string[];
  readonly ticks: number;
  readonly wrappedStats: string[];
  readonly clippedHistory: string[];
  readonly labelPx: number;
  readonly trackPx: number;
}

function layout(view: WebviewPage): Promise<LayoutReport> {
  return view.page.evaluate(() => {
    const doc = document.documentElement;
    const ticks = Array.from(document.querySelectorAll<HTMLElement>('.fo-tick')).map((t) => ({ text: t.textContent ?? '', r: t.getBoundingClientRect() }));
    const overlappingTicks: string[] = [];
    for (let i = 1; i < ticks.length; i++) if (ticks[i].r.left < ticks[i - 1].r.right + 2) overlappingTicks.push(`${ticks[i - 1].text} | ${ticks[i].text}`);
    const track = document.querySelector('.fo-axis-track')?.getBoundingClientRect();
    for (const t of ticks) if (track && (t.r.left < track.left - 1 || t.r.right > track.right + 1)) overlappingTicks.push(`${t.text} outside the track`);
    const wrappedStats = Array.from(document.querySelectorAll<HTMLElement>('.fo-stats dd:not(.fo-wide)'))
      .filter((d) => d.getBoundingClientRect().height > (parseFloat(getComputedStyle(d).lineHeight) || 20) * 1.5).map((d) => `${d.dataset.stat}: ${d.textContent}`);
    const clippedHistory = Array.from(document.querySelectorAll<HTMLElement>('.fo-history-item > span'))
      .filter((s) => s.scrollWidth > s.clientWidth + 1).map((s) => s.textContent ?? '');
    const row = document.querySelector('.fo-row');
    return {
      overflowPx: Math.max(0, doc.scrollWidth - doc.clientWidth),
      overlappingTicks, ticks: ticks.length, wrappedStats, clippedHistory,
      labelPx: row?.querySelector('.fo-row-label')?.getBoundingClientRect().width ?? 0,
      trackPx: row?.querySelector('.fo-row-track')?.getBoundingClientRect().width ?? 0,
    };
  });
}

describe('plan view layout and loading frame', function () {
  this.timeout(120_000);
  after(closeBrowser);

  // Just above the one-column breakpoint the summary has two pairs a line; a plan with no cap
  // once showed its Cap as "unbounde / d" at 450 px.
  for (const width of [430, 450, 480]) {
    it(`at ${width} px, a plan with no cap: every summary value on one line`, async () => {
      const view = await open(width);
      await view.send({ type: 'analysis', analysis: { ...viewOf(TRIP_PLAN, 'trip.toolplan.yaml'), maxConcurrency: null } });
      await drawn(view);
      const r = await layout(view);
      assert.deepEqual(r.wrappedStats, []);
      assert.equal(r.overflowPx, 0);
      // …and none cut short with an ellipsis instead.
      const clipped = await view.page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('.fo-stats dd:not(.fo-wide)'))
        .filter((d) => d.scrollWidth > d.clientWidth + 1).map((d) => `${d.dataset.stat}: ${d.textContent}`));
      assert.deepEqual(clipped, []);
      await view.page.close();
    });
  }

  // 260 and 276: the beside column of a 900×700 window with the explorer (≈276 px) and below it;
  // 1100–1280: the run history is the one-third column, where its date was cut ("Dec 7, 03:29:46 …").
  for (const width of [260, 276, 300, 350, 900, 1100, 1280]) {
    it(`at ${width} px: no horizontal overflow, no overlapping ticks, numbers on one line, history not clipped`, async () => {
      const view = await open(width);
      await fill(view);
      const r = await layout(view);
      assert.equal(r.overflowPx, 0, `page is ${r.overflowPx} px wider than the view`);
      assert.deepEqual(r.overlappingTicks, []);
      assert.ok(r.ticks >= 2, `${r.ticks} ticks`);
      assert.deepEqual(r.wrappedStats, []);
      assert.deepEqual(r.clippedHistory, []);
      // The bars keep most of the row: the label column gives way in a narrow view.
      assert.ok(r.trackPx > r.labelPx, `track ${r.trackPx} px, label ${r.labelPx} px`);
      assert.deepEqual(view.errors, []);
      await view.page.close();
    });
  }

  // A run of today reads "today 10:41:05 PM", one of yesterday "yesterday 10:30 PM", older ones
  // lose their seconds; the whole date is the row's tooltip (and its accessible name).
  for (const width of [276, 1100]) {
    it(`at ${width} px the run history shows when each run started whole, in a short form, the full date in its tooltip`, async () => {
      const view = await open(width);
      const now = Date.now();
      await view.send({ type: 'analysis', analysis: viewOf(TRIP_PLAN, 'trip.toolplan.yaml') });
      await view.send({ type: 'history', runs: [
        { runId: 'r3', mode: 'simulate', startedAt: new Date(now - 5_000).toISOString(), status: 'cancelled', makespanMs: 1234 },
        { runId: 'r2', mode: 'run', startedAt: new Date(now - 86_400_000).toISOString(), status: 'succeeded', makespanMs: 3620 },
        { runId: 'r1', mode: 'run', startedAt: '2025-03-02T09:15:00Z', status: 'failed', makespanMs: 61_000 },
      ] });
      await drawn(view);
      const rows = await view.page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('.fo-history-when')).map((s) => ({
        text: s.textContent ?? '', title: s.title, cut: s.scrollWidth > s.clientWidth + 1,
        inside: s.getBoundingClientRect().right <= (s.closest('.fo-history-item')?.getBoundingClientRect().right ?? 0) + 1,
      })));
      assert.equal(rows.length, 3);
      assert.match(rows[0].text, /^today \d/);
      assert.match(rows[1].text, /^yesterday \d/);
      assert.match(rows[2].text, /2025/);
      for (const r of rows) {
        assert.equal(r.cut, false, `"${r.text}" is cut`);
        assert.ok(r.inside, `"${r.text}" runs out of its row`);
        // The tooltip has the year, the day and the seconds.
        assert.match(r.title, /20\d\d/);
        assert.match(r.title, /\d\d:\d\d:\d\d/);
      }
      assert.equal((await layout(view)).overflowPx, 0);
      await view.page.close();
    });
  }

  it('screenshots: light and dark at 350 px and 900 px', async () => {
    mkdirSync(SHOTS, { recursive: true });
    for (const [theme, slug] of [['Light Modern', 'light'], ['Dark Modern', 'dark']] as const) {
      for (const width of [350, 900]) {
        const view = await open(width, theme);
        await fill(view);
        await view.page.screenshot({ path: join(SHOTS, `planView-${slug}-${width}.png`), fullPage: true });
        assert.equal((await layout(view)).overflowPx, 0);
        await view.page.close();
      }
    }
  });

  it('paints its frame and a loading state before any analysis arrives', async () => {
    const view = await open(350);
    const before = await view.page.evaluate(() => ({
      loading: document.querySelector('.fo-app-loading')?.textContent ?? null,
      header: document.querySelector('.fo-header') !== null,
      busy: document.getElementById('app')?.getAttribute('aria-busy'),
    }));
    assert.deepEqual(before, { loading: 'Analysing the plan…', header: true, busy: 'true' });
    await view.send({ type: 'analysis', analysis: viewOf(TRIP_PLAN, 'trip.toolplan.yaml') });
    await drawn(view);
    assert.equal(await view.page.evaluate(() => document.querySelector('.fo-app-loading')), null);
    await view.page.close();
  });
});

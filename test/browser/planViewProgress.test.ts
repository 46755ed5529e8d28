// MCP progress on the plan view's timeline (issue 15), in real headless Chromium: a real run against
// server-everything (trigger-long-running-operation: 4 steps over 1.6 s, next to a 0.2 s call),
// its events converted by the host's converter and posted as the host posts them, first up to the
// second progress notification (the run still live), then the rest and the record.
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostToView, ViewAnalysis } from '../../src/protocol/planView';
import { analyzeForView, toViewEvents, toViewRecord } from '../../src/extension/planView/toView';
import type { RunEvent, RunRecord } from '../../src/core/engine/types';
import { closeBrowser, openWebview, type WebviewPage } from './helpers/chromium';
import { PROGRESS_PLAN, progressRun } from '../unit/planView/mcpProgressRun';

const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, 'test-results', 'screenshots');
const THEMES = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'lessons-themes.json'), 'utf8')) as Record<string, { bodyClass: string; vars: Record<string, string> }>;

async function open(width = 900, theme = 'Dark Modern'): Promise<WebviewPage> {
  const t = THEMES[theme]!;
  const view = await openWebview({ scripts: ['planView.js'], styles: ['planView.css'], themeClass: t.bodyClass, themeVars: t.vars });
  await view.page.setViewportSize({ width, height: 700 });
  return view;
}

async function drawn(view: WebviewPage): Promise<void> {
  await view.page.evaluate(() => new Promise<void>((r) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0))), 0)));
}

interface RowProgress {
  readonly status: string;
  readonly text: string | null;
  readonly fillPct: number | null;
  readonly label: string;
}

/** What the row of `id` shows of its progress. */
function rowOf(view: WebviewPage, id: string): Promise<RowProgress> {
  return view.page.evaluate((want) => {
    const row = Array.from(document.querySelectorAll<HTMLElement>('.fo-row')).find((r) => (r.querySelector('.fo-row-label')?.textContent ?? '') === want)!;
    const fill = row.querySelector<HTMLElement>('.fo-span-attempt .fo-progress-fill');
    return {
      status: row.dataset.status ?? '',
      text: row.querySelector('.fo-progress-text')?.textContent ?? null,
      fillPct: fill ? parseFloat(fill.style.width) : null,
      label: row.getAttribute('aria-label') ?? '',
    };
  }, id);
}

/** Waits until the row of `id` shows `text` as its progress (the view draws on the next frame). */
async function waitForText(view: WebviewPage, id: string, text: string | null): Promise<RowProgress> {
  await view.page.waitForFunction(([want, t]) => {
    const row = Array.from(document.querySelectorAll<HTMLElement>('.fo-row')).find((r) => (r.querySelector('.fo-row-label')?.textContent ?? '') === want);
    return row !== undefined && (row.querySelector('.fo-progress-text')?.textContent ?? null) === t;
  }, [id, text] as const);
  return rowOf(view, id);
}

describe('plan view webview: MCP progress on the timeline rows (a real server-everything run)', function () {
  this.timeout(120_000);
  let events: RunEvent[] = [];
  let record: RunRecord;
  let analysis: ViewAnalysis;
  let secondAt = 0;
  before(async () => {
    ({ events, record } = await progressRun());
    analysis = analyzeForView(PROGRESS_PLAN, { uri: 'file:///work/progress.toolplan.json', fileLabel: 'progress.toolplan.json' }, { analyze: { cores: 4 } });
    secondAt = events.findIndex((e) => e.type === 'progress' && e.id === 'slow' && e.progress === 2);
    assert.ok(secondAt > 0, 'the run reported step 2 of 4');
  });
  after(closeBrowser);

  const start: HostToView = { type: 'run-started', runId: 'r1', mode: 'run', tools: ['slow', 'quick'], slots: null };
  const upToSecond = (): HostToView[] => events.slice(0, secondAt + 1).map((e) => ({ type: 'run-events', runId: 'r1', events: toViewEvents([e]) }));
  const rest = (): HostToView[] => [{ type: 'run-events', runId: 'r1', events: toViewEvents(events.slice(secondAt + 1)) }, { type: 'run-ended', runId: 'r1', record: toViewRecord(record) }];

  it('while the call runs, its row shows the latest progress ("2/4") and a fill of half its bar; the tooltip says so', async () => {
    const view = await open();
    for (const m of [{ type: 'analysis', analysis } as HostToView, start, ...upToSecond()]) await view.send(m);
    const slow = await waitForText(view, 'slow', '2/4');
    assert.equal(slow.status, 'running');
    assert.equal(slow.fillPct, 50);
    assert.match(slow.label, /Progress reported by the server: 2\/4 \(50%\)\./);
    assert.equal(await view.page.evaluate(() => document.querySelector<HTMLElement>('.fo-legend-progress')?.hidden), false, 'the legend explains the fill');
    // quick reported its only step and finished before slow's second: no progress shown on a success.
    const quick = await rowOf(view, 'quick');
    assert.equal(quick.status, 'succeeded');
    assert.equal(quick.text, null);
    assert.equal(quick.fillPct, null);
    // The next notification moves it on.
    const third = events.findIndex((e) => e.type === 'progress' && e.id === 'slow' && e.progress === 3);
    await view.send({ type: 'run-events', runId: 'r1', events: toViewEvents(events.slice(secondAt + 1, third + 1)) });
    const moved = await waitForText(view, 'slow', '3/4');
    assert.equal(moved.fillPct, 75);
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });

  it('before any progress the legend has no progress item', async () => {
    const view = await open();
    for (const m of [{ type: 'analysis', analysis } as HostToView, start]) await view.send(m);
    await drawn(view);
    assert.equal(await view.page.evaluate(() => document.querySelector<HTMLElement>('.fo-legend-progress')?.hidden), true);
    await view.page.close();
  });

  it('once the call has succeeded the bar is plain again (the last progress stays in the tooltip)', async () => {
    const view = await open();
    for (const m of [{ type: 'analysis', analysis } as HostToView, start, ...upToSecond(), ...rest()]) await view.send(m);
    const slow = await waitForText(view, 'slow', null);
    assert.equal(slow.status, 'succeeded');
    assert.equal(slow.fillPct, null);
    assert.match(slow.label, /Progress reported by the server: [34]\/4/);
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });

  it('screenshots: light and dark at 900 px and in the 300 px side column, mid-run at 2/4', async () => {
    mkdirSync(SHOTS, { recursive: true });
    for (const [theme, slug] of [['Light Modern', 'light'], ['Dark Modern', 'dark']] as const) {
      for (const width of [300, 900]) {
        const view = await open(width, theme);
        for (const m of [{ type: 'analysis', analysis } as HostToView, start, ...upToSecond()]) await view.send(m);
        await waitForText(view, 'slow', '2/4');
        await drawn(view);
        const box = await view.page.evaluate(() => {
          const text = document.querySelector<HTMLElement>('.fo-progress-text')!;
          const t = text.getBoundingClientRect();
          const track = text.parentElement!.getBoundingClientRect();
          return { left: t.left, right: t.right, trackLeft: track.left, trackRight: track.right };
        });
        assert.ok(box.left >= box.trackLeft - 0.5 && box.right <= box.trackRight + 0.5, `the progress text stays in its track at ${width} px: ${JSON.stringify(box)}`);
        await view.page.locator('.fo-timeline').screenshot({ path: join(SHOTS, `planView-progress-${slug}-${width}.png`) });
        const overflow = await view.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.equal(overflow, 0, `no horizontal overflow at ${width} px`);
        await view.page.close();
      }
    }
  });
});

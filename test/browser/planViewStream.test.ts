// The plan view's model lane for streamed plans (issue 16, plan view slice), in real headless
// Chromium: the course's recorded stream (lessons/samples/streamed-batch.toolplan.json, three calls
// closing at 0.6, 1.1 and 1.6 s, the stream ending at 1.8 s) analysed by the real core, simulated
// by the real engine under both policies (simulateStream, as the extension runs it), its events
// converted by the host's converter and posted as the host posts them.
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostToView, ViewAnalysis } from '../../src/protocol/planView';
import { analyzeForView, toViewEvents, toViewRecord } from '../../src/extension/planView/toView';
import { parsePlan } from '../../src/core/plan/parse';
import { simulateStream } from '../../src/core/stream/run';
import type { StreamPolicy } from '../../src/core/stream/policy';
import type { RunEvent } from '../../src/core/engine/types';
import { closeBrowser, openWebview, type WebviewPage } from './helpers/chromium';
import { TRIP_PLAN } from '../unit/planView/plans';
import { formatMs } from '../../src/core/render/format';
import { analyzeSource } from '../../src/extension/plans/analyzeSource';
import { PlanSession } from '../../src/extension/plans/planSession';
import { predictStream } from '../../src/extension/engineHost';

const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, 'test-results', 'screenshots');
const THEMES = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'lessons-themes.json'), 'utf8')) as Record<string, { bodyClass: string; vars: Record<string, string> }>;
const SAMPLE = 'lessons/samples/streamed-batch.toolplan.json';
const TEXT = readFileSync(join(ROOT, SAMPLE), 'utf8');

function viewOf(text: string, fileLabel: string): ViewAnalysis {
  return analyzeForView(text, { uri: `file:///work/${fileLabel}`, fileLabel }, { analyze: { cores: 4 } });
}

async function open(width = 900, theme = 'Dark Modern'): Promise<WebviewPage> {
  const t = THEMES[theme]!;
  const view = await openWebview({ scripts: ['planView.js', 'mermaid.min.js'], styles: ['planView.css'], themeClass: t.bodyClass, themeVars: t.vars });
  await view.page.setViewportSize({ width, height: 900 });
  return view;
}

async function drawn(view: WebviewPage): Promise<void> {
  await view.page.evaluate(() => new Promise<void>((r) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0))), 0)));
}

/** The sample simulated by the engine under `policy`, as the host's messages. */
async function simulatedRun(a: ViewAnalysis, policy: StreamPolicy): Promise<HostToView[]> {
  const plan = parsePlan(TEXT, { fileName: 'streamed-batch.toolplan.json' }).plan!;
  const events: RunEvent[] = [];
  const record = await simulateStream(plan, { policy, durations: a.tools.map((t) => t.durationMs), onEvent: (e) => events.push(e) });
  return [
    { type: 'run-started', runId: 'r1', mode: 'simulate', tools: a.tools.map((t) => t.id), slots: null },
    { type: 'run-events', runId: 'r1', events: toViewEvents(events) },
    { type: 'run-ended', runId: 'r1', record: toViewRecord(record) },
  ];
}

interface Lane {
  readonly hidden: boolean;
  readonly generatingPct: number;
  readonly marksPct: number[];
  readonly time: string;
  readonly label: string;
  readonly legend: string[];
  readonly held: { row: string; leftPct: number; widthPct: number }[];
  readonly stream: string | null;
}

function lane(view: WebviewPage): Promise<Lane> {
  // No named helpers inside evaluate: the test's transform would wrap them in a helper the page lacks.
  return view.page.evaluate(() => {
    const laneEl = document.querySelector<HTMLElement>('.fo-model-lane')!;
    const gen = laneEl.querySelector<HTMLElement>('.fo-span-generating');
    return {
      hidden: laneEl.hidden || getComputedStyle(laneEl).display === 'none',
      generatingPct: gen ? parseFloat(gen.style.width) : 0,
      marksPct: Array.from(laneEl.querySelectorAll<HTMLElement>('.fo-close-mark')).map((m) => parseFloat(m.style.left)),
      time: laneEl.querySelector('.fo-row-time')?.textContent ?? '',
      label: laneEl.getAttribute('aria-label') ?? '',
      legend: Array.from(document.querySelectorAll<HTMLElement>('.fo-legend li')).filter((li) => getComputedStyle(li).display !== 'none').map((li) => li.textContent ?? ''),
      held: Array.from(document.querySelectorAll<HTMLElement>('.fo-row .fo-span-held')).map((h) => ({ row: h.closest('.fo-row')!.querySelector('.fo-row-label')!.textContent ?? '', leftPct: parseFloat(h.style.left), widthPct: parseFloat(h.style.width) })),
      stream: document.querySelector('[data-stat="stream"]')?.textContent ?? null,
    };
  });
}

/** The sample's view as the host's plan session gives it once the engine has simulated the stream. */
async function sessionView(policy: StreamPolicy): Promise<ViewAnalysis> {
  const src = analyzeSource(TEXT, { fileName: '/work/streamed-batch.toolplan.json', defaultEstimateMs: 1000 });
  const s = new PlanSession('file:///work/streamed-batch.toolplan.json', 'streamed-batch.toolplan.json', {
    analyze: () => src, history: () => [], defaultMaxConcurrency: () => null, streamPolicy: () => policy, predictStream,
  });
  const done = new Promise<void>((resolve) => { s.onDidChange((c) => { if (c.kind === 'analysis') resolve(); }); });
  s.view();
  await done;
  return s.view();
}

/** The plan's stats once the view has drawn the last analysis sent (the summary is drawn on the next frame). */
async function planStats(view: WebviewPage, tools: number): Promise<Record<string, string>> {
  // The app redraws on its next animation frame (requested before ours, so it runs first).
  await drawn(view);
  await view.page.waitForFunction((n) => document.querySelector('[data-testid="plan-stats"] [data-stat="tools"]')?.textContent === String(n), tools, { timeout: 20_000 });
  return view.page.evaluate(() => Object.fromEntries(Array.from(document.querySelectorAll<HTMLElement>('[data-testid="plan-stats"] dd')).map((d) => [d.dataset.stat ?? '', d.textContent ?? ''])));
}

/** Elements that stick out to the right of the page (what makes it scroll sideways). */
function overflowing(view: WebviewPage): Promise<string[]> {
  return view.page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('body *'))
    .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
    .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}px`).slice(0, 8));
}

/** The axis end the timeline chose (its last tick), in ms: marks are placed as a share of it. */
function axisEndMs(view: WebviewPage): Promise<string> {
  return view.page.evaluate(() => document.querySelector('.fo-axis-track .fo-tick:last-child')?.textContent ?? '');
}

describe('plan view webview: the model lane of a streamed plan', function () {
  this.timeout(120_000);
  after(closeBrowser);

  it('before a run: the lane shows the generation and one mark per call close; the stream legend appears', async () => {
    const a = viewOf(TEXT, 'streamed-batch.toolplan.json');
    assert.deepEqual(a.stream, { closeMs: [600, 1100, 1600], endMs: 1800, timing: 'recorded' });
    const view = await open();
    await view.send({ type: 'analysis', analysis: a });
    await drawn(view);
    const l = await lane(view);
    assert.equal(l.hidden, false);
    assert.equal(await axisEndMs(view), '3 s');
    assert.deepEqual(l.marksPct.map((p) => Math.round(p * 10) / 10), [20, 36.7, 53.3], 'closes at 0.6, 1.1, 1.6 s of a 3 s axis');
    assert.equal(Math.round(l.generatingPct), 60);
    assert.equal(l.time, '1.8 s');
    assert.match(l.label, /generated for 1\.8 s, 3 calls closed at 600 ms, 1\.1 s, 1\.6 s \(on the recording's own times\)/);
    assert.ok(l.legend.includes('model generating') && l.legend.includes("a call's arguments closed"), l.legend.join(' | '));
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });

  it('dispatch-on-close: no call is held; the summary states both policies (2.6 s against 3.3 s)', async () => {
    const a = viewOf(TEXT, 'streamed-batch.toolplan.json');
    const view = await open();
    for (const m of [{ type: 'analysis', analysis: a } as HostToView, ...await simulatedRun(a, 'dispatch-on-close')]) await view.send(m);
    await drawn(view);
    const l = await lane(view);
    assert.deepEqual(l.held, []);
    assert.equal(l.stream, 'ended at 1.8 s · dispatch-on-close 2.6 s · wait-for-end would take 3.3 s (1.27× longer)');
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });

  it('before a run, the summary predicts the stream under the policy (2.6 s; 3.3 s for wait-for-end), not the 1.5 s that ignores the closes', async () => {
    const view = await open();
    const bare = viewOf(TEXT, 'streamed-batch.toolplan.json');
    assert.equal(bare.estimate.parallelMs, 1500);
    // Until the host has simulated it, the figure is not guessed.
    await view.send({ type: 'analysis', analysis: bare });
    let st = await planStats(view, 3);
    assert.equal(st.parallel, '…');
    assert.equal(st['plan-stream'], 'ends at 1.8 s · simulating…');
    await view.send({ type: 'analysis', analysis: await sessionView('dispatch-on-close') });
    st = await planStats(view, 3);
    assert.equal(st.parallel, '2.6 s');
    assert.equal(st['plan-stream'], 'ends at 1.8 s · dispatch-on-close 2.6 s · wait-for-end would take 3.3 s (1.27× longer)');
    assert.equal(st.speedup, `${(3300 / 2600).toFixed(2)}×`, 'sequential 3.3 s ÷ 2.6 s');
    await view.send({ type: 'analysis', analysis: await sessionView('wait-for-end') });
    st = await planStats(view, 3);
    assert.equal(st.parallel, '3.3 s');
    assert.equal(st['plan-stream'], 'ends at 1.8 s · wait-for-end: nothing starts before the end (3.3 s)');
    // A plan that is not a stream keeps the analysis's figure.
    const trip = viewOf(TRIP_PLAN, 'trip.toolplan.yaml');
    await view.send({ type: 'analysis', analysis: trip });
    st = await planStats(view, trip.tools.length);
    assert.equal(st.parallel, formatMs(trip.estimate.parallelMs));
    assert.equal(st['plan-stream'], undefined);
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });

  it('wait-for-end: every call is held from its close to the stream\'s end (the check can fail: dispatch-on-close draws none)', async () => {
    const a = viewOf(TEXT, 'streamed-batch.toolplan.json');
    const view = await open();
    for (const m of [{ type: 'analysis', analysis: a } as HostToView, ...await simulatedRun(a, 'wait-for-end')]) await view.send(m);
    await drawn(view);
    const l = await lane(view);
    const axis = await axisEndMs(view);
    assert.equal(axis, '4 s');
    // Held from the close to 1.8 s on a 4 s axis.
    assert.deepEqual(l.held.map((h) => [h.row, Math.round(h.leftPct * 10) / 10, Math.round((h.leftPct + h.widthPct) * 10) / 10]), [
      ['get_weather (call_weather)', 15, 45], ['search_flights (call_flights)', 27.5, 45], ['search_hotels (call_hotels)', 40, 45],
    ]);
    assert.match(l.stream ?? '', /^ended at 1\.8 s · wait-for-end: nothing started before the end \(3\.3 s\)$/);
    assert.ok(l.legend.includes('closed, held (stream end or a dependency)'));
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });

  it('the timeline axis is sized from the stream\'s prediction under the policy (wait-for-end 3.3 s: 4 s from before the run to its end, never rescaled)', async () => {
    // The analysis's parallel estimate (1.5 s) and the closes plus durations (2.6 s) both fall short
    // of wait-for-end's 3.3 s: sized from them, the axis ended at 3 s and the run's bars reached it.
    const a = await sessionView('wait-for-end');
    assert.equal(a.stream?.predicted?.makespanMs, 3300);
    const view = await open();
    await view.send({ type: 'analysis', analysis: a });
    await drawn(view);
    assert.equal(await axisEndMs(view), '4 s', 'before the run');
    const [started, ...rest] = await simulatedRun(a, 'wait-for-end');
    await view.send(started!);
    await drawn(view);
    assert.equal(await axisEndMs(view), '4 s', 'as the run starts');
    for (const m of rest) await view.send(m);
    await drawn(view);
    assert.equal(await axisEndMs(view), '4 s', 'once it has ended');
    const rightmost = await view.page.evaluate(() => Math.max(...Array.from(document.querySelectorAll<HTMLElement>('.fo-row .fo-span-attempt')).map((s) => parseFloat(s.style.left) + parseFloat(s.style.width))));
    assert.equal(Math.round(rightmost * 10) / 10, 82.5, 'the last call ends at 3.3 s of a 4 s axis');
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });

  it('a plan that is not a stream has no model lane and no stream legend', async () => {
    const view = await open();
    await view.send({ type: 'analysis', analysis: viewOf(TRIP_PLAN, 'trip.toolplan.yaml') });
    await drawn(view);
    const l = await lane(view);
    assert.equal(l.hidden, true);
    assert.ok(!l.legend.some((t) => t.includes('model generating')));
    await view.page.close();
  });

  it('screenshots: light and dark at 900 px and in the 300 px side column, under wait-for-end (held calls drawn)', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const a = viewOf(TEXT, 'streamed-batch.toolplan.json');
    const run = await simulatedRun(a, 'wait-for-end');
    for (const [theme, slug] of [['Light Modern', 'light'], ['Dark Modern', 'dark']] as const) {
      for (const width of [300, 900]) {
        const view = await open(width, theme);
        for (const m of [{ type: 'analysis', analysis: a } as HostToView, ...run]) await view.send(m);
        await view.page.evaluate(async () => {
          await (window as unknown as { fanoutPlanView: { graphSettled: Promise<void> } }).fanoutPlanView.graphSettled;
        });
        await drawn(view);
        await view.page.screenshot({ path: join(SHOTS, `planView-stream-${slug}-${width}.png`), fullPage: true });
        const overflow = await view.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.equal(overflow, 0, `no horizontal overflow at ${width} px: ${(await overflowing(view)).join(', ')}`);
        assert.equal((await lane(view)).held.length, 3);
        await view.page.close();
      }
    }
  });
});

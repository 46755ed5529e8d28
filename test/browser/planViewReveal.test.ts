// The host's 'reveal' message brings a section into view under the sticky header: Run the timeline
// (the new-user pass at 1280×800 and in a 300 px side column pressed Run and saw only the
// predicted summary), Show Graph the graph (at 900×700 the side column is ≈276 px and the summary
// filled the first screen), which also takes keyboard focus. A section already in view stays where
// the reader scrolled it.
import { strict as assert } from 'node:assert';
import type { HostToView } from '../../src/protocol/planView';
import { analyzeForView } from '../../src/extension/planView/toView';
import { closeBrowser, openWebview, type WebviewPage } from './helpers/chromium';
import { TRIP_PLAN } from '../unit/planView/plans';

const analysis = () => analyzeForView(TRIP_PLAN, { uri: 'file:///work/trip.toolplan.yaml', fileLabel: 'trip.toolplan.yaml' }, { analyze: { cores: 4 } });

/** `before`: messages sent before the analysis (a panel just created gets the reveal first). */
async function open(width: number, height: number, before: readonly HostToView[] = [], motion: 'reduce' | 'no-preference' = 'reduce'): Promise<{ view: WebviewPage; tools: string[] }> {
  const view = await openWebview({ scripts: ['planView.js'], styles: ['planView.css'] });
  await view.page.setViewportSize({ width, height });
  // Reduced motion: the reveal jumps, so two frames later it is where it ends (smooth has its own test).
  await view.page.emulateMedia({ reducedMotion: motion });
  const a = analysis();
  for (const m of before) await view.send(m);
  await view.send({ type: 'analysis', analysis: a } satisfies HostToView);
  await view.page.evaluate(async () => {
    await (window as unknown as { fanoutPlanView: { graphSettled: Promise<void> } }).fanoutPlanView.graphSettled;
  });
  return { view, tools: a.tools.map((t) => t.id) };
}

/** Where a section (the timeline unless told) and the header's bottom are, in the viewport. */
const positions = (view: WebviewPage, selector = '.fo-timeline') => view.page.evaluate((sel) => ({
  section: document.querySelector(sel)?.getBoundingClientRect().top ?? Number.NaN,
  header: document.querySelector('.fo-header')?.getBoundingClientRect().bottom ?? Number.NaN,
  scrollY: window.scrollY,
  maxScrollY: document.documentElement.scrollHeight - window.innerHeight,
  height: window.innerHeight,
}), selector);

/** Two animation frames: the view draws in one, then reveals. */
const frames = (view: WebviewPage) => view.page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));

const start = (tools: readonly string[]): HostToView => ({ type: 'run-started', runId: 'r1', mode: 'run', tools: [...tools], slots: null });
const revealMsg = (section: 'graph' | 'timeline' | 'problems', focus = true): HostToView => ({ type: 'reveal', section, focus });

/** The section starts just below the header (or as high as the page scrolls) and is in view. */
function assertRevealed(after: Awaited<ReturnType<typeof positions>>): void {
  assert.ok(after.section >= after.header - 1, `the section's top is not under the header (${Math.round(after.section)} < ${Math.round(after.header)})`);
  assert.ok(after.section < after.header + 40 || after.scrollY >= after.maxScrollY - 1, `the section starts just below the header (${Math.round(after.section)}, header ${Math.round(after.header)}, scrolled ${after.scrollY} of ${after.maxScrollY})`);
  assert.ok(after.section < after.height / 2, `the section is in view (${Math.round(after.section)} px of ${after.height})`);
}

describe('plan view: Run reveals the live timeline', function () {
  this.timeout(60_000);
  after(closeBrowser);

  for (const [width, height] of [[300, 700], [640, 760]] as const) {
    it(`at ${width}×${height}: the timeline below the fold is scrolled up under the header when a run starts`, async () => {
      const { view, tools } = await open(width, height);
      const before = await positions(view);
      assert.ok(before.section > before.height - 120, `the timeline starts below the fold before the run (${Math.round(before.section)} px of ${before.height})`);
      // As the host sends them for Run: the run, then the reveal.
      await view.send(start(tools));
      await view.send(revealMsg('timeline'));
      await frames(view);
      assertRevealed(await positions(view));
      assert.deepEqual(view.errors, []);
      await view.page.close();
    });
  }

  it('leaves a timeline the reader already has in view where it is', async () => {
    const { view, tools } = await open(640, 760);
    await view.page.evaluate(() => document.querySelector('.fo-timeline')?.scrollIntoView({ block: 'center' }));
    const before = await positions(view);
    assert.ok(before.section < before.height - 120 && before.section > before.header, `the timeline is in view (${Math.round(before.section)})`);
    // The page still moves a little by itself (scroll anchoring as the run's summary grows, the
    // header's run-state line): count the view's own scrolls instead of comparing positions.
    await view.page.evaluate(() => {
      const w = window as unknown as { __scrolls: number };
      w.__scrolls = 0;
      const original = window.scrollBy.bind(window);
      window.scrollBy = ((options?: ScrollToOptions) => { w.__scrolls += 1; original(options); }) as typeof window.scrollBy;
    });
    await view.send(start(tools));
    await view.send(revealMsg('timeline'));
    await frames(view);
    assert.equal(await view.page.evaluate(() => (window as unknown as { __scrolls: number }).__scrolls), 0, 'the view did not scroll');
    const after = await positions(view);
    assert.ok(after.section > after.header && after.section < after.height - 120, `the timeline is still in view (${Math.round(after.section)})`);
    await view.page.close();
  });
});

describe('plan view: Show Graph reveals the graph and focuses it', function () {
  this.timeout(60_000);
  after(closeBrowser);

  const graphTop = '.fo-graph';
  // 276×560: the beside column of a 900×700 window with the explorer open.
  for (const [width, height] of [[276, 560], [300, 700]] as const) {
    it(`at ${width}×${height}: the graph below the fold comes up under the header and takes keyboard focus`, async () => {
      const { view } = await open(width, height);
      const before = await positions(view, graphTop);
      // Below the upper half: at most a strip of it shows.
      assert.ok(before.section > before.height / 2, `the graph starts low in the view before the reveal (${Math.round(before.section)} px of ${before.height})`);
      await view.send(revealMsg('graph'));
      await frames(view);
      assertRevealed(await positions(view, graphTop));
      assert.equal(await view.page.evaluate(() => document.activeElement?.className), 'fo-graph-canvas', 'the graph canvas has keyboard focus');
      // Its keys work at once: + zooms in.
      const zoom = () => view.page.evaluate(() => document.querySelector('.fo-zoom-level')?.textContent ?? '');
      const z0 = await zoom();
      await view.page.keyboard.press('+');
      await view.page.waitForFunction((z) => document.querySelector('.fo-zoom-level')?.textContent !== z, z0, { timeout: 5_000 });
      assert.deepEqual(view.errors, []);
      await view.page.close();
    });
  }

  it('without focus (the host preserves the editor\'s focus) the graph comes up but nothing in the view takes focus', async () => {
    const { view } = await open(276, 560);
    await view.send(revealMsg('graph', false));
    await frames(view);
    assertRevealed(await positions(view, graphTop));
    assert.equal(await view.page.evaluate(() => document.activeElement === document.body), true, `focus moved to ${await view.page.evaluate(() => document.activeElement?.className)}`);
    await view.page.close();
  });

  it('a reveal sent before the first analysis (a panel just created) lands once the plan is laid out', async () => {
    const { view } = await open(276, 560, [revealMsg('graph')]);
    await frames(view);
    assertRevealed(await positions(view, graphTop));
    await view.page.close();
  });

  it('scrolls smoothly without reduced motion and ends in the same place', async () => {
    const { view } = await open(276, 560, [], 'no-preference');
    await view.send(revealMsg('graph'));
    await frames(view);
    const early = await positions(view, graphTop);
    // Smooth: it has not jumped all the way in two frames (or it is on its way).
    await view.page.waitForFunction(() => {
      const g = document.querySelector('.fo-graph')?.getBoundingClientRect().top ?? 1e9;
      const h = document.querySelector('.fo-header')?.getBoundingClientRect().bottom ?? 0;
      return g < h + 40 && g >= h - 1;
    }, undefined, { timeout: 5_000 });
    assertRevealed(await positions(view, graphTop));
    assert.ok(early.section > (await positions(view, graphTop)).section, 'the page moved after the first two frames');
    await view.page.close();
  });
});

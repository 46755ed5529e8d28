// A run that starts with the timeline below the fold brings it into view under the sticky header
// (the new-user pass at 1280×800 and in a 300 px side column pressed Run and saw only the
// predicted summary); a timeline already in view stays where the reader scrolled.
import { strict as assert } from 'node:assert';
import type { HostToView } from '../../src/protocol/planView';
import { analyzeForView } from '../../src/extension/planView/toView';
import { closeBrowser, openWebview, type WebviewPage } from './helpers/chromium';
import { TRIP_PLAN } from '../unit/planView/plans';

async function open(width: number, height: number): Promise<{ view: WebviewPage; tools: string[] }> {
  const view = await openWebview({ scripts: ['planView.js'], styles: ['planView.css'] });
  await view.page.setViewportSize({ width, height });
  const a = analyzeForView(TRIP_PLAN, { uri: 'file:///work/trip.toolplan.yaml', fileLabel: 'trip.toolplan.yaml' }, { analyze: { cores: 4 } });
  await view.send({ type: 'analysis', analysis: a } satisfies HostToView);
  await view.page.evaluate(async () => {
    await (window as unknown as { fanoutPlanView: { graphSettled: Promise<void> } }).fanoutPlanView.graphSettled;
  });
  return { view, tools: a.tools.map((t) => t.id) };
}

/** Where the timeline section and the header's bottom are, in the viewport. */
const positions = (view: WebviewPage) => view.page.evaluate(() => ({
  section: document.querySelector('.fo-timeline')?.getBoundingClientRect().top ?? Number.NaN,
  header: document.querySelector('.fo-header')?.getBoundingClientRect().bottom ?? Number.NaN,
  scrollY: window.scrollY,
  maxScrollY: document.documentElement.scrollHeight - window.innerHeight,
  height: window.innerHeight,
}));

/** Two animation frames: the view draws in one, then reveals. */
const frames = (view: WebviewPage) => view.page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));

const start = (tools: readonly string[]): HostToView => ({ type: 'run-started', runId: 'r1', mode: 'run', tools: [...tools], slots: null });

describe('plan view: Run reveals the live timeline', function () {
  this.timeout(60_000);
  after(closeBrowser);

  for (const [width, height] of [[300, 700], [640, 760]] as const) {
    it(`at ${width}×${height}: the timeline below the fold is scrolled up under the header when a run starts`, async () => {
      const { view, tools } = await open(width, height);
      const before = await positions(view);
      assert.ok(before.section > before.height - 120, `the timeline starts below the fold before the run (${Math.round(before.section)} px of ${before.height})`);
      await view.send(start(tools));
      await frames(view);
      const after = await positions(view);
      assert.ok(after.section >= after.header - 1, `the timeline's top is not under the header (${Math.round(after.section)} < ${Math.round(after.header)})`);
      // Just below the header, or as high as the page can scroll.
      assert.ok(after.section < after.header + 40 || after.scrollY >= after.maxScrollY - 1, `the timeline starts just below the header (${Math.round(after.section)}, header ${Math.round(after.header)}, scrolled ${after.scrollY} of ${after.maxScrollY})`);
      assert.ok(after.section < after.height - 120, `the timeline is in view (${Math.round(after.section)} px of ${after.height})`);
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
    await frames(view);
    assert.equal(await view.page.evaluate(() => (window as unknown as { __scrolls: number }).__scrolls), 0, 'the view did not scroll');
    const after = await positions(view);
    assert.ok(after.section > after.header && after.section < after.height - 120, `the timeline is still in view (${Math.round(after.section)})`);
    await view.page.close();
  });
});

// The plan view in the narrowest column VS Code gives it in issue 11's sizes: 900×700 with the
// explorer open splits the editor area into two ~276 px groups. Every timeline row keeps its time
// whole and inside the view (the new-user pass saw "801" for "801 ms", cut at the right edge), and
// the summary's critical path spans the summary instead of wrapping one tool per line.
import { strict as assert } from 'node:assert';
import type { HostToView, ViewRunEvent } from '../../src/protocol/planView';
import { analyzeForView } from '../../src/extension/planView/toView';
import { closeBrowser, openWebview } from './helpers/chromium';
import { batches, fakeRun } from '../unit/planView/fakeRun';
import { TRIP_PLAN } from '../unit/planView/plans';

describe('plan view in a ~276 px column', function () {
  this.timeout(60_000);
  after(closeBrowser);

  for (const width of [260, 276, 300]) {
    it(`at ${width} px: every row's time is whole and inside the view, no page overflow`, async () => {
      const view = await openWebview({ scripts: ['planView.js'], styles: ['planView.css'] });
      await view.page.setViewportSize({ width, height: 700 });
      const a = analyzeForView(TRIP_PLAN, { uri: 'file:///work/trip.toolplan.yaml', fileLabel: 'trip.toolplan.yaml' }, { analyze: { cores: 4 } });
      const run = fakeRun(a, { cap: 4 });
      const msgs: HostToView[] = [
        { type: 'analysis', analysis: a },
        { type: 'run-started', runId: 'r', mode: 'simulate', tools: a.tools.map((t) => t.id), slots: 4 },
        ...batches(run.events, 4).map((events): HostToView => ({ type: 'run-events', runId: 'r', events: events as ViewRunEvent[] })),
        { type: 'run-ended', runId: 'r', record: run.record },
      ];
      for (const m of msgs) await view.send(m);
      await view.page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
      const r = await view.page.evaluate(() => {
        const right = document.documentElement.clientWidth;
        const times = Array.from(document.querySelectorAll<HTMLElement>('.fo-row .fo-row-time'));
        return {
          rows: times.length,
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          cut: times.filter((t) => t.getBoundingClientRect().right > right + 0.5 || t.scrollWidth > t.clientWidth + 1 || !t.closest('.fo-row') || t.getBoundingClientRect().right > (t.closest('.fo-row') as HTMLElement).getBoundingClientRect().right + 0.5)
            .map((t) => `${t.textContent}: right ${Math.round(t.getBoundingClientRect().right)} of ${right}`),
        };
      });
      // The critical path goes under its term at the full width, not one tool per line beside it.
      const wide = await view.page.evaluate(() => {
        const dd = document.querySelector<HTMLElement>('[data-stat="critical-tools"]');
        const list = dd?.closest('dl');
        return dd && list ? { dd: dd.getBoundingClientRect().width, list: list.getBoundingClientRect().width, text: dd.textContent ?? '' } : null;
      });
      assert.ok(wide, 'the critical path is in the summary');
      assert.ok(wide.dd >= 0.8 * wide.list, `the critical path "${wide.text}" is ${Math.round(wide.dd)} px of the summary's ${Math.round(wide.list)} px`);
      assert.ok(r.rows >= 5, `${r.rows} rows drawn`);
      assert.equal(r.overflow, 0);
      assert.deepEqual(r.cut, [], 'times cut at the right edge');
      assert.deepEqual(view.errors, []);
      await view.page.close();
    });
  }
});

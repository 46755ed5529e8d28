// Plan view graph (issue 11 point 2): the longest main-thread task while the webview draws a plan's
// dependency graph, in real headless Chromium (PerformanceObserver 'longtask', tasks over 50 ms),
// for the plan view's own drawing (dist/webview/planView.js: core/render/graphLayout + SVG) against
// Mermaid 11 rendering the same plan's flowchart text (the drawing it replaced), in this same run.
// Target: no task above 100 ms while any graph up to the summary threshold (150 tools) is drawn.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeForView } from '../../../src/extension/planView/toView';
import { closeBrowser, openWebview, type WebviewPage } from '../../browser/helpers/chromium';
import { layeredPlan } from '../../unit/planView/plans';
import { fx, table, type BenchContext, type SectionResult, type Target } from '../report';
import { median } from '../stats';

const TARGET_MS = 100;

interface Sample {
  /** Longest task seen while drawing (0 when none passed 50 ms). */
  readonly longestMs: number;
  /** From the message (or the render call) to the drawn graph. */
  readonly drawMs: number;
}

async function observe(view: WebviewPage): Promise<void> {
  await view.page.evaluate(() => {
    const w = window as unknown as { __long: number[] };
    w.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) w.__long.push(e.duration); }).observe({ type: 'longtask' });
  });
  // Let the page's own start-up tasks pass before measuring.
  await view.page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
  await view.page.evaluate(() => { (window as unknown as { __long: number[] }).__long = []; });
}

async function longest(view: WebviewPage): Promise<number> {
  await view.page.evaluate(() => new Promise((r) => setTimeout(r, 250)));
  return view.page.evaluate(() => Math.max(0, ...(window as unknown as { __long: number[] }).__long));
}

async function ours(text: string): Promise<Sample> {
  const view = await openWebview({ scripts: ['planView.js'], styles: ['planView.css'] });
  await view.page.setViewportSize({ width: 900, height: 900 });
  await observe(view);
  const a = analyzeForView(text, { uri: 'file:///bench.toolplan.json', fileLabel: 'bench.toolplan.json' }, { analyze: { cores: 4 } });
  const t0 = Date.now();
  await view.send({ type: 'analysis', analysis: a });
  await view.page.evaluate(async () => { await (window as unknown as { fanoutPlanView: { graphSettled: Promise<void> } }).fanoutPlanView.graphSettled; });
  const drawMs = Date.now() - t0;
  const nodes = await view.page.locator('.fo-graph-canvas g.node').count();
  if (nodes === 0) throw new Error('the plan view drew no graph nodes');
  const longestMs = await longest(view);
  await view.page.close();
  return { longestMs, drawMs };
}

async function mermaid(text: string): Promise<Sample> {
  const view = await openWebview({ scripts: ['mermaid.min.js'], styles: ['planView.css'], body: '<div id="out"></div>' });
  await view.page.setViewportSize({ width: 900, height: 900 });
  await observe(view);
  const a = analyzeForView(text, { uri: 'file:///bench.toolplan.json', fileLabel: 'bench.toolplan.json' }, { analyze: { cores: 4 } });
  const drawMs = await view.page.evaluate(async ({ src, config }) => {
    const m = (window as unknown as { mermaid: { initialize(c: unknown): void; render(id: string, t: string): Promise<{ svg: string }> } }).mermaid;
    const t0 = performance.now();
    m.initialize({ ...config, startOnLoad: false, securityLevel: 'strict', theme: 'dark' });
    const { svg } = await m.render('bench-graph', src);
    (document.getElementById('out') as HTMLElement).innerHTML = svg;
    return performance.now() - t0;
  }, { src: a.mermaid, config: a.mermaidConfig });
  const longestMs = await longest(view);
  await view.page.close();
  return { longestMs, drawMs };
}

export async function graphStallSection(ctx: BenchContext): Promise<SectionResult> {
  for (const f of ['planView.js', 'mermaid.min.js']) {
    if (!existsSync(join(ctx.root, 'dist', 'webview', f))) throw new Error(`dist/webview/${f} is missing: run npm run build first`);
  }
  const rounds = ctx.quick ? 2 : 5;
  const cases: [string, string][] = [
    ['unbounded-40 (sample)', readFileSync(join(ctx.root, 'lessons', 'samples', 'unbounded-40.toolplan.json'), 'utf8')],
    ['layered 40', layeredPlan(40)],
    ['layered 150 (summary threshold)', layeredPlan(150)],
  ];
  const rows: string[][] = [];
  const json: Record<string, unknown> = { rounds, targetMs: TARGET_MS };
  const targets: Target[] = [];
  try {
    for (const [name, text] of cases) {
      const o: Sample[] = [];
      const m: Sample[] = [];
      for (let r = 0; r < rounds; r++) {
        ctx.progress(`graph: ${name} round ${r + 1}/${rounds}`);
        o.push(await ours(text));
        m.push(await mermaid(text));
      }
      const oLong = median(o.map((s) => s.longestMs));
      const mLong = median(m.map((s) => s.longestMs));
      const oMax = Math.max(...o.map((s) => s.longestMs));
      const oDraw = median(o.map((s) => s.drawMs));
      const mDraw = median(m.map((s) => s.drawMs));
      rows.push([name, `${Math.round(oLong)} ms`, `${Math.round(oMax)} ms`, `${Math.round(mLong)} ms`, mLong > 0 ? fx(oLong / mLong, 3) : '–', `${Math.round(oDraw)} ms`, `${Math.round(mDraw)} ms`]);
      json[name] = { ours: o, mermaid: m, oursLongestMedianMs: oLong, mermaidLongestMedianMs: mLong };
      targets.push({ section: 'graph', name: `${name}: longest task (median of ${rounds})`, target: `≤ ${TARGET_MS}`, value: Math.round(oLong), unit: 'ms', met: oLong <= TARGET_MS });
    }
  } finally {
    await closeBrowser();
  }
  const lines = [
    'Longest main-thread task while the graph is drawn (longtask entries; 0 = none over 50 ms), medians of rounds,',
    'the plan view\'s own drawing vs Mermaid 11 on the same plan (the drawing it replaced), both in this run.',
    ...table(['plan', 'ours', 'ours max', 'Mermaid', 'ours ÷ Mermaid', 'ours draw', 'Mermaid draw'], rows),
  ];
  return { key: 'graph', title: 'Plan view graph: main-thread stall while drawing (real Chromium)', json, lines, targets };
}

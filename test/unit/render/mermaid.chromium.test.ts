// The Mermaid text is parsed and rendered by the real Mermaid bundle in headless Chromium, under
// the webview's CSP and config: hostile labels must come out as plain text, and large graphs must
// not hit Mermaid's edge limit.
import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/core/analysis/analyze';
import type { Plan } from '../../../src/core/plan/types';
import { renderMermaid } from '../../../src/core/render/mermaid';
import { closeBrowser, openWebview, type WebviewPage } from '../../browser/helpers/chromium';
import { buildOnce } from '../cli/helpers';
import { makePlan } from '../helpers/planBuilder';

interface Rendered {
  readonly ok: boolean;
  readonly error?: string;
  readonly labels: string[];
  readonly nodeIds: string[];
  readonly dangerous: string[];
}

async function render(view: WebviewPage, text: string, config: Record<string, unknown>): Promise<Rendered> {
  return view.page.evaluate(async ({ text, config }) => {
    const m = (window as unknown as { mermaid: { initialize(c: unknown): void; render(id: string, t: string): Promise<{ svg: string }> } }).mermaid;
    m.initialize(config);
    const host = document.createElement('div');
    document.body.replaceChildren(host);
    try {
      host.innerHTML = (await m.render(`g${Math.random().toString(36).slice(2)}`, text)).svg;
    } catch (e) {
      return { ok: false, error: String(e), labels: [], nodeIds: [], dangerous: [] };
    }
    const dangerous = Array.from(host.querySelectorAll('img, script, iframe, a, [onerror], [onclick], [href]')).map((e) => e.outerHTML.slice(0, 120));
    return {
      ok: true,
      labels: Array.from(host.querySelectorAll('.node .nodeLabel')).map((e) => e.textContent ?? ''),
      nodeIds: Array.from(host.querySelectorAll('.node')).map((e) => e.id),
      dangerous,
    };
  }, { text, config });
}

function withLabels(plan: Plan, labels: readonly string[]): Plan {
  return { ...plan, tools: plan.tools.map((t, i) => (labels[i] !== undefined ? { ...t, label: labels[i] } : t)) };
}

describe('render/mermaid in real Mermaid (Chromium)', function () {
  this.timeout(120_000);
  let view: WebviewPage;
  before(async () => {
    buildOnce(); // copies mermaid.min.js into dist/webview
    view = await openWebview({ scripts: ['mermaid.min.js'] });
    view.page.on('dialog', (d) => {
      view.errors.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
  });
  after(async () => {
    await view?.page.close();
    await closeBrowser();
  });

  it('renders hostile labels as plain text, with no links, handlers or images', async () => {
    const hostile = ['"]; click t1 "javascript:alert(1)"; x["', '<img src=x onerror=alert(1)>', 'a %% b ::: c | d', '`**md**` & #quot;'];
    const plan = withLabels(makePlan(hostile.map((_, i) => ({ id: `h${i}`, durationMs: 10, dependsOn: i ? [`h${i - 1}`] : [] }))), hostile);
    const r = renderMermaid(analyze(plan), { durations: false });
    const out = await render(view, r.text, r.config);
    assert.ok(out.ok, out.error);
    assert.deepEqual(out.dangerous, []);
    const expected = hostile.map((label, i) => `${label}h${i}`);
    assert.deepEqual(out.labels, expected, 'each label reads exactly as written (then the id)');
    assert.ok(out.nodeIds.every((id) => /-flowchart-t\d+-\d+$/.test(id)), out.nodeIds.join());
    assert.deepEqual(view.errors, []);
  });

  it('renders a 600-edge plan in full (maxEdges raised) and a 3,000-edge plan as a summary', async () => {
    const n = 301;
    const mid = makePlan(Array.from({ length: n }, (_, i) => ({ id: `n${i}`, durationMs: 5, dependsOn: i >= 2 ? [`n${i - 1}`, `n${i - 2}`] : i ? ['n0'] : [] })));
    const r1 = renderMermaid(analyze(mid));
    assert.equal(r1.mode, 'full');
    assert.ok(r1.edgeCount > 500, 'above Mermaid\'s default limit');
    const out1 = await render(view, r1.text, r1.config);
    assert.ok(out1.ok, out1.error);
    assert.equal(out1.nodeIds.length, n);

    const big = makePlan(Array.from({ length: 1001 }, (_, i) => ({ id: `b${i}`, durationMs: 5, dependsOn: i >= 3 ? [`b${i - 1}`, `b${i - 2}`, `b${i - 3}`] : [] })));
    const r2 = renderMermaid(analyze(big));
    assert.equal(r2.mode, 'summary');
    const out2 = await render(view, r2.text, r2.config);
    assert.ok(out2.ok, out2.error);
    assert.ok(out2.labels.some((l) => /^Critical path: 999 tools, 5(\.\d+)? s$/.test(l)), out2.labels.slice(-2).join('\n'));
  });

  it('renders every kind shape and an invalid (cyclic) plan', async () => {
    const kinds = ['simulate', 'shell', 'http', 'cpu', 'vscode.command', 'vscode.lm'] as const;
    // Slashes and backslashes inside the parallelogram shapes ([/ /] and [\\ \\]) must not close them.
    const labels = kinds.map((k) => `a/b\\c/${k}/`);
    const plan = withLabels(makePlan(kinds.map((kind, i) => ({ id: `k${i}`, kind, estimateMs: 100, dependsOn: i ? [`k${i - 1}`] : [] }))), labels);
    const r0 = renderMermaid(analyze(plan), { durations: false });
    const out = await render(view, r0.text, r0.config);
    assert.ok(out.ok, out.error);
    assert.deepEqual(out.labels, labels.map((l, i) => `${l}k${i}`));
    const cyclic = makePlan([{ id: 'a', durationMs: 1, dependsOn: ['b'] }, { id: 'b', durationMs: 1, dependsOn: ['a'] }]);
    const r = renderMermaid(analyze(cyclic));
    const out2 = await render(view, r.text, r.config);
    assert.ok(out2.ok, out2.error);
    assert.equal(out2.nodeIds.length, 2);
  });
});

// The plan view's format badge names the provider, and the calls imported from each provider keep
// their ids, names and arguments on the graph: one recorded payload of every format, through the real core and
// the host's converter, drawn by the plan view bundle in real Chromium.
import { strict as assert } from 'node:assert';
import { analyzeForView } from '../../src/extension/planView/toView';
import { FORMAT_SAMPLES, sampleText } from '../unit/helpers/formatSamples';
import { closeBrowser, openWebview } from './helpers/chromium';
import { summariseArgs } from '../../src/core/render/argsSummary';
import type { JsonObject } from '../../src/core/plan/types';

describe('plan view: the format badge and imported calls', function () {
  this.timeout(180_000);
  after(closeBrowser);

  it('names the provider of every format in the badge (id in its tooltip) and draws each call with its provider id and name', async () => {
    const view = await openWebview({ scripts: ['planView.js'], styles: ['planView.css'] });
    for (const sample of FORMAT_SAMPLES) {
      const fileLabel = sample.file.split('/').pop() as string;
      const analysis = analyzeForView(sampleText(sample), { uri: `file:///work/${fileLabel}`, fileLabel }, { analyze: { cores: 4 } });
      assert.equal(analysis.format, sample.format, sample.file);
      await view.send({ type: 'analysis', analysis });
      // Wait for this analysis to be drawn: its badge, and the graph's nodes for its tools (the graph
      // draws in tasks of its own, after the header).
      await view.page.waitForFunction(
        ({ format, ids }) => document.querySelector('.fo-format')?.getAttribute('data-format') === format
          && Array.from(document.querySelectorAll('.fo-graph-canvas g.node[data-id]')).map((g) => g.getAttribute('data-id')).join('\n') === ids,
        { format: sample.format, ids: analysis.tools.map((t) => t.id).join('\n') });
      const seen = await view.page.evaluate(() => ({
        badge: document.querySelector('.fo-format')?.textContent ?? null,
        tooltip: document.querySelector('.fo-format')?.getAttribute('title') ?? null,
        nodes: Array.from(document.querySelectorAll('.fo-graph-canvas g.node[data-id]')).map((g) => ({
          id: g.getAttribute('data-id'),
          title: g.querySelector('.fo-node-title')?.textContent ?? '',
          tooltip: g.querySelector('title')?.textContent ?? '',
        })),
      }));
      assert.equal(seen.badge, sample.name, `${sample.file}: badge`);
      assert.equal(seen.tooltip, `Format: ${sample.format}`, `${sample.file}: badge tooltip`);
      for (const call of sample.calls) {
        const node = seen.nodes.find((n) => n.id === call.id);
        assert.ok(node, `${sample.file}: no node for ${call.id} among ${seen.nodes.map((n) => n.id).join(', ')}`);
        assert.equal(node.title, call.label, `${sample.file}: ${call.id}'s node title`);
        assert.ok(node.tooltip.startsWith(call.label === call.id ? `${call.label}:` : `${call.label} (${call.id}):`), `${sample.file}: ${node.tooltip}`);
        // …and its arguments, as the provider sent them, on the tooltip's second line.
        // (A call without arguments gets no empty "{}" line.)
        if (Object.keys(call.args).length === 0) assert.ok(!node.tooltip.includes('\n'), `${sample.file}: ${node.tooltip}`);
        else assert.ok(node.tooltip.endsWith(`\n${summariseArgs(call.args as JsonObject)}`), `${sample.file}: ${call.id}'s tooltip lacks its arguments: ${node.tooltip}`);
      }
      // The timeline row of a call with arguments carries them in its tooltip too.
      const withArgs = analysis.tools.findIndex((t) => t.args !== undefined);
      if (withArgs >= 0) {
        const rowTitle = await view.page.evaluate((i) => document.querySelector(`.fo-row[data-index="${i}"]`)?.getAttribute('title') ?? '', withArgs);
        assert.ok(rowTitle.endsWith(`\nArguments: ${analysis.tools[withArgs]!.args}`), `${sample.file}: row ${withArgs}: ${rowTitle}`);
      }
    }
    assert.deepEqual(view.errors, []);
  });

  it('names the detected format of a rejected payload, and says "Not a plan" of text that is none', async () => {
    const view = await openWebview({ scripts: ['planView.js'], styles: ['planView.css'] });
    const rejected = analyzeForView(JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Turn the lights down' }] }] }), { uri: 'file:///work/req.json', fileLabel: 'req.json' });
    assert.equal(rejected.valid, false);
    await view.send({ type: 'analysis', analysis: rejected });
    await view.page.waitForFunction(() => document.querySelector('.fo-format')?.getAttribute('data-format') === 'gemini');
    assert.equal(await view.page.evaluate(() => document.querySelector('.fo-format')?.textContent), 'Gemini');
    await view.send({ type: 'analysis', analysis: analyzeForView('', { uri: 'file:///work/empty.json', fileLabel: 'empty.json' }) });
    await view.page.waitForFunction(() => document.querySelector('.fo-format')?.getAttribute('data-format') === 'unknown');
    assert.equal(await view.page.evaluate(() => document.querySelector('.fo-format')?.textContent), 'Not a plan');
    assert.deepEqual(view.errors, []);
  });
});

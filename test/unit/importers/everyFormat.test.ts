// One recorded payload of every format (test/unit/helpers/formatSamples.ts): it is detected as its
// format, every call keeps the provider's id, name and arguments, and the format has one display
// name (core/plan/formatNames.ts) that the plan view's badge and the block picker show.
import { strict as assert } from 'node:assert';
import { FORMAT_NAMES, formatName } from '../../../src/core/plan/formatNames';
import { parsePlan } from '../../../src/core/plan/parse';
import { PLAN_FORMATS } from '../../../src/core/plan/types';
import { analyzeForView } from '../../../src/extension/planView/toView';
import { FORMAT_SAMPLES, sampleText } from '../helpers/formatSamples';

describe('every format: detection, provider ids, names, arguments and display names', () => {
  it('has one sample per plan.format', () => {
    assert.deepEqual(FORMAT_SAMPLES.map((s) => s.format).sort(), [...PLAN_FORMATS].sort());
  });

  it('gives every format a display name of its own; unknown ids are shown as they are', () => {
    const names = PLAN_FORMATS.map((f) => formatName(f));
    assert.equal(new Set(names).size, PLAN_FORMATS.length, names.join(', '));
    for (const f of PLAN_FORMATS) assert.equal(formatName(f), FORMAT_NAMES[f]);
    assert.equal(formatName('bedrock'), 'Bedrock Converse');
    assert.equal(formatName('unknown'), 'Not a plan');
    assert.equal(formatName('toString'), 'toString');
  });

  for (const sample of FORMAT_SAMPLES) {
    it(`${sample.format}: ${sample.file} imports with the provider's ids, names and arguments, named "${sample.name}"`, () => {
      const parsed = parsePlan(sampleText(sample), { fileName: sample.file });
      assert.equal(parsed.format, sample.format);
      assert.ok(parsed.plan, parsed.diagnostics.map((d) => d.message).join('\n'));
      assert.deepEqual(parsed.diagnostics.filter((d) => d.severity === 'error'), []);
      if (sample.calls.length > 0) {
        // Arguments are null-prototype records (plan text is never a prototype key): compare as JSON.
        assert.deepEqual(JSON.parse(JSON.stringify(parsed.plan.tools.map((t) => ({ id: t.id, label: t.label, args: t.args })))), sample.calls);
      }
      const view = analyzeForView(sampleText(sample), { uri: `file:///w/${sample.file}`, fileLabel: sample.file.split('/').pop() as string });
      assert.equal(view.format, sample.format);
      assert.equal(view.formatName, sample.name);
      assert.deepEqual(view.tools.map((t) => [t.id, t.label]), parsed.plan.tools.map((t) => [t.id, t.label]));
    });
  }

  it('an unknown shape\'s message names every provider Fanout reads, not only the first four', () => {
    const message = parsePlan('{"hello": 1}').diagnostics[0].message;
    for (const name of ['OpenAI Chat', 'Responses', 'Anthropic', 'Gemini', 'Bedrock Converse', 'Vercel AI SDK', 'LangChain', 'MCP', 'Ollama', 'Cohere', 'LLMCompiler', 'streams', 'print()']) {
      assert.ok(message.includes(name), `${name} is missing from: ${message}`);
    }
  });

  it('a rejected payload keeps its detected format in the view; text that is no plan is "Not a plan"', () => {
    const rejected = analyzeForView(JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }), { uri: 'file:///w/r.json', fileLabel: 'r.json' });
    assert.equal(rejected.valid, false);
    assert.equal(rejected.format, 'gemini');
    assert.equal(rejected.formatName, 'Gemini');
    const empty = analyzeForView('', { uri: 'file:///w/e.json', fileLabel: 'e.json' });
    assert.deepEqual([empty.format, empty.formatName], ['unknown', 'Not a plan']);
  });
});

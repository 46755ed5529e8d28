// Selection analysis for every format (issue 13, "In the editor"): one recorded payload of each
// format pasted into a Markdown note between other text, selected with or without its fence lines,
// goes through the extension's selection path (stripSelectionFences → analyzeSource with the
// selection's base) and comes back as that format, with every call, and with tool ranges in the
// note's own offsets, lines and columns (where the editor puts CodeLens, diagnostics and reveal).
import { strict as assert } from 'node:assert';
import { LineIndex } from '../../../../src/core/plan/positions';
import { analyzeSource } from '../../../../src/extension/plans/analyzeSource';
import { stripSelectionFences } from '../../../../src/extension/plans/fencedBlocks';
import { shiftRange, type TextBase } from '../../../../src/extension/plans/offsets';
import { viewOfSource } from '../../../../src/extension/planView/toView';
import { FORMAT_SAMPLES, sampleText, type FormatSample } from '../../helpers/formatSamples';

const opts = { fileName: '', defaultEstimateMs: 1000 };

function baseAt(doc: string, offset: number): TextBase {
  const p = new LineIndex(doc).position(offset);
  return { offset, line: p.line, column: p.column };
}

/** Beyond one per format: prints and the provider streams that import under another format's name. */
const MORE: readonly FormatSample[] = [
  { format: 'gemini', name: 'Gemini', file: 'test/fixtures/payloads/python-print/gemini-content-parallel.txt', calls: [] },
  { format: 'openai', name: 'OpenAI Chat', file: 'test/fixtures/payloads/python-print/openai-chat-completion-parallel.txt', calls: [] },
  { format: 'bedrock', name: 'Bedrock Converse', file: 'test/fixtures/payloads/bedrock/converse-stream-nova.jsonl', calls: [] },
  { format: 'gemini', name: 'Gemini', file: 'test/fixtures/payloads/gemini/stream-signed-call.sse', calls: [] },
  { format: 'vercel-ai', name: 'Vercel AI SDK', file: 'test/fixtures/payloads/vercel-ai/ui-message-stream.sse', calls: [] },
];

describe('extension: selection analysis of every format', () => {
  for (const sample of [...FORMAT_SAMPLES, ...MORE]) {
    it(`${sample.format}: a selected ${sample.file.split('/').pop()} in a note, with and without its fence`, () => {
      const payload = sampleText(sample).replace(/\s+$/, '');
      const note = `# Debugging notes 🚀 ünïcode\n\nThe agent logged this:\n\n\`\`\`text\n${payload}\n\`\`\`\n\nAnd then it stopped.\n`;
      const open = note.indexOf('```text');
      const start = note.indexOf(payload, open);
      const close = note.indexOf('```', start + payload.length) + 3;
      const selections: [string, number, number][] = [
        ['the payload', start, start + payload.length],
        ['the payload with its fence lines', open, close],
      ];
      // The same payload pasted after text on its line: the selection starts mid-line.
      const inline = `${note.slice(0, open)}Logged at 12:03 → ${payload}\n`;
      const inlineStart = inline.indexOf(payload, open);
      const cases: [string, string, number, number, number][] = [
        ...selections.map(([what, from, to]): [string, string, number, number, number] => [what, note, from, to, start]),
        ['the payload starting mid-line', inline, inlineStart, inlineStart + payload.length, inlineStart],
      ];
      for (const [what, note, from, to, start] of cases) {
        const { text, base } = stripSelectionFences(note.slice(from, to), baseAt(note, from));
        assert.equal(base.offset, start, `${what}: the fence lines are left out`);
        const src = analyzeSource(text, opts, base);
        assert.equal(src.parsed.format, sample.format, `${what}: ${src.diagnostics.map((d) => d.message).join('\n')}`);
        assert.ok(src.analysis, `${what}: no analysis`);
        assert.deepEqual(src.diagnostics.filter((d) => d.severity === 'error'), [], what);
        const tools = src.analysis.plan.tools;
        if (sample.calls.length > 0) assert.deepEqual(tools.map((t) => [t.id, t.label]), sample.calls.map((c) => [c.id, c.label]), what);
        const lines = new LineIndex(note);
        for (const t of tools) {
          // The tool's range, moved into the note, covers the same text it covers in the selection,
          // and its line/column are the note's.
          const r = shiftRange(t.ranges.tool, base);
          assert.equal(note.slice(r.offset, r.offset + r.length), text.slice(t.ranges.tool.offset, t.ranges.tool.offset + t.ranges.tool.length), `${what}: ${t.id}`);
          assert.ok(note.slice(r.offset, r.offset + r.length).includes(t.label) || sample.format === 'native', `${what}: ${t.id}'s range does not hold its name`);
          assert.deepEqual({ line: r.line, column: r.column }, lines.position(r.offset), `${what}: ${t.id}`);
        }
        const view = viewOfSource(src, { uri: 'fanout-selection:/note.md', fileLabel: 'note.md' }, null);
        assert.equal(view.formatName, sample.name);
        assert.equal(view.tools.length, tools.length);
      }
    });
  }
});

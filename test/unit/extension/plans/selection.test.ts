import { strict as assert } from 'node:assert';
import { applyEdits } from '../../../../src/core/analysis/fixes';
import { LineIndex } from '../../../../src/core/plan/positions';
import { analyzeSource } from '../../../../src/extension/plans/analyzeSource';
import { shiftRange } from '../../../../src/extension/plans/offsets';

const opts = { fileName: '', defaultEstimateMs: 1000 };

/** The selection's base as the extension computes it from a document offset. */
function baseAt(doc: string, offset: number) {
  const p = new LineIndex(doc).position(offset);
  return { offset, line: p.line, column: p.column };
}

describe('extension: analysis of a selection', () => {
  const plan = [
    '{ "tools": [',
    '  { "id": "a", "kind": "simulate", "args": { "durationMs": 5 } },',
    '  { "id": "b", "kind": "simulate", "args": { "durationMs": 5, "result": "${a.output}" } }',
    '] }',
  ].join('\n');
  // Non-ASCII text before the selection: offsets are UTF-16 code units, as in VS Code.
  const doc = `# Notes 🚀 ünïcode\n\nSome text.\n\n\`\`\`json\n${plan}\n\`\`\`\nAfter.\n`;
  const start = doc.indexOf('{ "tools"');
  const selected = plan;

  it('maps diagnostics to document offsets, lines and columns', () => {
    const src = analyzeSource(selected, opts, baseAt(doc, start));
    const d = src.diagnostics.find((x) => x.code === 'undeclared-dependency');
    assert.ok(d, src.diagnostics.map((x) => x.code).join());
    const inSelection = analyzeSource(selected, opts).diagnostics.find((x) => x.code === 'undeclared-dependency');
    assert.ok(inSelection);
    // Same text under the range, wherever the selection sits.
    assert.equal(doc.slice(d.range.offset, d.range.offset + d.range.length), selected.slice(inSelection.range.offset, inSelection.range.offset + inSelection.range.length));
    const lines = new LineIndex(doc);
    assert.deepEqual({ line: d.line, column: d.column }, lines.position(d.range.offset));
    assert.deepEqual({ line: d.range.endLine, column: d.range.endColumn }, lines.position(d.range.offset + d.range.length));
  });

  it('shifts quick-fix edits so they apply to the whole document', () => {
    const src = analyzeSource(selected, opts, baseAt(doc, start));
    const d = src.diagnostics.find((x) => x.code === 'undeclared-dependency');
    assert.ok(d?.fix, 'undeclared-dependency should carry a fix');
    const fixed = applyEdits(doc, d.fix.edits);
    assert.ok(fixed.startsWith('# Notes 🚀 ünïcode\n\nSome text.\n\n```json\n'), 'text before the selection is untouched');
    assert.ok(fixed.endsWith('\n```\nAfter.\n'), 'text after the selection is untouched');
    const again = analyzeSource(fixed.slice(start, fixed.indexOf('\n```\nAfter')), opts);
    assert.equal(again.diagnostics.filter((x) => x.code === 'undeclared-dependency').length, 0);
    assert.deepEqual(again.analysis?.plan.tools[1].dependsOn, ['a']);
  });

  it('a selection starting mid-line shifts columns of its first line only', () => {
    const r = { offset: 2, length: 3, line: 1, column: 3, endLine: 2, endColumn: 4 };
    assert.deepEqual(shiftRange(r, { offset: 100, line: 7, column: 11 }), { offset: 102, length: 3, line: 7, column: 13, endLine: 8, endColumn: 4 });
  });

  it('text that is not a plan gives a parse error at the selection, no analysis', () => {
    const src = analyzeSource('just words here', opts, { offset: 40, line: 3, column: 1 });
    assert.equal(src.analysis, undefined);
    assert.ok(src.diagnostics.length > 0);
    assert.ok(src.diagnostics.every((d) => d.range.offset >= 40 && d.line >= 3));
  });

  it('a fenced block selected with its fence still maps inside the fence', () => {
    const fenceStart = doc.indexOf('```json');
    const fenceEnd = doc.indexOf('```\nAfter') + 3;
    const src = analyzeSource(doc.slice(fenceStart, fenceEnd), opts, baseAt(doc, fenceStart));
    const d = src.diagnostics.find((x) => x.code === 'undeclared-dependency');
    assert.ok(d, src.diagnostics.map((x) => `${x.code}: ${x.message}`).join('\n'));
    assert.ok(d.range.offset > start && d.range.offset < start + plan.length);
  });
});

import { strict as assert } from 'node:assert';
import { LineIndex } from '../../../../src/core/plan/positions';
import { analyzeSource } from '../../../../src/extension/plans/analyzeSource';
import { fencedBlocks, lastLine, planBlocks, stripSelectionFences } from '../../../../src/extension/plans/fencedBlocks';
import { messageWithCount, relatedTools, MAX_RELATED } from '../../../../src/extension/plans/analyzeSource';

const YAML_PLAN = 'tools:\n  - { id: a, kind: simulate, args: { durationMs: 5 } }\n  - { id: b, kind: simulate, args: { durationMs: 5, result: "${a.output}" } }\n';
const JSON_CALLS = '{ "tool_calls": [ { "id": "c1", "type": "function", "function": { "name": "search", "arguments": "{}" } } ] }\n';
const NOTE = [
  '# Notes ünïcode 🚀', '', 'Some shell:', '', '```bash', 'ls -la', '```', '',
  'The plan:', '', '```yaml', YAML_PLAN.trimEnd(), '```', '',
  '~~~~json', JSON_CALLS.trimEnd(), '~~~~', '', 'Broken:', '```json', '{ "tools": [', '```', '',
].join('\n');

function baseAt(doc: string, offset: number) {
  const p = new LineIndex(doc).position(offset);
  return { offset, line: p.line, column: p.column };
}

describe('extension: fenced blocks in Markdown', () => {
  it('finds every fenced block with its language, text and position', () => {
    const blocks = fencedBlocks(NOTE);
    assert.deepEqual(blocks.map((b) => b.lang), ['bash', 'yaml', 'json', 'json']);
    const yaml = blocks[1];
    assert.equal(yaml.text, YAML_PLAN);
    assert.equal(yaml.openLine, 11);
    assert.equal(yaml.closeLine, 15);
    assert.equal(yaml.base.line, 12);
    assert.equal(NOTE.slice(yaml.base.offset, yaml.base.offset + yaml.text.length), YAML_PLAN);
    assert.equal(blocks[2].text, JSON_CALLS, 'a ~~~~ fence closes only on ~~~~ or longer');
  });
  it('an unclosed fence runs to the end; inline ``` code is not a fence', () => {
    const blocks = fencedBlocks('a ```x``` b\n```yaml\ntools: []\n');
    assert.equal(blocks.length, 1);
    assert.equal(blocks[0].text, 'tools: []\n');
    assert.equal(blocks[0].closeLine, 3);
  });
  it('offers only the blocks that read as a plan or a payload', () => {
    const blocks = planBlocks(NOTE, 1000);
    assert.deepEqual(blocks.map((b) => [b.format, b.tools, b.openLine]), [['native', 2, 11], ['openai', 1, 17]]);
  });
  it('a Markdown note with no plan in it offers nothing', () => {
    assert.deepEqual(planBlocks('# Notes\n\n- buy milk\n- call Bob\n\n```js\nconsole.log(1)\n```\n', 1000), []);
  });
});

describe('extension: a selection with its fence lines', () => {
  it('strips the fences and keeps positions in the real document', () => {
    const open = NOTE.indexOf('```yaml');
    const close = NOTE.indexOf('```', open + 3) + 3;
    const selected = NOTE.slice(open, close);
    const { text, base } = stripSelectionFences(selected, baseAt(NOTE, open));
    assert.equal(text, YAML_PLAN);
    assert.equal(base.offset, NOTE.indexOf('tools:'));
    assert.deepEqual(baseAt(NOTE, base.offset), base);
    assert.equal(lastLine(text, base), 14);
    // The diagnostics of the stripped text land on the real lines of the note.
    const d = analyzeSource(text, { fileName: '', defaultEstimateMs: 1000 }, base).diagnostics.find((x) => x.code === 'undeclared-dependency');
    assert.ok(d);
    assert.equal(d.range.line, 14);
    assert.equal(NOTE.slice(d.range.offset, d.range.offset + d.range.length).includes('a.output'), true);
  });
  it('leading blank lines before the fence and a missing closing fence work too', () => {
    const selected = '\n\n```json\n{ "tools": [] }\n';
    const { text, base } = stripSelectionFences(selected, { offset: 10, line: 3, column: 4 });
    assert.equal(text, '{ "tools": [] }\n');
    assert.deepEqual(base, { offset: 10 + 10, line: 6, column: 1 });
  });
  it('a selection without fences is unchanged', () => {
    const base = { offset: 7, line: 2, column: 3 };
    assert.deepEqual(stripSelectionFences('tools: []', base), { text: 'tools: []', base });
  });
});

describe('extension: related entries stay few', () => {
  const fan = (n: number) => JSON.stringify({ tools: Array.from({ length: n }, (_, i) => ({ id: `s${i}`, kind: 'simulate', resource: 'search', args: { durationMs: 5 } })) }, null, 2);
  it(`at most ${MAX_RELATED} related tools, and the message counts them all`, () => {
    const src = analyzeSource(fan(20), { fileName: 'p.json', defaultEstimateMs: 1000 });
    const d = src.diagnostics.find((x) => x.code === 'unbounded-concurrency' && x.severity === 'warning');
    assert.ok(d);
    const related = relatedTools(src, d);
    assert.equal(related.shown.length, MAX_RELATED);
    assert.equal(related.total, 20);
    // The core's message already says "and 15 more": nothing is appended.
    assert.equal(messageWithCount(d, related), d.message);
    assert.match(d.message, /and 15 more/);
    const bare = { ...d, message: 'These tools overlap.' };
    assert.equal(messageWithCount(bare, related), 'These tools overlap. (20 tools involved; the first 5 are linked below.)');
  });
});

import { strict as assert } from 'node:assert';
import { formatMs } from '../../../src/core/render/format';
import { axis, CELL, drawBar, renderTimeline, toolSpans } from '../../../src/core/render/timeline';
import { stripAnsi } from '../../../src/core/render/style';
import { SAMPLE } from './records';

function rows(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^(\S) (\S+)\s+│(.*)│ (.*)$/.exec(line);
    if (match) m.set(match[2], `${match[1]}|${match[3]}|${match[4]}`);
  }
  return m;
}

describe('render/timeline', () => {
  it('fits every row to the given width', () => {
    for (const width of [60, 80, 100, 137]) {
      const text = renderTimeline(SAMPLE, { width });
      const r = [...rows(text).keys()];
      assert.deepEqual(r, ['a', 'b', 'c', 'd', 'e'], 'one row per tool, in plan order');
      for (const line of text.split('\n').filter((l) => l.includes('│'))) assert.ok([...line].length <= width, `${[...line].length} > ${width}: ${line}`);
      const bar = rows(text).get('a')!.split('|')[1];
      assert.ok([...bar].length >= 20);
    }
  });

  it('draws queued time and running time with different characters, at the right places', () => {
    const text = renderTimeline(SAMPLE, { width: 100 });
    const bar = (id: string): string => rows(text).get(id)!.split('|')[1];
    const w = bar('a').length;
    // a runs for the first 40%, b waits for it (queued) then runs to the end.
    assert.equal(bar('a').slice(0, Math.floor(w * 0.4)), CELL.running.repeat(Math.floor(w * 0.4)));
    assert.equal(bar('a').slice(Math.ceil(w * 0.4)).trim(), '');
    assert.equal(bar('b').slice(0, Math.floor(w * 0.4)), CELL.queued.repeat(Math.floor(w * 0.4)));
    assert.equal(bar('b').slice(Math.ceil(w * 0.4)), CELL.running.repeat(w - Math.ceil(w * 0.4)));
  });

  it('shows attempt boundaries: a failed attempt, the retry wait, the successful attempt', () => {
    const text = renderTimeline(SAMPLE, { width: 100 });
    const c = rows(text).get('c')!;
    const bar = c.split('|')[1];
    assert.match(bar, new RegExp(`^${CELL.failedAttempt}+${CELL.retryWait}+${CELL.running}+ +$`));
    assert.match(c.split('|')[2], /^600 ms · 2 attempts$/);
  });

  it('gives each row a status symbol and duration, and notes failures and skips', () => {
    const text = renderTimeline(SAMPLE, { width: 100, title: 'Sample' });
    const r = rows(text);
    assert.equal(r.get('a')!.split('|')[0], '✓');
    assert.equal(r.get('d')!.split('|')[0], '✗');
    assert.match(r.get('d')!.split('|')[2], /^100 ms · failed$/);
    assert.equal(r.get('e')!.split('|')[0], '↷');
    assert.equal(r.get('e')!.split('|')[1].trim(), '', 'a skipped tool never ran');
    assert.match(text, /^Sample — run failed in 1 s$/m);
    assert.match(text, /^✗ d: boom$/m);
    assert.match(text, /^↷ e: dependency 'd' failed$/m);
  });

  it('ends with sequential, makespan, critical path, lower bound, speedup and max concurrency', () => {
    const text = renderTimeline(SAMPLE, { width: 100, mode: 'simulated' });
    assert.match(text, /sequential 1\.9 s · makespan 1 s · critical path 1 s \(lower bound 1 s\) · speedup 1\.9× · max concurrency 2/);
    assert.match(text, /simulated failed in 1 s/);
  });

  it('shows an imported call\'s label after its id', () => {
    const text = renderTimeline(SAMPLE, { width: 100, labels: new Map([['a', 'get_weather'], ['b', 'b']]) });
    assert.match(text, /^✓ a get_weather │█/m);
    assert.match(text, /^✓ b {13}│·/m, 'a label equal to the id is not repeated');
  });

  it('colours only when asked, with the same characters underneath', () => {
    const plain = renderTimeline(SAMPLE, { width: 90 });
    const coloured = renderTimeline(SAMPLE, { width: 90, color: true });
    assert.notEqual(plain, coloured);
    assert.equal(stripAnsi(coloured), plain);
  });

  it('drawBar shows a span shorter than a cell, and spans cover [0, total]', () => {
    assert.equal(drawBar([{ from: 0, to: 1, cell: 'running' }], 1000, 10), `${CELL.running}${' '.repeat(9)}`);
    assert.equal(drawBar([{ from: 0, to: 1000, cell: 'queued' }], 1000, 10), CELL.queued.repeat(10));
    assert.equal(drawBar([], 0, 5), ' '.repeat(5));
    assert.deepEqual(toolSpans(SAMPLE.tools[1]).map((s) => s.cell), ['queued', 'running']);
  });
});

describe('render/timeline axis', () => {
  it('keeps tick labels apart and ends exactly under the end of the bar', () => {
    for (const [total, width] of [[493_000, 60], [1000, 40], [2130, 64], [0, 20], [12.3, 100]] as const) {
      const line = axis(total, width, 0);
      assert.ok(line.length <= width, `${line} longer than ${width}`);
      assert.ok(line.endsWith(formatMs(total)), line);
      for (const label of line.trim().split(/ {2,}/)) assert.match(label, /^(\d+(\.\d+)? (ms|s)|\d+ min( \d+ s)?)$/, `labels run together: ${line}`);
    }
  });
});

import { strict as assert } from 'node:assert';
import { LineIndex } from '../../src/core/plan/positions';

describe('LineIndex', () => {
  it('maps offsets to 1-based line and column across LF, CRLF and CR', () => {
    const idx = new LineIndex('ab\ncd\r\nef\rgh');
    assert.deepEqual(idx.position(0), { line: 1, column: 1 });
    assert.deepEqual(idx.position(4), { line: 2, column: 2 });
    assert.deepEqual(idx.position(7), { line: 3, column: 1 });
    assert.deepEqual(idx.position(10), { line: 4, column: 1 });
    assert.deepEqual(idx.range(3, 4), { offset: 3, length: 4, line: 2, column: 1, endLine: 3, endColumn: 1 });
  });
  it('clamps offsets outside the text', () => {
    const idx = new LineIndex('x');
    assert.deepEqual(idx.position(-5), { line: 1, column: 1 });
    assert.deepEqual(idx.position(99), { line: 1, column: 2 });
  });
});

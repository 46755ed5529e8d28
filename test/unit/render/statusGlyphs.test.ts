import * as assert from 'node:assert/strict';
import { FINAL_GLYPH, LIVE_GLYPH } from '../../../src/core/render/statusGlyphs';

describe('status glyphs', () => {
  it('give every status its own single character', () => {
    for (const glyphs of [FINAL_GLYPH, LIVE_GLYPH]) {
      const values = Object.values(glyphs);
      assert.equal(new Set(values).size, values.length, `two statuses share a glyph: ${values.join(' ')}`);
      for (const g of values) assert.equal([...g].length, 1, `"${g}" is more than one character`);
    }
  });

  it('use no pictographs on the terminal (an emoji font may be missing, and a terminal may draw them two cells wide)', () => {
    for (const [status, g] of Object.entries(FINAL_GLYPH)) {
      assert.doesNotMatch(g, /\p{Extended_Pictographic}/u, `${status}: "${g}" is a pictograph`);
    }
  });
});

import { strict as assert } from 'node:assert';
import { formatMs, formatSpeedup } from '../../../src/core/render/format';

describe('formatMs', () => {
  it('spells durations from milliseconds to days, rounding once (never "1 min 60 s" or "1000 ms")', () => {
    const cases: [number, string][] = [
      [0, '0 ms'], [850, '850 ms'], [999.6, '1 s'], [1234, '1.23 s'], [9996, '10 s'], [59_960, '1 min'],
      [75_000, '1 min 15 s'], [119_999, '2 min'], [3_599_600, '1 h'], [5_400_000, '1 h 30 min'],
      [86_399_000, '1 d'], [90_000_000, '1 d 1 h'], [-75_000, '-1 min 15 s'], [NaN, '—'],
    ];
    for (const [ms, text] of cases) assert.equal(formatMs(ms), text, String(ms));
  });

  it('keeps absurd durations (a typo like durationMs: 1e300) short', () => {
    assert.equal(formatMs(1e300), '1.16e+292 d');
  });

  it('speedup has at most two decimals', () => {
    assert.equal(formatSpeedup(4000 / 1300), '3.08×');
    assert.equal(formatSpeedup(1), '1×');
  });
});

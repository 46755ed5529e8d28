// OTLP's string-encoded nanoseconds → ms: the digit loop of nanosToMs against the plain reading
// (Number of the digits before the last six, plus the last six over 1e6), for every length.
import { strict as assert } from 'node:assert';
import { seededRandom } from '../../../src/core/random';
import { nanosToMs } from '../../../src/core/trace/values';

function plain(v: string): number {
  if (!/^\d+$/.test(v)) return NaN;
  if (v.length <= 6) return Number(v) / 1e6;
  return Number(v.slice(0, -6)) + Number(v.slice(-6)) / 1e6;
}

describe('trace: nanosToMs', () => {
  it('gives the plain reading for 1 to 30 digits, and NaN for anything but digits', () => {
    const rand = seededRandom(11);
    for (let len = 1; len <= 30; len++) {
      for (let k = 0; k < 2000; k++) {
        let s = '';
        for (let j = 0; j < len; j++) s += String(Math.floor(rand() * 10));
        assert.ok(Object.is(nanosToMs(s), plain(s)), s);
      }
    }
    assert.equal(nanosToMs('1735689600310534278'), 1735689600310.5343);
    for (const bad of ['', '12345678x', '-1234567', '1234567.5', ' 12345678', '١٢٣٤٥٦٧٨']) assert.ok(Number.isNaN(nanosToMs(bad)), bad);
    assert.equal(nanosToMs(2_000_000), 2);
    assert.equal(nanosToMs({ low: 2_000_000, high: 0 }), 2);
  });
});

import { strict as assert } from 'node:assert';
import type { RaceLane } from '../../../src/protocol/lessons';
import { rowHeight } from '../../../src/webview/lessons/race';
import { laneName, raceVerdict } from '../../../src/webview/lessons/raceVerdict';

const lane = (label: string, makespanMs: number, codes: readonly string[] = []): RaceLane => ({
  label, cap: null, makespanMs, bars: [], problems: codes.map((code) => ({ code, message: `${code} message` })),
});

describe('race verdict: honest words (issue 11 point 11)', () => {
  it('names lanes by the label before " — "', () => {
    assert.equal(laneName(lane('Unbounded — unbounded-40.toolplan.json', 1)), 'Unbounded');
    assert.equal(laneName(lane('One at a time (maxConcurrency 1)', 1)), 'One at a time (maxConcurrency 1)');
  });

  it('two clean lanes: the faster one by name and ratio, whichever lane it is', () => {
    assert.equal(raceVerdict([lane('Sequential — a', 4000), lane('Parallel — b', 1500)]), 'Parallel is 2.67× faster than Sequential: 1.5 s vs 4 s.');
    assert.equal(raceVerdict([lane('Parallel — b', 1500), lane('Sequential — a', 4000)]), 'Parallel is 2.67× faster than Sequential: 1.5 s vs 4 s.');
  });

  it('a flagged lane that ends first is never called faster; its problems are named', () => {
    const v = raceVerdict([lane('Unbounded — u', 777, ['unbounded-concurrency']), lane('Capped — c', 2720)]);
    assert.doesNotMatch(v, /faster/);
    assert.equal(v, 'Unbounded ends first on the virtual clock (777 ms vs 2.72 s), but its plan has unbounded-concurrency: a cost this clock does not show. Capped has no such problem.');
    assert.match(raceVerdict([lane('A', 1, ['x']), lane('B', 2, ['y'])]), /B has y too\.$/);
  });

  it('a flagged lane that is slower: the clean one is faster, and the problem is still said', () => {
    assert.equal(raceVerdict([lane('Race', 300, ['write-conflict']), lane('Merge', 400)]).startsWith('Race ends first'), true);
    assert.equal(raceVerdict([lane('Slow', 900, ['duplicate-call']), lane('Fast', 300)]), 'Fast is 3× faster than Slow: 300 ms vs 900 ms. Slow also has duplicate-call.');
  });

  it('a tie says so, with any problems', () => {
    assert.equal(raceVerdict([lane('A', 500), lane('B', 500.2)]), 'Both end at 500 ms.');
    assert.equal(raceVerdict([lane('A', 500, ['duplicate-call']), lane('B', 500)]), 'Both end at 500 ms. A has duplicate-call.');
  });

  it('a wait-for-end lane: its policy is said from its message, never as a problem it "also has" (reader finding S2)', () => {
    const waiting = (makespanMs: number, extra: readonly string[] = []): RaceLane => ({
      ...lane('Wait for the end — s', makespanMs, extra),
      stream: { endMs: 1800, policy: 'wait-for-end' },
      problems: [{ code: 'wait-for-end', message: 'No call starts before the stream ends at 1.8 s.' }, ...lane('x', 0, extra).problems],
    });
    const said = ' Wait for the end starts no call before the stream ends at 1.8 s.';
    assert.equal(raceVerdict([waiting(3300), lane('Dispatch as parsed — s', 2600)]), `Dispatch as parsed is 1.27× faster than Wait for the end: 2.6 s vs 3.3 s.${said}`);
    // Faster anyway (a stream whose last call is the longest): still "faster", not "a cost this clock does not show".
    assert.equal(raceVerdict([waiting(2000), lane('Dispatch as parsed — s', 2600)]), `Wait for the end is 1.3× faster than Dispatch as parsed: 2 s vs 2.6 s.${said}`);
    assert.equal(raceVerdict([waiting(2600), lane('Dispatch as parsed — s', 2600)]), `Both end at 2.6 s.${said}`);
    // A plan diagnostic on the same lane is still named, without the policy's code.
    assert.equal(raceVerdict([waiting(3300, ['duplicate-call']), lane('Dispatch as parsed — s', 2600)]), `Dispatch as parsed is 1.27× faster than Wait for the end: 2.6 s vs 3.3 s. Wait for the end also has duplicate-call.${said}`);
  });

  it('spells times and ratios with the one formatter (core/render/format.ts), as the CLI and the plan view do', () => {
    // 90 minutes against 30: "1 h 30 min", never "5400000 ms" or "90 min 0 s".
    assert.equal(raceVerdict([lane('Slow', 5_400_000), lane('Fast', 1_800_000)]), 'Fast is 3× faster than Slow: 30 min vs 1 h 30 min.');
    // 1234 and 1231 ms both read "1.23 s": the reader sees a tie, so the verdict says one.
    assert.equal(raceVerdict([lane('A', 1234), lane('B', 1231)]), 'Both end at 1.23 s.');
  });

  it('rows shrink so a 40-tool lane stays short; short plans keep full rows', () => {
    assert.equal(rowHeight(5), 16);
    assert.equal(rowHeight(12), 16);
    assert.equal(rowHeight(40), 5);
    assert.ok(rowHeight(40) * 40 <= 200);
    assert.equal(rowHeight(1000), 3);
  });
});

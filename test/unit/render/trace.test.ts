import { strict as assert } from 'node:assert';
import type { RunRecord } from '../../../src/core/engine/types';
import { assignLanes, QUEUE_PID, toChromeTrace, TOOLS_PID, type TraceEvent } from '../../../src/core/render/trace';
import { makePlan } from '../helpers/planBuilder';
import { SAMPLE, tool } from './records';

function toolEvents(events: readonly TraceEvent[]): TraceEvent[] {
  return events.filter((e) => e.ph === 'X' && e.pid === TOOLS_PID && e.cat?.startsWith('tool'));
}

/** No two spans of one lane overlap (touching is fine). */
function assertNoOverlap(events: readonly TraceEvent[]): void {
  const byLane = new Map<string, TraceEvent[]>();
  for (const e of events) byLane.set(`${e.pid}/${e.tid}`, [...(byLane.get(`${e.pid}/${e.tid}`) ?? []), e]);
  for (const [lane, list] of byLane) {
    const sorted = [...list].sort((a, b) => a.ts! - b.ts!);
    for (let i = 1; i < sorted.length; i++) {
      assert.ok(sorted[i].ts! >= sorted[i - 1].ts! + sorted[i - 1].dur!, `lane ${lane}: ${sorted[i - 1].name} overlaps ${sorted[i].name}`);
    }
  }
}

/** A random run: n tools with random queue/run intervals and some retries. */
function randomRecord(n: number, seed: number): RunRecord {
  let x = seed;
  const rnd = (): number => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  const tools = Array.from({ length: n }, (_, i) => {
    const q = Math.floor(rnd() * 1000);
    const s = q + Math.floor(rnd() * 200);
    const e = s + 1 + Math.floor(rnd() * 300);
    return tool(`t${i}`, { span: [q, s, e] });
  });
  return { status: 'succeeded', makespanMs: Math.max(...tools.map((t) => t.endedAt!)), sequentialMs: 0, criticalPathMs: 0, lowerBoundMs: 0, maxObservedConcurrency: 0, tools };
}

describe('render/trace', () => {
  it('puts overlapping tools in different lanes, in microseconds, with metadata', () => {
    const trace = toChromeTrace(SAMPLE, makePlan([{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }, { id: 'e' }], { name: 'Sample' }));
    const ev = trace.traceEvents;
    const a = toolEvents(ev).find((e) => e.name === 'a')!;
    assert.deepEqual([a.ts, a.dur], [0, 400_000]);
    assert.equal(a.args?.status, 'succeeded');
    assert.equal(a.args?.kind, 'simulate');
    const tidOf = (id: string): number => toolEvents(ev).find((e) => e.name === id)!.tid;
    // a (0–400) and c (0–600) overlap; b starts at 400 and may reuse a's lane.
    assert.notEqual(tidOf('a'), tidOf('c'));
    assert.equal(tidOf('b'), tidOf('a'));
    assertNoOverlap(toolEvents(ev));
    assert.ok(ev.some((e) => e.ph === 'M' && e.name === 'process_name' && String(e.args?.name).includes('Sample')));
    assert.ok(ev.some((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === TOOLS_PID));
    assert.equal(trace.otherData.makespanMs, 1000);
    JSON.parse(JSON.stringify(trace));
  });

  it('shows queued spans in the queue process and each attempt nested in its tool', () => {
    const ev = toChromeTrace(SAMPLE).traceEvents;
    const q = ev.filter((e) => e.pid === QUEUE_PID && e.ph === 'X');
    assert.deepEqual(q.map((e) => [e.name, e.ts, e.dur]), [['b (queued)', 0, 400_000]]);
    const c = toolEvents(ev).find((e) => e.name === 'c')!;
    const nested = ev.filter((e) => e.pid === TOOLS_PID && e.tid === c.tid && e.ph === 'X' && !e.cat?.startsWith('tool') && e.ts! >= c.ts! && e.ts! < c.ts! + c.dur!);
    assert.deepEqual(nested.map((e) => e.name), ['c #1', 'retry wait', 'c #2']);
    assert.equal(nested[0].args?.error, 'flaky');
    assert.equal(nested[0].cat, 'attempt,failed');
    const d = toolEvents(ev).find((e) => e.name === 'd')!;
    assert.equal(d.args?.error, 'boom');
    assert.equal(d.cat, 'tool,failed');
    const skipped = ev.find((e) => e.ph === 'i' && e.name === 'e (skipped)');
    assert.ok(skipped, 'a skipped tool is an instant event');
  });

  it('never lets two tools share a lane while they overlap (random runs)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const record = randomRecord(60, seed);
      const ev = toChromeTrace(record).traceEvents;
      assertNoOverlap(toolEvents(ev));
      assertNoOverlap(ev.filter((e) => e.pid === QUEUE_PID && e.ph === 'X'));
      // Greedy partitioning is optimal: lanes = the largest number of tools running at one instant.
      const points = record.tools.flatMap((t) => [[t.startedAt!, 1], [t.endedAt!, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      let live = 0;
      let peak = 0;
      for (const [, d] of points) peak = Math.max(peak, (live += d));
      assert.equal(new Set(toolEvents(ev).map((e) => e.tid)).size, peak, `seed ${seed}`);
    }
  });

  it('assignLanes reuses a lane when one interval ends exactly as the next starts', () => {
    assert.deepEqual(assignLanes([{ from: 0, to: 10 }, { from: 10, to: 20 }, { from: 5, to: 15 }]), [0, 0, 1]);
  });
});

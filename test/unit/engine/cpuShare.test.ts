import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VirtualClock } from '../../../src/core/engine/clock';
import { CpuShare } from '../../../src/core/engine/cpuShare';
import { simulate } from '../../../src/core/engine/simulate';
import { parsePlan } from '../../../src/core/plan/parse';
import type { Plan } from '../../../src/core/plan/types';

const LESSONS = join(__dirname, '..', '..', '..', 'lessons');

function plan(text: string, fileName = 'p.toolplan.json'): Plan {
  const parsed = parsePlan(text, { fileName });
  assert.ok(parsed.plan, JSON.stringify(parsed.diagnostics));
  return parsed.plan;
}

function cpuPlan(n: number, ms: number, extra: Record<string, unknown> = {}): Plan {
  const tools = Array.from({ length: n }, (_, i) => ({ id: `c${i + 1}`, kind: 'cpu', args: { durationMs: ms } }));
  return plan(JSON.stringify({ ...extra, tools }));
}

const ends = (r: { tools: readonly { endedAt: number | null }[] }) => r.tools.map((t) => t.endedAt);

describe('simulate(): cpu tools share the cores (processor sharing)', () => {
  it('eight 400 ms cpu tools at once on 4 cores all end at 800 ms, none earlier', async () => {
    const r = await simulate(cpuPlan(8, 400), { cores: 4 });
    assert.equal(r.makespanMs, 800);
    assert.deepEqual(ends(r), Array(8).fill(800));
  });

  it('capped at the core count they run at full speed: four at 400 ms, four at 800 ms', async () => {
    const r = await simulate(cpuPlan(8, 400, { maxConcurrency: 4 }), { cores: 4 });
    assert.equal(r.makespanMs, 800);
    assert.deepEqual([...ends(r)].sort((a, b) => (a ?? 0) - (b ?? 0)), [400, 400, 400, 400, 800, 800, 800, 800]);
  });

  it('capped below the core count the batch takes longer (2 at a time: 1600 ms)', async () => {
    const r = await simulate(cpuPlan(8, 400, { maxConcurrency: 2 }), { cores: 4 });
    assert.equal(r.makespanMs, 1600);
  });

  it('tools that wait (simulate, http…) take no core: their durations are unchanged', async () => {
    const p = plan(JSON.stringify({
      tools: [
        ...Array.from({ length: 6 }, (_, i) => ({ id: `c${i}`, kind: 'cpu', args: { durationMs: 300 } })),
        { id: 'wait', kind: 'simulate', args: { durationMs: 300 } },
        { id: 'after', kind: 'simulate', dependsOn: ['c0'], args: { durationMs: 100 } },
      ],
    }));
    const r = await simulate(p, { cores: 3 });
    const at = (id: string) => r.tools.find((t) => t.id === id);
    assert.equal(at('wait')?.endedAt, 300);
    assert.equal(at('c0')?.endedAt, 600); // 6 on 3 cores: half a core each
    assert.equal(at('after')?.startedAt, 600);
    assert.equal(r.makespanMs, 700);
  });

  it('a timeout counts wall time on the clock, so a slowed cpu tool can time out', async () => {
    const p = plan(JSON.stringify({
      tools: Array.from({ length: 4 }, (_, i) => ({ id: `c${i}`, kind: 'cpu', timeoutMs: 500, args: { durationMs: 400 } })),
    }));
    const alone = await simulate(p, { cores: 4 });
    assert.ok(alone.tools.every((t) => t.status === 'succeeded'));
    const crowded = await simulate(p, { cores: 2 });
    assert.ok(crowded.tools.every((t) => t.status === 'timed-out'), crowded.tools.map((t) => t.status).join(','));
  });

  it('the course race: cpu-oversubscribed ends at 800 ms on 4 cores, cpu-capped (4 at a time) too, at full speed', async () => {
    const read = (name: string) => plan(readFileSync(join(LESSONS, 'samples', name), 'utf8'), name);
    const over = await simulate(read('cpu-oversubscribed.toolplan.json'), { cores: 4 });
    const capped = await simulate(read('cpu-capped.toolplan.json'), { cores: 4 });
    assert.equal(over.makespanMs, 800);
    assert.equal(capped.makespanMs, 800);
    assert.equal(Math.min(...capped.tools.map((t) => t.endedAt ?? Infinity)), 400);
    assert.equal(Math.min(...over.tools.map((t) => t.endedAt ?? Infinity)), 800);
  });
});

describe('CpuShare', () => {
  it('a job that joins later slows the running one; the total work is conserved', async () => {
    const clock = new VirtualClock();
    const share = new CpuShare(clock, 1);
    const log: string[] = [];
    const a = share.compute(400).then(() => log.push(`a@${clock.now()}`));
    await clock.sleep(100);
    const b = share.compute(200).then(() => log.push(`b@${clock.now()}`));
    await Promise.all([a, b]);
    // 0–100: a alone (300 left); 100–500: both at half speed (b done, a 100 left); 500–600: a alone.
    assert.deepEqual(log, ['b@500', 'a@600']);
  });

  it('an aborted job gives its share back at once and rejects with the reason', async () => {
    const clock = new VirtualClock();
    const share = new CpuShare(clock, 1);
    const ac = new AbortController();
    const a = share.compute(400);
    const b = share.compute(400, ac.signal);
    await clock.sleep(100);
    ac.abort(new Error('stop'));
    await assert.rejects(b, /stop/);
    await a;
    // 0–100 at half speed (350 left), then alone: 450.
    assert.equal(clock.now(), 450);
    assert.equal(share.running, 0);
    assert.equal(clock.pendingTimers, 0);
  });

  it('at most `cores` jobs run at full speed; three 300 ms jobs on 2 cores end together at 450 ms', async () => {
    const clock = new VirtualClock();
    const share = new CpuShare(clock, 2);
    await Promise.all([share.compute(300), share.compute(300), share.compute(300)]);
    assert.equal(clock.now(), 450);
    assert.throws(() => new CpuShare(clock, 0), /at least one core/);
  });
});

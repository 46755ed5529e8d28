// Section 4: executor overhead. N independent no-op tools (a runner that resolves at once) through
// execute() on the real clock, every event pushed into an array, against p-limit running the same
// no-ops at the same concurrency in the same process. tools/s = N ÷ wall time of the whole run
// (execute() includes choosing the priority and building the run record).
import { performance } from 'node:perf_hooks';
import { createRealClock } from '../../../src/core/engine/clock';
import { execute } from '../../../src/core/engine/execute';
import type { RunEvent, ToolRunner } from '../../../src/core/engine/types';
import type { JsonValue, Plan } from '../../../src/core/plan/types';
import { fx, table, type BenchContext, type SectionResult, type Target } from '../report';
import { median, round } from '../stats';
import { stgToPlan } from '../stg';

const CONCURRENCY = 16;

const noop: ToolRunner = { run: () => Promise.resolve(null) };
const noopFn = (): Promise<JsonValue> => Promise.resolve(null);

export function noopPlan(n: number): Plan {
  return stgToPlan({ name: `noop-${n}`, durations: new Array<number>(n).fill(0), preds: Array.from({ length: n }, () => []) }, CONCURRENCY);
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
}

interface Timing {
  readonly ms: number;
  /** CPU time (user + system) of this process during the run: less sensitive to a busy machine. */
  readonly cpuMs: number;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

async function fanoutRun(plan: Plan): Promise<Timing & { events: number }> {
  collect();
  const events: RunEvent[] = [];
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const record = await execute(plan, { runners: { simulate: noop }, clock: createRealClock(), maxConcurrency: CONCURRENCY, onEvent: (e) => events.push(e) });
  const ms = performance.now() - t0;
  const cpu = cpuMs(c0);
  if (record.status !== 'succeeded') throw new Error(`throughput: the no-op run ended '${record.status}'`);
  return { ms, cpuMs: cpu, events: events.length };
}

async function pLimitRun(n: number): Promise<Timing> {
  // p-limit is ESM-only; the bench runs as CommonJS.
  const { default: pLimit } = await import('p-limit');
  collect();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const limit = pLimit(CONCURRENCY);
  const all: Promise<JsonValue>[] = new Array<Promise<JsonValue>>(n);
  for (let i = 0; i < n; i++) all[i] = limit(noopFn);
  await Promise.all(all);
  return { ms: performance.now() - t0, cpuMs: cpuMs(c0) };
}

export async function throughputSection(ctx: BenchContext): Promise<SectionResult> {
  const n = ctx.quick ? 10_000 : 100_000;
  const reps = ctx.quick ? 1 : 3;
  const plan = noopPlan(n);
  // Warm-up (JIT) on a small plan, not measured.
  await fanoutRun(noopPlan(2000));
  await pLimitRun(2000);
  const fan: number[] = [];
  const lim: number[] = [];
  const fanCpu: number[] = [];
  const limCpu: number[] = [];
  let events = 0;
  for (let k = 0; k < reps; k++) {
    ctx.progress(`throughput: ${n} no-ops, round ${k + 1}/${reps}`);
    const f = await fanoutRun(plan);
    events = f.events;
    fan.push(f.ms);
    fanCpu.push(f.cpuMs);
    const l = await pLimitRun(n);
    lim.push(l.ms);
    limCpu.push(l.cpuMs);
  }
  const fanMs = median(fan);
  const limMs = median(lim);
  const fanRate = n / (fanMs / 1000);
  const limRate = n / (limMs / 1000);
  const fanCpuRate = n / (median(fanCpu) / 1000);
  const limCpuRate = n / (median(limCpu) / 1000);
  const lines = [
    `${n.toLocaleString('en-US')} independent no-op tools, concurrency ${CONCURRENCY}, ${reps} round${reps > 1 ? 's' : ''} (median); Fanout records every event (${events.toLocaleString('en-US')} per run)`,
    ...table(
      ['runner', 'wall ms (median)', 'rounds ms', 'tools/s', 'CPU ms (median)', 'tools/CPU-s'],
      [
        ['Fanout execute()', fx(fanMs, 1), fan.map((x) => fx(x, 0)).join(' / '), Math.round(fanRate).toLocaleString('en-US'), fx(median(fanCpu), 1), Math.round(fanCpuRate).toLocaleString('en-US')],
        ['p-limit', fx(limMs, 1), lim.map((x) => fx(x, 0)).join(' / '), Math.round(limRate).toLocaleString('en-US'), fx(median(limCpu), 1), Math.round(limCpuRate).toLocaleString('en-US')],
      ],
    ),
    `Fanout ÷ p-limit throughput: ${fx(fanRate / limRate, 3)} wall, ${fx(fanCpuRate / limCpuRate, 3)} CPU (p-limit only limits; Fanout also schedules by priority, emits and records ${Math.round(events / n)} events per tool, and builds the run record)`,
  ];
  const targets: Target[] = [
    { section: 'throughput', name: 'no-op tools per second with events', target: '≥ 100000', value: Math.round(fanRate), unit: 'tools/s', met: fanRate >= 100_000 },
    // The same target per CPU-second of this process: what the figure would be on an idle machine.
    { section: 'throughput', name: 'no-op tools per CPU-second with events', target: '≥ 100000', value: Math.round(fanCpuRate), unit: 'tools/CPU-s', met: fanCpuRate >= 100_000 },
  ];
  return {
    key: 'throughput',
    title: '4. Throughput: no-op tools through execute() vs p-limit',
    lines,
    targets,
    json: {
      tools: n, concurrency: CONCURRENCY, rounds: reps, eventsPerRun: events,
      fanoutMs: fan.map((x) => round(x, 2)), pLimitMs: lim.map((x) => round(x, 2)),
      fanoutCpuMs: fanCpu.map((x) => round(x, 2)), pLimitCpuMs: limCpu.map((x) => round(x, 2)),
      fanoutToolsPerSec: Math.round(fanRate), pLimitToolsPerSec: Math.round(limRate), ratio: round(fanRate / limRate, 4),
      fanoutToolsPerCpuSec: Math.round(fanCpuRate), pLimitToolsPerCpuSec: Math.round(limCpuRate), cpuRatio: round(fanCpuRate / limCpuRate, 4),
    },
  };
}

// Section 3: does a real run do what the simulation promised? A 200-tool plan of `simulate` tools
// (20–80 ms) at 16 slots, run by execute() on the real clock with the real simulate runner.
// Figures per run: real makespan ÷ predicted makespan, and dispatch latency: for every tool that
// did not have to wait for a slot, the time from its last dependency's end to its start.
import { buildGraph } from '../../../src/core/analysis/graph';
import { createRealClock } from '../../../src/core/engine/clock';
import { execute } from '../../../src/core/engine/execute';
import { predictMakespan, simulate } from '../../../src/core/engine/simulate';
import type { RunEvent } from '../../../src/core/engine/types';
import type { Plan } from '../../../src/core/plan/types';
import { createNodeRunners } from '../../../src/core/tools';
import { generate, rng } from '../generators';
import { fx, table, type BenchContext, type SectionResult, type Target } from '../report';
import { max, mean, median, percentile, round } from '../stats';
import { stgToPlan } from '../stg';

const TOOLS = 200;
const SLOTS = 16;

export interface Latencies {
  /** ms from the last dependency's end to the start, for tools that never waited for a slot. */
  readonly samples: number[];
  /** Tools with dependencies that had to wait for a slot (excluded from the samples). */
  readonly slotBound: number;
}

/**
 * Dependency-end → start latency from an event stream. A tool counts only if no instant between
 * its becoming ready and its start had every slot taken (otherwise its wait is the cap working,
 * not dispatch latency): `full` counts the times the running count reached the cap.
 */
export function dispatchLatencies(plan: Plan, events: readonly RunEvent[], cap: number): Latencies {
  const index = new Map(plan.tools.map((t, i) => [t.id, i]));
  const endAt = new Map<string, number>();
  const readyEpoch = new Map<string, number>();
  let running = 0;
  let full = 0;
  const samples: number[] = [];
  let slotBound = 0;
  for (const e of events) {
    switch (e.type) {
      case 'queued':
        readyEpoch.set(e.id, running >= cap ? -1 : full);
        break;
      case 'started': {
        const t = plan.tools[index.get(e.id) as number];
        if (t.dependsOn.length > 0) {
          const ready = Math.max(...t.dependsOn.map((d) => endAt.get(d) ?? NaN));
          if (readyEpoch.get(e.id) === full) samples.push(e.at - ready);
          else slotBound++;
        }
        running++;
        if (running >= cap) full++;
        break;
      }
      case 'succeeded':
      case 'failed':
      case 'timed-out':
        endAt.set(e.id, e.at);
        if (!e.dedupedFrom) running--;
        break;
      case 'cancelled':
        running--;
        break;
      default:
        break;
    }
  }
  return { samples, slotBound };
}

/** The fidelity plan: a layered DAG (seeded) with uniform 20–80 ms durations. */
export function fidelityPlan(): { plan: Plan; durations: number[] } {
  const g = generate('layered', TOOLS, 4242);
  const r = rng(99);
  const durations = g.durations.map(() => 20 + Math.floor(r() * 61));
  return { plan: stgToPlan({ ...g, name: 'fidelity-200', durations }, SLOTS), durations };
}

/** How long each tool really took (last attempt: started → succeeded), in plan order. */
export function measuredDurations(plan: Plan, events: readonly RunEvent[]): number[] {
  const index = new Map(plan.tools.map((t, i) => [t.id, i]));
  const started = new Float64Array(plan.tools.length);
  const took = new Array<number>(plan.tools.length).fill(NaN);
  for (const e of events) {
    if (e.type === 'started') started[index.get(e.id) as number] = e.at;
    else if (e.type === 'succeeded') took[index.get(e.id) as number] = e.at - started[index.get(e.id) as number];
  }
  return took;
}

/** Total time during which some tool was ready (queued, not started) while fewer than `cap` ran. */
export function idleWithReady(events: readonly RunEvent[], cap: number): number {
  let running = 0;
  let last = 0;
  let idle = 0;
  const waiting = new Set<string>();
  for (const e of events) {
    if (waiting.size > 0 && running < cap) idle += e.at - last;
    last = e.at;
    if (e.type === 'queued') waiting.add(e.id);
    else if (e.type === 'started') {
      waiting.delete(e.id);
      running++;
    } else if (e.type === 'succeeded' || e.type === 'failed' || e.type === 'timed-out' || (e.type === 'cancelled' && !waiting.delete(e.id))) running--;
  }
  return idle;
}

interface RunFigures {
  readonly realMs: number;
  /** Time during which a tool was ready and a slot free (the executor's own delay, summed). */
  readonly idleMs: number;
  /** Mean of (real duration − planned duration) per tool: timer lateness, not scheduling. */
  readonly overshootMeanMs: number;
  readonly overshootMaxMs: number;
  readonly predictedMs: number;
  readonly ratio: number;
  readonly latencyMedianMs: number;
  readonly latencyP99Ms: number;
  readonly latencyMaxMs: number;
  readonly samples: number;
  readonly slotBound: number;
  readonly status: string;
}

export async function fidelitySection(ctx: BenchContext): Promise<SectionResult> {
  const { plan, durations } = fidelityPlan();
  const { graph } = buildGraph(plan);
  if (!graph) throw new Error('fidelity plan: buildGraph failed');
  const predicted = predictMakespan(plan, graph, durations, SLOTS);
  const virtual = (await simulate(plan, { maxConcurrency: SLOTS })).makespanMs;
  const runs: RunFigures[] = [];
  const count = ctx.quick ? 1 : 3;
  const node = createNodeRunners({ cpuPoolSize: 1 });
  try {
    for (let k = 0; k < count; k++) {
      ctx.progress(`fidelity: run ${k + 1}/${count} (predicted ${predicted} ms)`);
      const events: RunEvent[] = [];
      const record = await execute(plan, { runners: node.runners, clock: createRealClock(), maxConcurrency: SLOTS, durations, onEvent: (e) => events.push(e) });
      const lat = dispatchLatencies(plan, events, SLOTS);
      const took = measuredDurations(plan, events);
      const overshoot = took.map((t, i) => t - durations[i]);
      runs.push({
        realMs: record.makespanMs, idleMs: idleWithReady(events, SLOTS), overshootMeanMs: mean(overshoot), overshootMaxMs: max(overshoot),
        predictedMs: predicted, ratio: record.makespanMs / predicted,
        latencyMedianMs: median(lat.samples), latencyP99Ms: percentile(lat.samples, 99), latencyMaxMs: max(lat.samples),
        samples: lat.samples.length, slotBound: lat.slotBound, status: record.status,
      });
    }
  } finally {
    await node.dispose();
  }
  const worstRatio = max(runs.map((r) => r.ratio));
  const worstMedian = max(runs.map((r) => r.latencyMedianMs));
  const lines = [
    `${TOOLS} simulate tools (20–80 ms, layered DAG), ${SLOTS} slots, execute() on the real clock; predicted makespan ${predicted} ms (simulate() on the VirtualClock: ${virtual} ms)`,
    ...table(
      ['run', 'real ms', 'real ÷ predicted', 'timer late (mean/max)', 'ready+idle', 'latency median', 'p99', 'max', 'samples', 'slot-bound', 'status'],
      runs.map((r, k) => [String(k + 1), fx(r.realMs, 1), fx(r.ratio, 4), `${fx(r.overshootMeanMs, 2)}/${fx(r.overshootMaxMs, 1)} ms`, `${fx(r.idleMs, 1)} ms`, `${fx(r.latencyMedianMs, 3)} ms`, `${fx(r.latencyP99Ms, 3)} ms`, `${fx(r.latencyMaxMs, 3)} ms`, String(r.samples), String(r.slotBound), r.status]),
    ),
    `timer late = how much longer than its durationMs each tool really took (timers, OS, event loop: not the scheduler); ready+idle = total time a tool was ready while a slot was free (the executor's own delay)`,
    `latency = start − last dependency's end, over tools that never found every slot taken while ready (the others waited for the cap, by design)`,
  ];
  const targets: Target[] = [
    { section: 'fidelity', name: 'real ÷ simulated makespan (worst run)', target: '≤ 1.03', value: round(worstRatio, 4), unit: 'ratio', met: worstRatio <= 1.03 },
    { section: 'fidelity', name: 'dependency-end → start latency median (worst run)', target: '< 1 ms', value: round(worstMedian, 4), unit: 'ms', met: worstMedian < 1 },
    { section: 'fidelity', name: 'simulate() on VirtualClock = predictMakespan', target: `${predicted}`, value: virtual, unit: 'ms', met: virtual === predicted },
  ];
  return {
    key: 'fidelity',
    title: '3. Real-run fidelity: execute() on the real clock vs the simulation',
    lines,
    targets,
    json: {
      tools: TOOLS, slots: SLOTS, predictedMs: predicted, virtualClockMs: virtual,
      runs: runs.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? round(v, 4) : v]))),
    },
  };
}

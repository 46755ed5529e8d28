// Shared helpers for the engine tests: random DAG plans for property tests and event-stream checks.
import fc from 'fast-check';
import type { Plan } from '../../../src/core/plan/types';
import type { RunEvent } from '../../../src/core/engine/types';
import { makePlan, type ToolInit } from '../helpers/planBuilder';

export interface RandomPlanShape {
  readonly n: number;
  readonly edges: readonly (readonly number[])[];
  readonly durations: readonly number[];
  readonly resources: readonly (number | null)[];
  readonly maxConcurrency: number | null;
  readonly limits: readonly number[];
  readonly fails: readonly boolean[];
}

/** Random DAGs: edges only go from lower to higher index; durations include ties and zeros. */
export function randomPlanShape(opts: { maxTools?: number; withFailures?: boolean } = {}): fc.Arbitrary<RandomPlanShape> {
  const maxTools = opts.maxTools ?? 24;
  return fc.integer({ min: 1, max: maxTools }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      edges: fc.tuple(...Array.from({ length: n }, (_, i) => fc.subarray(Array.from({ length: i }, (_, k) => k), { maxLength: Math.min(4, i) }))),
      durations: fc.array(fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 100 })), { minLength: n, maxLength: n }),
      resources: fc.array(fc.option(fc.integer({ min: 0, max: 2 }), { freq: 2 }), { minLength: n, maxLength: n }),
      maxConcurrency: fc.option(fc.integer({ min: 1, max: 5 })),
      limits: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 3, maxLength: 3 }),
      fails: opts.withFailures
        ? fc.array(fc.integer({ min: 0, max: 7 }).map((r) => r === 0), { minLength: n, maxLength: n })
        : fc.constant(Array.from({ length: n }, () => false)),
    }),
  ) as fc.Arbitrary<RandomPlanShape>;
}

export function planFromShape(s: RandomPlanShape, extra: Partial<Omit<Plan, 'tools'>> = {}): Plan {
  const tools: ToolInit[] = Array.from({ length: s.n }, (_, i) => ({
    id: `t${i}`,
    args: { durationMs: s.durations[i], result: i, ...(s.fails[i] ? { error: `t${i} broke` } : {}) },
    dependsOn: s.edges[i].map((k) => `t${k}`),
    ...(s.resources[i] !== null ? { resource: `r${s.resources[i]}` } : {}),
  }));
  const limits = Object.create(null) as Record<string, number>;
  s.limits.forEach((l, k) => (limits[`r${k}`] = l));
  return makePlan(tools, { limits, ...(s.maxConcurrency !== null ? { maxConcurrency: s.maxConcurrency } : {}), ...extra });
}

const FINAL = new Set(['succeeded', 'failed', 'timed-out', 'skipped', 'cancelled', 'denied']);

/** Checks the invariants every event stream must satisfy; returns a list of violations. */
export function checkEvents(plan: Plan, events: readonly RunEvent[]): string[] {
  const problems: string[] = [];
  const byId = new Map(plan.tools.map((t) => [t.id, t]));
  const finals = new Map<string, number>();
  const ended = new Map<string, number>();
  const running = new Set<string>();
  const asked = new Set<string>();
  const approved = new Set<string>();
  const perResource = new Map<string, number>();
  const cap = plan.maxConcurrency ?? Infinity;
  let last = -Infinity;
  if (events[0]?.type !== 'run-started') problems.push('first event is not run-started');
  if (events[events.length - 1]?.type !== 'run-ended') problems.push('last event is not run-ended');
  for (const e of events) {
    if (e.at < last - 1e-9) problems.push(`time went back at ${JSON.stringify(e)}`);
    last = e.at;
    if (!('id' in e)) continue;
    const tool = byId.get(e.id);
    if (!tool) {
      problems.push(`unknown id ${e.id}`);
      continue;
    }
    const res = tool.resource;
    const endAttempt = (): void => {
      if (running.delete(e.id) && res !== undefined) perResource.set(res, (perResource.get(res) ?? 0) - 1);
    };
    if (e.type === 'awaiting-approval') asked.add(e.id);
    if (e.type === 'approved') {
      if (!asked.has(e.id)) problems.push(`${e.id} approved without being asked about`);
      approved.add(e.id);
    }
    if (e.type === 'started') {
      if (finals.has(e.id)) problems.push(`${e.id} started after its final state`);
      if (asked.has(e.id) && !approved.has(e.id)) problems.push(`${e.id} started while waiting for approval`);
      for (const d of tool.dependsOn) {
        const endAt = ended.get(d);
        if (endAt === undefined) problems.push(`${e.id} started before dependency ${d} succeeded`);
        else if (endAt > e.at + 1e-9) problems.push(`${e.id} started at ${e.at} before ${d} ended at ${endAt}`);
      }
      running.add(e.id);
      if (running.size > cap) problems.push(`${running.size} running > cap ${cap} at ${e.at}`);
      if (res !== undefined) {
        const c = (perResource.get(res) ?? 0) + 1;
        perResource.set(res, c);
        const lim = plan.limits[res];
        if (lim !== undefined && c > lim) problems.push(`${c} running on ${res} > limit ${lim} at ${e.at}`);
      }
    } else if (e.type === 'attempt-failed') {
      endAttempt();
    } else if (FINAL.has(e.type)) {
      endAttempt();
      finals.set(e.id, (finals.get(e.id) ?? 0) + 1);
      if (e.type === 'succeeded') ended.set(e.id, e.at);
    }
  }
  for (const t of plan.tools) {
    const k = finals.get(t.id) ?? 0;
    if (k !== 1) problems.push(`${t.id} has ${k} final states`);
  }
  if (running.size > 0) problems.push(`still running at the end: ${[...running].join(', ')}`);
  return problems;
}

/** Collects events into an array (for options.onEvent). */
export function recorder(): { events: RunEvent[]; onEvent: (e: RunEvent) => void } {
  const events: RunEvent[] = [];
  return { events, onEvent: (e) => events.push(e) };
}

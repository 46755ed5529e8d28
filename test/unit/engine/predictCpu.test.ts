// predictMakespan charges CPU contention exactly as simulate() does (processorSharing.ts is the one
// implementation), so analysis, exercise grading and `fanout simulate --cores N` agree on cpu tools.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../src/core/analysis/analyze';
import { buildGraph } from '../../../src/core/analysis/graph';
import { predictMakespan, predictSchedule, simulate } from '../../../src/core/engine/simulate';
import { analyzeForGrading, predictedMakespanMs } from '../../../src/core/lessons/makespan';
import { parsePlan } from '../../../src/core/plan/parse';
import type { Plan } from '../../../src/core/plan/types';
import { makePlan } from '../helpers/planBuilder';
import { planFromShape, randomPlanShape } from './helpers';

const SAMPLES = join(__dirname, '..', '..', '..', 'lessons', 'samples');

function cpuPlan(n: number, ms: number, extra: Partial<Omit<Plan, 'tools'>> = {}): Plan {
  return makePlan(Array.from({ length: n }, (_, i) => ({ id: `c${i + 1}`, kind: 'cpu' as const, durationMs: ms })), extra);
}

function predict(plan: Plan, cores?: number, maxConcurrency?: number): number {
  const { graph } = buildGraph(plan);
  assert.ok(graph);
  return predictMakespan(plan, graph, plan.tools.map((t) => Number(t.args.durationMs ?? 0)), maxConcurrency, cores);
}

describe('predictMakespan(): cpu tools share the cores as in simulate()', () => {
  it('eight 400 ms cpu tools on 4 cores predict 800 ms (400 ms without cores: no contention)', () => {
    assert.equal(predict(cpuPlan(8, 400), 4), 800);
    assert.equal(predict(cpuPlan(8, 400), 2), 1600);
    assert.equal(predict(cpuPlan(8, 400)), 400);
  });

  it('predictSchedule gives every oversubscribed tool its stretched end, as a simulation records it', async () => {
    const plan = cpuPlan(8, 400);
    const { graph } = buildGraph(plan);
    assert.ok(graph);
    const s = predictSchedule(plan, graph, plan.tools.map(() => 400), undefined, 4);
    const r = await simulate(plan, { cores: 4 });
    assert.deepEqual([...s.end], r.tools.map((t) => t.endedAt));
  });

  it('analysis with cores (a course, an exercise) predicts the cpu-oversubscribed sample at 800 ms', () => {
    const text = readFileSync(join(SAMPLES, 'cpu-oversubscribed.toolplan.json'), 'utf8');
    const parsed = parsePlan(text, { fileName: 'cpu-oversubscribed.toolplan.json' });
    assert.ok(parsed.plan);
    assert.equal(predictedMakespanMs(analyzeForGrading(parsed.plan, parsed.diagnostics, { cores: 4 })), 800);
    assert.equal(predictedMakespanMs(analyzeForGrading(parsed.plan, parsed.diagnostics, { cores: 8 })), 400);
    const viaAnalyze = analyze(parsed.plan, parsed.diagnostics, { cores: 4, predictMakespan: (p, g, d, cores) => predictMakespan(p, g, d, undefined, cores) });
    assert.equal(viaAnalyze.estimate.parallelMs, 800);
  });

  it('random DAGs of cpu and waiting tools, caps, limits and 1–4 cores: prediction = simulation', async function () {
    this.timeout(120_000); // 150 simulations on a loaded machine
    await fc.assert(
      fc.asyncProperty(randomPlanShape({ maxTools: 16 }), fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }), fc.integer({ min: 1, max: 4 }), async (shape, cpu, cores) => {
        const base = planFromShape(shape);
        const plan: Plan = { ...base, tools: base.tools.map((t, i) => (cpu[i] ? { ...t, kind: 'cpu' as const, args: { durationMs: shape.durations[i] } } : t)) };
        const { graph } = buildGraph(plan);
        assert.ok(graph);
        const record = await simulate(plan, { cores, durations: shape.durations });
        const predicted = predictMakespan(plan, graph, shape.durations, undefined, cores);
        assert.ok(Math.abs(record.makespanMs - predicted) <= 1e-9 * Math.max(1, predicted), `simulated ${record.makespanMs} vs predicted ${predicted} on ${cores} cores`);
        const s = predictSchedule(plan, graph, shape.durations, undefined, cores);
        record.tools.forEach((t, i) => assert.ok(Math.abs((t.endedAt ?? NaN) - s.end[i]) <= 1e-9 * Math.max(1, s.end[i]), `${t.id}: simulated end ${t.endedAt}, predicted ${s.end[i]}`));
      }),
      { numRuns: 150 },
    );
  });
});

describe('simulate() record: time-sliced cpu tools count their own work', () => {
  it('8 × 400 ms cpu tools on 4 cores: sequential 3.2 s (not 6.4 s), speedup 4×, critical path 400 ms, lower bound 800 ms', async () => {
    const r = await simulate(cpuPlan(8, 400), { cores: 4 });
    assert.equal(r.makespanMs, 800);
    assert.equal(r.sequentialMs, 3200);
    assert.equal(r.sequentialMs / r.makespanMs, 4);
    assert.equal(r.criticalPathMs, 400);
    assert.equal(r.lowerBoundMs, 800); // the cores bound it: 3.2 s of work on 4 cores
    assert.deepEqual(r.tools.map((t) => t.endedAt), Array(8).fill(800)); // the tools' own times stay wall times
  });

  it('a cpu tool that times out while slowed counts the work it got done, not its wall time', async () => {
    const plan = makePlan(Array.from({ length: 4 }, (_, i) => ({ id: `c${i}`, kind: 'cpu' as const, timeoutMs: 500, durationMs: 400 })));
    const r = await simulate(plan, { cores: 2 });
    assert.ok(r.tools.every((t) => t.status === 'timed-out'));
    assert.equal(r.sequentialMs, 4 * 250); // 500 ms at half a core each
  });

  it('random DAGs: the sequential figure is the durations, and the lower bound never exceeds the makespan', async function () {
    this.timeout(120_000);
    await fc.assert(
      fc.asyncProperty(randomPlanShape({ maxTools: 16 }), fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }), fc.integer({ min: 1, max: 4 }), async (shape, cpu, cores) => {
        const base = planFromShape(shape);
        const plan: Plan = { ...base, tools: base.tools.map((t, i) => (cpu[i] ? { ...t, kind: 'cpu' as const, args: { durationMs: shape.durations[i] } } : t)) };
        const r = await simulate(plan, { cores, durations: shape.durations });
        const work = shape.durations.reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(r.sequentialMs - work) <= 1e-6 * Math.max(1, work), `sequential ${r.sequentialMs} vs work ${work}`);
        assert.ok(r.lowerBoundMs <= r.makespanMs + 1e-9 * Math.max(1, r.makespanMs), `bound ${r.lowerBoundMs} > makespan ${r.makespanMs}`);
      }),
      { numRuns: 100 },
    );
  });
});

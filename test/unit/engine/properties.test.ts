import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildGraph } from '../../../src/core/analysis/graph';
import { simulate, predictMakespan } from '../../../src/core/engine/simulate';
import { VirtualClock } from '../../../src/core/engine/clock';
import { makePlan } from '../helpers/planBuilder';
import { checkEvents, planFromShape, randomPlanShape, recorder } from './helpers';

const RUNS = 150;

function lowerBound(shape: { durations: readonly number[]; maxConcurrency: number | null; n: number }, cp: number): number {
  const work = shape.durations.reduce((a, b) => a + b, 0);
  const slots = Math.min(shape.maxConcurrency ?? Infinity, shape.n);
  return Math.max(cp, work / slots);
}

describe('engine properties (virtual clock, random DAGs)', () => {
  it('caps and limits hold at every instant, deps end before dependents start, one final state each', async () => {
    await fc.assert(
      fc.asyncProperty(randomPlanShape(), async (shape) => {
        const plan = planFromShape(shape);
        const rec = recorder();
        const record = await simulate(plan, { onEvent: rec.onEvent });
        assert.deepEqual(checkEvents(plan, rec.events), []);
        assert.equal(record.status, 'succeeded');
        assert.deepEqual(record.tools.map((t) => t.id), plan.tools.map((t) => t.id));
        assert.ok(record.maxObservedConcurrency <= (plan.maxConcurrency ?? Infinity));
      }),
      { numRuns: RUNS },
    );
  });

  it('makespan is at least max(critical path, work / slots), and simulate() agrees with predictMakespan', async () => {
    await fc.assert(
      fc.asyncProperty(randomPlanShape(), async (shape) => {
        const plan = planFromShape(shape);
        const graph = buildGraph(plan).graph;
        assert.ok(graph);
        const record = await simulate(plan);
        const predicted = predictMakespan(plan, graph, shape.durations);
        assert.ok(Math.abs(record.makespanMs - predicted) <= 1e-9 * Math.max(1, predicted), `simulated ${record.makespanMs} vs predicted ${predicted}`);
        const lb = lowerBound(shape, record.criticalPathMs);
        assert.ok(record.makespanMs >= lb - 1e-9, `makespan ${record.makespanMs} < lower bound ${lb}`);
        // The record's bound also counts limited resources: never below this one, never above the makespan.
        assert.ok(record.lowerBoundMs >= lb - 1e-9 * Math.max(1, lb), `record bound ${record.lowerBoundMs} < ${lb}`);
        assert.ok(record.makespanMs >= record.lowerBoundMs - 1e-9 * Math.max(1, lb), `makespan ${record.makespanMs} < record bound ${record.lowerBoundMs}`);
        assert.equal(record.sequentialMs, shape.durations.reduce((a, b) => a + b, 0));
      }),
      { numRuns: RUNS },
    );
  });

  it('is deterministic: the same plan gives the same event stream', async () => {
    await fc.assert(
      fc.asyncProperty(randomPlanShape({ maxTools: 16, withFailures: true }), async (shape) => {
        const plan = planFromShape(shape, { defaults: { retries: 1, retryDelayMs: 7 } });
        const a = recorder();
        const b = recorder();
        await simulate(plan, { onEvent: a.onEvent });
        await simulate(plan, { onEvent: b.onEvent });
        assert.deepEqual(a.events, b.events);
      }),
      { numRuns: 60 },
    );
  });

  it('with failures: every tool downstream of a failure is skipped, everything else succeeds', async () => {
    await fc.assert(
      fc.asyncProperty(randomPlanShape({ withFailures: true }), async (shape) => {
        const plan = planFromShape(shape);
        const rec = recorder();
        const record = await simulate(plan, { onEvent: rec.onEvent });
        assert.deepEqual(checkEvents(plan, rec.events), []);
        const doomed = new Array<boolean>(shape.n).fill(false);
        for (let i = 0; i < shape.n; i++) doomed[i] = shape.edges[i].some((k) => shape.fails[k] || doomed[k]);
        record.tools.forEach((t, i) => {
          const want = shape.fails[i] ? (doomed[i] ? 'skipped' : 'failed') : doomed[i] ? 'skipped' : 'succeeded';
          assert.equal(t.status, want, `${t.id}`);
        });
        assert.equal(record.status, shape.fails.some(Boolean) ? 'failed' : 'succeeded');
      }),
      { numRuns: RUNS },
    );
  });

  it('with timeouts, retries and flaky tools: invariants hold and attempts never exceed retries + 1', async () => {
    const toolArb = fc.record({
      duration: fc.integer({ min: 0, max: 50 }),
      timeout: fc.option(fc.integer({ min: 1, max: 60 })),
      retries: fc.integer({ min: 0, max: 3 }),
      failTimes: fc.integer({ min: 0, max: 4 }),
    });
    await fc.assert(
      fc.asyncProperty(randomPlanShape({ maxTools: 14 }), fc.array(toolArb, { minLength: 14, maxLength: 14 }), fc.constantFrom<'skip-dependents' | 'fail-fast'>('skip-dependents', 'fail-fast'), async (shape, extra, policy) => {
        const base = planFromShape(shape, { failurePolicy: policy });
        const plan = makePlan(base.tools.map((t, i) => ({
          id: t.id, dependsOn: t.dependsOn, ...(t.resource !== undefined ? { resource: t.resource } : {}),
          args: { durationMs: extra[i].duration, failTimes: extra[i].failTimes },
          retries: extra[i].retries, retryDelayMs: 5, ...(extra[i].timeout !== null ? { timeoutMs: extra[i].timeout } : {}),
        })), { limits: base.limits, failurePolicy: policy, ...(base.maxConcurrency !== undefined ? { maxConcurrency: base.maxConcurrency } : {}) });
        const rec = recorder();
        const record = await simulate(plan, { onEvent: rec.onEvent });
        assert.deepEqual(checkEvents(plan, rec.events), []);
        record.tools.forEach((t, i) => {
          assert.ok(t.attempts.length <= extra[i].retries + 1, `${t.id}: ${t.attempts.length} attempts`);
          if (t.status === 'succeeded') assert.equal(t.attempts.length, extra[i].failTimes + 1);
          if (t.status === 'timed-out') assert.equal(t.attempts[t.attempts.length - 1].error, `timed out after ${extra[i].timeout} ms`);
        });
        if (policy === 'fail-fast' && record.tools.some((t) => t.status === 'failed' || t.status === 'timed-out')) {
          assert.equal(record.tools.filter((t) => t.status === 'failed' || t.status === 'timed-out').length, 1);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('cancellation at any instant: every tool still gets exactly one final state', async () => {
    await fc.assert(
      fc.asyncProperty(randomPlanShape({ maxTools: 20 }), fc.integer({ min: 0, max: 150 }), async (shape, cancelAt) => {
        const plan = planFromShape(shape);
        const clock = new VirtualClock();
        const ac = new AbortController();
        void clock.sleep(cancelAt).then(() => ac.abort());
        const rec = recorder();
        const record = await simulate(plan, { clock, signal: ac.signal, onEvent: rec.onEvent });
        assert.deepEqual(checkEvents(plan, rec.events), []);
        if (record.status === 'cancelled') {
          assert.ok(record.makespanMs <= cancelAt);
          assert.ok(record.tools.every((t) => t.status === 'succeeded' || t.status === 'cancelled'));
        } else {
          assert.equal(record.status, 'succeeded');
          assert.ok(record.makespanMs <= cancelAt);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

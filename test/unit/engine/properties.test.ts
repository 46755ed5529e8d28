import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildGraph } from '../../../src/core/analysis/graph';
import { simulate, predictMakespan } from '../../../src/core/engine/simulate';
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
        assert.ok(Math.abs(record.lowerBoundMs - lb) <= 1e-9 * Math.max(1, lb));
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
});

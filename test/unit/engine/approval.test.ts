// The engine's approval gate (ExecuteOptions.approve, README "Approval"): calls that need approval
// wait without a slot while the others run, one request per batch, denied is a final state.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { execute } from '../../../src/core/engine/execute';
import { VirtualClock, createRealClock } from '../../../src/core/engine/clock';
import { simulateRunner } from '../../../src/core/tools/simulate';
import type { ApprovalGate, ApprovalRequest, ApprovalVerdict, RunRecord } from '../../../src/core/engine/types';
import { renderTimeline } from '../../../src/core/render/timeline';
import { makePlan } from '../helpers/planBuilder';
import { checkEvents, planFromShape, randomPlanShape, recorder } from './helpers';

const tool = (r: RunRecord, id: string) => {
  const t = r.tools.find((x) => x.id === id);
  assert.ok(t, `no tool ${id}`);
  return t;
};

/** A gate for the ids in `gated`, answering after `delayMs` on the clock with `answer(id)`. */
function gate(clock: VirtualClock, gated: readonly string[], answer: (id: string) => ApprovalVerdict, delayMs = 50) {
  const batches: (readonly ApprovalRequest[])[] = [];
  const signals: AbortSignal[] = [];
  const g: ApprovalGate = {
    needs: (t) => gated.includes(t.id),
    async decide(batch, signal) {
      batches.push(batch);
      signals.push(signal);
      await clock.sleep(delayMs, signal);
      return batch.map((r) => answer(r.tool.id));
    },
  };
  return { gate: g, batches, signals };
}

describe('engine approval gate', () => {
  it('calls that need approval wait without a slot while the others run; approved ones then start', async () => {
    const clock = new VirtualClock();
    const plan = makePlan([
      { id: 'write', durationMs: 10 },
      { id: 'read1', durationMs: 30 },
      { id: 'read2', durationMs: 30 },
    ], { maxConcurrency: 2 });
    const g = gate(clock, ['write'], () => true, 50);
    const rec = recorder();
    const r = await execute(plan, { runners: { simulate: simulateRunner }, clock, approve: g.gate, onEvent: rec.onEvent });
    assert.deepEqual(checkEvents(plan, rec.events), []);
    assert.equal(r.status, 'succeeded');
    // Both reads take the two slots at once: the waiting write holds none.
    assert.equal(tool(r, 'read1').startedAt, 0);
    assert.equal(tool(r, 'read2').startedAt, 0);
    assert.deepEqual(tool(r, 'write').approval, { askedAt: 0, answeredAt: 50 });
    assert.equal(tool(r, 'write').queuedAt, 0);
    assert.equal(tool(r, 'write').startedAt, 50);
    assert.equal(tool(r, 'read1').approval, undefined);
    assert.deepEqual(rec.events.filter((e) => e.type === 'awaiting-approval' || e.type === 'approved').map((e) => `${e.type} ${'id' in e ? e.id : ''} ${e.at}`), ['awaiting-approval write 0', 'approved write 50']);
  });

  it('asks once per batch of calls that became ready together, with their resolved arguments', async () => {
    const clock = new VirtualClock();
    const plan = makePlan([
      { id: 'a', durationMs: 5 },
      { id: 'b', durationMs: 5 },
      { id: 'src', args: { durationMs: 20, result: { path: '/tmp/x' } } },
      { id: 'c', args: { durationMs: 5, target: '${src.output.path}' }, dependsOn: ['src'] },
      { id: 'd', durationMs: 5, dependsOn: ['src'] },
    ]);
    const g = gate(clock, ['a', 'b', 'c', 'd'], () => true, 10);
    const r = await execute(plan, { runners: { simulate: simulateRunner }, clock, approve: g.gate });
    assert.equal(r.status, 'succeeded');
    assert.deepEqual(g.batches.map((b) => b.map((x) => x.tool.id)), [['a', 'b'], ['c', 'd']]);
    assert.equal(g.batches[1][0].args.target, '/tmp/x');
    assert.deepEqual(tool(r, 'c').approval, { askedAt: 20, answeredAt: 30 });
  });

  it('a denied call ends denied (never started), its dependents skipped naming it; fail-fast does not stop the rest', async () => {
    const clock = new VirtualClock();
    const plan = makePlan([
      { id: 'rm', durationMs: 10 },
      { id: 'after', durationMs: 10, dependsOn: ['rm'] },
      { id: 'later', durationMs: 10, dependsOn: ['after'] },
      { id: 'free', durationMs: 100 },
    ], { failurePolicy: 'fail-fast' });
    const g = gate(clock, ['rm'], () => ({ allowed: false, reason: 'denied by the user' }), 20);
    const rec = recorder();
    const r = await execute(plan, { runners: { simulate: simulateRunner }, clock, approve: g.gate, onEvent: rec.onEvent });
    assert.deepEqual(checkEvents(plan, rec.events), []);
    const rm = tool(r, 'rm');
    assert.equal(rm.status, 'denied');
    assert.equal(rm.error, 'denied by the user');
    assert.equal(rm.startedAt, null);
    assert.deepEqual(rm.attempts, []);
    assert.equal(rm.endedAt, 20);
    assert.ok(!rec.events.some((e) => e.type === 'started' && e.id === 'rm'));
    assert.equal(tool(r, 'after').status, 'skipped');
    assert.equal(tool(r, 'after').error, "dependency 'rm' was denied");
    assert.equal(tool(r, 'later').error, "dependency 'after' was skipped ('rm' was denied)");
    assert.equal(tool(r, 'free').status, 'succeeded');
    assert.equal(r.status, 'failed');
    assert.equal(r.makespanMs, 100);
  });

  it('false is denied with a plain reason; a decide that throws or rejects denies its batch with the error', async () => {
    const clock = new VirtualClock();
    const plan = makePlan([{ id: 'a', durationMs: 1 }, { id: 'b', durationMs: 1, dependsOn: ['a'] }]);
    let calls = 0;
    const r = await execute(plan, {
      runners: { simulate: simulateRunner }, clock,
      approve: {
        needs: () => true,
        decide: () => {
          calls++;
          if (calls === 1) return [true];
          throw new Error('no terminal');
        },
      },
    });
    assert.equal(tool(r, 'a').status, 'succeeded');
    assert.equal(tool(r, 'b').status, 'denied');
    assert.equal(tool(r, 'b').error, 'the approval prompt failed: no terminal');

    const r2 = await execute(makePlan([{ id: 'x', durationMs: 1 }, { id: 'y', durationMs: 1 }]), {
      runners: { simulate: simulateRunner }, clock: new VirtualClock(),
      approve: { needs: () => true, decide: async (batch) => batch.map((q) => q.tool.id === 'x' ? false : true) },
    });
    assert.equal(tool(r2, 'x').status, 'denied');
    assert.equal(tool(r2, 'x').error, 'approval refused');
    assert.equal(tool(r2, 'y').status, 'succeeded');
  });

  it('cancelling the run while calls wait for approval ends them cancelled and aborts the request', async () => {
    const clock = createRealClock();
    const ctl = new AbortController();
    const plan = makePlan([{ id: 'wait', durationMs: 1 }, { id: 'dep', durationMs: 1, dependsOn: ['wait'] }, { id: 'run', durationMs: 5 }]);
    let seen: AbortSignal | undefined;
    const r = await execute(plan, {
      runners: { simulate: simulateRunner }, clock, signal: ctl.signal,
      approve: {
        needs: (t) => t.id === 'wait',
        decide: (_batch, signal) => {
          seen = signal;
          setTimeout(() => ctl.abort(), 30);
          return new Promise(() => undefined); // a prompt nobody answers
        },
      },
    });
    assert.equal(r.status, 'cancelled');
    assert.equal(tool(r, 'wait').status, 'cancelled');
    assert.equal(tool(r, 'wait').error, 'run cancelled');
    assert.equal(tool(r, 'wait').approval?.answeredAt, null);
    assert.equal(tool(r, 'dep').status, 'cancelled');
    assert.equal(tool(r, 'run').status, 'succeeded');
    assert.equal(seen?.aborted, true);
  });

  it('the terminal timeline shows the wait for approval and the denied call', async () => {
    const clock = new VirtualClock();
    const plan = makePlan([{ id: 'ok', durationMs: 100 }, { id: 'asked', durationMs: 50 }, { id: 'no', durationMs: 50 }]);
    const g = gate(clock, ['asked', 'no'], (id) => id === 'asked', 50);
    const r = await execute(plan, { runners: { simulate: simulateRunner }, clock, approve: g.gate });
    const text = renderTimeline(r, { width: 80 });
    const row = (id: string): string => text.split('\n').find((l) => l.includes(` ${id} `)) ?? '';
    assert.match(row('asked'), /│\?+█+ *│/);
    assert.match(row('no'), /^⊗ no +│\?+ +│ — · denied/);
    assert.match(text, /\? waiting for approval/);
    assert.match(text, /⊗ denied/);
    assert.match(text, /1 denied/);
  });

  it('property: caps, limits and dependencies hold; denied calls never start; exactly their dependents are skipped', async () => {
    await fc.assert(
      fc.asyncProperty(
        randomPlanShape({ maxTools: 16 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 16, maxLength: 16 }),
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 4, maxLength: 4 }),
        async (shape, marks, delays) => {
          // mark 0: free, 1: needs approval and allowed, 2: needs approval and denied
          const plan = planFromShape(shape);
          const clock = new VirtualClock();
          let k = 0;
          const rec = recorder();
          const r = await execute(plan, {
            runners: { simulate: simulateRunner }, clock, onEvent: rec.onEvent,
            approve: {
              needs: (t) => marks[t.index] !== 0,
              async decide(batch, signal) {
                await clock.sleep(delays[k++ % delays.length], signal);
                return batch.map((q) => marks[q.tool.index] === 1);
              },
            },
          });
          assert.deepEqual(checkEvents(plan, rec.events), []);
          const doomed = new Array<boolean>(shape.n).fill(false);
          for (let i = 0; i < shape.n; i++) doomed[i] = shape.edges[i].some((p) => marks[p] === 2 || doomed[p]);
          r.tools.forEach((t, i) => {
            const want = doomed[i] ? 'skipped' : marks[i] === 2 ? 'denied' : 'succeeded';
            assert.equal(t.status, want, t.id);
            if (want === 'denied') assert.equal(t.startedAt, null);
            assert.equal(t.approval !== undefined, marks[i] !== 0 && !doomed[i], `${t.id} approval record`);
          });
          assert.equal(r.status, r.tools.every((t) => t.status === 'succeeded') ? 'succeeded' : 'failed');
        },
      ),
      { numRuns: 300 },
    );
  });
});

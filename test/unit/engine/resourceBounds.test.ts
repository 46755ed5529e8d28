import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parsePlan } from '../../../src/core/plan/parse';
import { analyze } from '../../../src/core/analysis/analyze';
import { simulate } from '../../../src/core/engine/simulate';
import { MAX_ARGS_CHARS } from '../../../src/core/engine/resolve';
import { MAX_JSON_DEPTH, MAX_RECORD_OUTPUT_CHARS, jsonSizeWithin } from '../../../src/core/engine/valueSize';
import { MAX_ALIAS_CHARS } from '../../../src/core/plan/tree';
import type { JsonValue } from '../../../src/core/plan/types';
import { makePlan } from '../helpers/planBuilder';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { execute } from '../../../src/core/engine/execute';
import { VirtualClock } from '../../../src/core/engine/clock';
import type { ToolRunner } from '../../../src/core/engine/types';

/** The garbage collector, to see which outputs a run still holds (WeakRef), without a flag on mocha. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

// Issue 12, resource bounds: values that grow through output passing, YAML aliases that expand to
// gigabytes of text, durations no run could wait for. Each ends in a clear error or a bounded
// result, never "Invalid string length", a stack or a hang.

/** Tool i passes tool i-1's output on twice: sizes double at every step. */
function doublingChain(n: number, twice: (ref: string) => JsonValue) {
  return makePlan([
    { id: 't0', args: { durationMs: 1, result: 'ab' } },
    ...Array.from({ length: n }, (_, k) => ({ id: `t${k + 1}`, args: { durationMs: 1, result: twice(`\${t${k}.output}`) }, dependsOn: [`t${k}`] })),
  ]);
}

describe('resource bounds', function () {
  this.timeout(60_000);

  describe('value sizes (valueSize.ts)', () => {
    it('jsonSizeWithin is the length of JSON.stringify, compact and indented', () => {
      fc.assert(fc.property(fc.jsonValue(), fc.constantFrom(0, 2, 4), (v, indent) => {
        const value = v as JsonValue;
        assert.equal(jsonSizeWithin(value, Number.MAX_SAFE_INTEGER, { indent }), JSON.stringify(value, null, indent).length);
      }), { numRuns: 500 });
      for (const s of ['"\\\n\u0001\u2028', '\ud800x', '😀', 'é']) assert.equal(jsonSizeWithin([s, { [s]: s }], 1e9), JSON.stringify([s, { [s]: s }]).length);
    });

    it('measures shared structure once: 2^40 leaves in 40 arrays, at once', () => {
      let v: JsonValue = 'ab';
      for (let k = 0; k < 40; k++) v = [v, v];
      assert.equal(jsonSizeWithin(v, MAX_ARGS_CHARS), Infinity);
      assert.equal(jsonSizeWithin(v, Number.MAX_SAFE_INTEGER), 2 ** 40 * 4 + (2 ** 40 - 1) * 3); // "ab" leaves, [a,b] pairs
    });

    it('is NaN past the depth limit instead of overflowing the stack', () => {
      let v: JsonValue = 1;
      for (let k = 0; k < 100_000; k++) v = [v];
      assert.ok(Number.isNaN(jsonSizeWithin(v, 1e12)));
      let ok: JsonValue = 1;
      for (let k = 0; k < MAX_JSON_DEPTH; k++) ok = [ok];
      assert.equal(jsonSizeWithin(ok, 1e12), MAX_JSON_DEPTH * 2 + 1);
    });
  });

  describe('output passing', () => {
    it('a string doubled down a chain: the tool that would pass the limit fails with it, its dependents are skipped', async () => {
      const r = await simulate(doublingChain(40, (ref) => `${ref}${ref}`));
      assert.equal(r.status, 'failed');
      const failed = r.tools.filter((t) => t.status === 'failed');
      assert.equal(failed.length, 1);
      assert.equal(failed[0].id, 't25'); // 2 · 2^25 characters = 64 Mi
      assert.match(failed[0].error ?? '', /cannot resolve arguments: .*more than 64 Mi characters .*once the outputs .* reference are put in/);
      assert.ok(r.tools.slice(26).every((t) => t.status === 'skipped'));
      assert.ok(JSON.stringify(r).length < 2 * MAX_RECORD_OUTPUT_CHARS);
    });

    it('an array passing one output twice down a chain (shared, 2^40 leaves): fails at the limit, in bounded time', async () => {
      const r = await simulate(doublingChain(40, (ref) => [ref, ref]));
      const failed = r.tools.find((t) => t.status === 'failed');
      assert.ok(failed, 'a tool fails');
      assert.match(failed.error ?? '', /the arguments would be more than 64 Mi characters as JSON once the outputs they reference are put in/);
      assert.ok(JSON.stringify(r).length < 2 * MAX_RECORD_OUTPUT_CHARS);
    });

    it('an output nested deeper than the JSON limit cannot be passed on, with the reason', async () => {
      let deep: JsonValue = 1;
      for (let k = 0; k < 5000; k++) deep = [deep];
      const plan = makePlan([
        { id: 'a', args: { durationMs: 1, result: deep } },
        { id: 'b', args: { durationMs: 1, result: '${a.output}' }, dependsOn: ['a'] },
        { id: 'c', args: { durationMs: 1, result: 'text ${a.output}' }, dependsOn: ['a'] },
      ]);
      const r = await simulate(plan);
      assert.match(r.tools[1].error ?? '', /nested more than 1000 levels deep once the outputs they reference are put in/);
      assert.match(r.tools[2].error ?? '', /\$\{a\.output\}: the value is nested more than 1000 levels deep to be written into text/);
      // The record keeps a marked truncation instead of a value JSON.stringify cannot write.
      assert.equal(r.tools[0].outputTruncated, true);
      assert.match(String(r.tools[0].output), /truncated by fanout: the output is nested more than 1000 levels deep/);
      assert.doesNotThrow(() => JSON.stringify(r));
    });

    it('a 1 MiB output referenced by 200 tools: the record keeps 64 Mi characters of outputs, the rest marked', async () => {
      const big = 'x'.repeat(1024 * 1024);
      const plan = makePlan([
        { id: 't0', args: { durationMs: 1, result: big } },
        ...Array.from({ length: 200 }, (_, k) => ({ id: `t${k + 1}`, args: { durationMs: 1, result: '${t0.output}' }, dependsOn: ['t0'] })),
      ]);
      const r = await simulate(plan);
      assert.equal(r.status, 'succeeded');
      const kept = r.tools.filter((t) => t.output === big).length;
      assert.equal(kept, 63); // 63 whole outputs of 1 Mi + 2 characters fit 64 Mi
      const marked = r.tools.filter((t) => t.outputTruncated);
      assert.equal(marked.length, 201 - kept);
      assert.ok(marked.every((t) => String(t.output).includes('…[truncated by fanout: a run record keeps 64 Mi characters of outputs in all')));
      assert.ok(JSON.stringify(r).length <= MAX_RECORD_OUTPUT_CHARS + 200 * 1000);
    });
  });

  describe('a run of many large outputs (run-wide bound)', () => {
    it('200 tools × 1 MiB: the record keeps 64 Mi characters, marks the rest, and the run holds only what it keeps or a dependent still needs', async () => {
      const gc = collector();
      const MiB = 1024 * 1024;
      const refs: WeakRef<object>[] = [];
      let alive: number[] = [];
      const runner: ToolRunner = {
        run: async (ctx) => {
          if (ctx.tool.id === 'probe') {
            // Every producer has ended; which of their outputs can nothing free?
            await new Promise((r) => setImmediate(r));
            gc();
            alive = refs.flatMap((r, k) => (r.deref() ? [k] : []));
            return 'probed';
          }
          if (ctx.tool.id === 'reader' || ctx.tool.id === 'early') return ctx.args.n as number;
          const k = Number(ctx.tool.id.slice(1));
          const out = { n: k, text: String.fromCharCode(97 + (k % 26)).repeat(MiB) };
          refs[k] = new WeakRef(out);
          return out;
        },
      };
      const producers = Array.from({ length: 200 }, (_, k) => ({ id: `p${k}` }));
      const plan = makePlan([
        ...producers,
        // Reads p160's output before the probe: from then on nothing needs it.
        { id: 'early', args: { n: '${p160.output.n}' }, dependsOn: ['p160'] },
        { id: 'probe', dependsOn: [...producers.map((p) => p.id), 'early'] },
        // Reads p150's output after the probe: the run must still hold that one.
        { id: 'reader', args: { n: '${p150.output.n}' }, dependsOn: ['probe', 'p150'] },
      ], { maxConcurrency: 1 });
      // p150 and p160 are the least urgent (shortest remaining paths), so they end last, past the
      // record's budget.
      const durations = plan.tools.map((t) => (t.id === 'p150' || t.id === 'p160' || t.id === 'early' ? 0 : 1));
      const ended: string[] = [];
      const r = await execute(plan, {
        runners: { simulate: runner }, clock: new VirtualClock(), durations,
        onEvent: (e) => { if (e.type === 'succeeded') ended.push(e.id); },
      });
      assert.equal(r.status, 'succeeded');
      assert.deepEqual([r.tools[200].output, r.tools[202].output], [160, 150]);
      // Each output is 1 Mi + 20 characters as JSON: 63 fit 64 Mi, in the order the tools finished.
      const whole = r.tools.slice(0, 200).filter((t) => !t.outputTruncated);
      assert.deepEqual(whole.map((t) => t.id).sort(), ended.slice(0, 63).sort());
      assert.ok(!whole.some((t) => t.id === 'p150' || t.id === 'p160'));
      const marked = r.tools.slice(0, 200).filter((t) => t.outputTruncated);
      assert.equal(marked.length, 137);
      assert.ok(marked.every((t) => typeof t.output === 'string' && t.output.includes('…[truncated by fanout: a run record keeps 64 Mi characters of outputs in all')));
      assert.ok(jsonSizeWithin(r.tools.map((t) => t.output), Infinity) <= MAX_RECORD_OUTPUT_CHARS);
      // Alive while the probe ran: the 63 outputs the record keeps and p150 (its reader is still
      // to start), not p160 (read already) nor the 135 others (which alone are 135 MiB).
      assert.deepEqual(alive, [...whole.map((t) => Number(t.id.slice(1))), 150].sort((a, b) => a - b));
    });
  });

  describe('plans', () => {
    it('a long string aliased many times is refused at the alias that passes the text limit', () => {
      const s = 'x'.repeat(64 * 1024);
      const yaml = [
        'name: amp', 'tools:', '  - id: t0', '    kind: simulate',
        `    args: { durationMs: 1, result: { s: &s "${s}", a: &a [*s,*s,*s,*s,*s,*s,*s,*s,*s,*s], b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a], c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b] } }`,
        ...Array.from({ length: 40 }, (_, k) => `  - { id: t${k + 1}, kind: simulate, args: { durationMs: 1, result: *c } }`),
      ].join('\n');
      const parsed = parsePlan(yaml, { fileName: 'amp.toolplan.yaml' });
      assert.equal(parsed.plan, undefined);
      const [d] = parsed.diagnostics;
      assert.equal(d.code, 'parse-error');
      assert.match(d.message, new RegExp(`takes the text aliases expand to past ${MAX_ALIAS_CHARS / 1048576} Mi characters`));
      // At the alias inside &c that takes the expansion past the limit (1000 × 64 KiB).
      assert.equal(d.line, 5);
      assert.equal(yaml.split('\n')[4].slice(d.column - 1, d.column + 2), '*b,');
    });

    it('the rejected plan of durations past the limit still analyses to finite figures (1e308 × 6 summed to Infinity)', () => {
      const text = JSON.stringify({ tools: Array.from({ length: 6 }, (_, k) => ({ id: `t${k}`, kind: 'simulate', args: { durationMs: 1e308 }, estimateMs: 1e308, ...(k > 0 ? { dependsOn: [`t${k - 1}`] } : {}) })) });
      const parsed = parsePlan(text, { fileName: 'd.toolplan.json' });
      const a = analyze(parsed.plan!, parsed.diagnostics);
      assert.equal(a.valid, false);
      for (const n of [a.criticalPath.ms, a.estimate.sequentialMs, a.estimate.parallelMs, a.estimate.speedup]) assert.ok(Number.isFinite(n), String(n));
    });

    it('a duration no timer can wait for is a schema error at the value, naming the limit', () => {
      const text = JSON.stringify({ tools: [
        { id: 'a', kind: 'simulate', args: { durationMs: 1e15 } },
        { id: 'b', kind: 'shell', args: { command: 'true' }, estimateMs: 1e300 },
        { id: 'c', kind: 'simulate', args: { durationMs: 2147483647 } },
      ] }, null, 2);
      const parsed = parsePlan(text, { fileName: 'd.toolplan.json' });
      const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(errors.map((d) => [d.code, d.line]), [['schema', 7], ['schema', 16]]);
      assert.match(errors[0].message, /'durationMs' must be at most 2147483647 \(got 1000000000000000\)\. .*At most 2147483647 ms \(24\.8 days\)/);
      assert.match(errors[1].message, /'estimateMs' must be at most 2147483647/);
    });
  });
});

// The `function` tool kind: exported functions of real ES and CommonJS modules, paths relative to
// the plan file, loaded once per run, given the input and an AbortSignal.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { createRealClock } from '../../../src/core/engine/clock';
import { execute } from '../../../src/core/engine/execute';
import type { RunRecord, ToolRecord } from '../../../src/core/engine/types';
import { parsePlan } from '../../../src/core/plan/parse';
import type { Plan } from '../../../src/core/plan/types';
import { createFunctionRunner } from '../../../src/core/tools/function';

const FIXTURES = join(__dirname, 'fixtures');

function plan(tools: unknown[]): Plan {
  const r = parsePlan(JSON.stringify({ tools }), { fileName: 'f.toolplan.json' });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return r.plan as Plan;
}

async function run(p: Plan, signal?: AbortSignal): Promise<RunRecord> {
  return execute(p, { runners: { function: createFunctionRunner({ baseDir: FIXTURES, fresh: true }) }, clock: createRealClock(), ...(signal ? { signal } : {}) });
}
const tool = (r: RunRecord, id: string): ToolRecord => r.tools.find((t) => t.id === id) as ToolRecord;
const fn = (id: string, module: string, exp: string | undefined, input: unknown, extra: Record<string, unknown> = {}) =>
  ({ id, kind: 'function', args: { module, ...(exp !== undefined ? { export: exp } : {}), input }, ...extra });

describe('function tools', () => {
  it('calls ESM and CommonJS exports with the resolved input; the module loads once per run', async () => {
    const r = await run(plan([
      fn('a', './tools.mjs', 'add', { a: 2, b: 3 }),
      fn('b', './tools.mjs', 'add', { a: 10, b: 20 }),
      fn('greet', 'tools.mjs', undefined, { name: 'Ada' }),
      fn('d', './tools.cjs', 'double', { n: '${a.output.sum}' }, { dependsOn: ['a'] }),
      fn('u', './tools.cjs', 'upper', { s: 'abc' }),
      fn('single', './single.cjs', undefined, { x: 1 }),
      fn('none', './tools.mjs', 'nothing', null),
    ]));
    assert.equal(r.status, 'succeeded', JSON.stringify(r.tools.map((t) => t.error)));
    const a = tool(r, 'a').output as { sum: number; loads: number };
    const b = tool(r, 'b').output as { sum: number; loads: number };
    assert.equal(a.sum, 5);
    assert.equal(b.sum, 30);
    assert.equal(a.loads, b.loads, 'one module instance per run');
    assert.equal(tool(r, 'greet').output, 'hello Ada');
    assert.equal(tool(r, 'd').output, 10);
    assert.equal(tool(r, 'u').output, 'ABC');
    assert.deepEqual(tool(r, 'single').output, { got: { x: 1 } });
    assert.equal(tool(r, 'none').output, null);
  });

  it('tells the function which call it serves', async () => {
    const r = await run(plan([fn('who', './tools.mjs', 'describeCall', { q: 1 })]));
    assert.deepEqual(tool(r, 'who').output, { id: 'who', name: 'who', args: { module: './tools.mjs', export: 'describeCall', input: { q: 1 } } });
  });

  it('a thrown error fails the tool with its message; a missing export or module says what exists', async () => {
    const r = await run(plan([
      fn('boom', './tools.mjs', 'fail', null),
      fn('typo', './tools.mjs', 'ad', {}),
      fn('gone', './nope.mjs', 'x', {}),
    ]));
    assert.equal(tool(r, 'boom').error, 'the function said no');
    assert.match(String(tool(r, 'typo').error), /^function tool: module '\.\/tools\.mjs' has no exported function 'ad' — did you mean 'add'\?/);
    assert.match(String(tool(r, 'gone').error), /^function tool: module '\.\/nope\.mjs' does not exist \(resolved to .*nope\.mjs; paths are relative to the plan file\)/);
  });

  it('gives the function an AbortSignal that fires on timeout', async () => {
    const r = await run(plan([fn('slow', './tools.mjs', 'waitForAbort', null, { timeoutMs: 200 })]));
    assert.equal(tool(r, 'slow').status, 'timed-out');
    assert.equal((globalThis as { __fanoutAborted?: string }).__fanoutAborted, 'timed out after 200 ms');
  });

  it('reads annotations a function states about itself', async () => {
    const runner = createFunctionRunner({ baseDir: FIXTURES });
    assert.deepEqual(await runner.annotationsOf('./tools.mjs', 'search'), { readOnlyHint: true });
    assert.equal(await runner.annotationsOf('./tools.mjs', 'add'), undefined);
    assert.equal(runner.resolveModule('./tools.mjs'), join(FIXTURES, 'tools.mjs'));
  });
});

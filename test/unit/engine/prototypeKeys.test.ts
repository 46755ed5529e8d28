// Issue 12, security: `__proto__`, `constructor` and `prototype` as tool ids, argument keys, output
// keys, limits, env names and reference paths are ordinary names. None reaches an object's
// prototype: not in analysis, not in runs (simulated and real /bin/sh), not in records.
import { strict as assert } from 'node:assert';
import { parsePlan } from '../../../src/core/plan/parse';
import { analyze } from '../../../src/core/analysis/analyze';
import { simulate } from '../../../src/core/engine/simulate';
import { execute } from '../../../src/core/engine/execute';
import { createRealClock } from '../../../src/core/engine/clock';
import type { RunRecord, ToolRecord } from '../../../src/core/engine/types';
import type { Plan } from '../../../src/core/plan/types';
import { createShellRunner } from '../../../src/core/tools/shell';
import { simulateRunner } from '../../../src/core/tools/simulate';
import { renderTimeline } from '../../../src/core/render/timeline';
import { toChromeTrace } from '../../../src/core/render/trace';
import { renderMermaid } from '../../../src/core/render/mermaid';
import { readAttributes } from '../../../src/core/trace/attributes';

const CTOR: string = 'constructor';
const KEYS = ['__proto__', 'constructor', 'prototype'] as const;

function planOf(json: unknown): Plan {
  const text = JSON.stringify(json);
  const parsed = parsePlan(text, { fileName: 'proto.toolplan.json' });
  assert.ok(parsed.plan, parsed.diagnostics.map((d) => d.message).join('; '));
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.message), []);
  return parsed.plan;
}

/** JSON text with a literal "__proto__" key (JSON.stringify of an object literal would set the prototype instead). */
const PROTO_RESULT = JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": "c", "prototype": 3}') as Record<string, unknown>;

function byId(r: RunRecord): Record<string, ToolRecord> {
  const out = Object.create(null) as Record<string, ToolRecord>;
  for (const t of r.tools) out[t.id] = t;
  return out;
}

function assertNoPollution(): void {
  for (const k of ['polluted', 'a', 'x']) {
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, k), false, `Object.prototype.${k}`);
    assert.equal(({} as Record<string, unknown>)[k], undefined, `({}).${k}`);
  }
}

const hasOwn = (o: unknown, k: string): boolean => o !== null && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, k);

describe('prototype keys stay ordinary names (issue 12)', function () {
  this.timeout(20_000);
  afterEach(assertNoPollution);

  const plan = (): Plan => planOf({
    name: 'proto',
    limits: JSON.parse('{"__proto__": 1, "constructor": 1, "prototype": 2}') as unknown,
    tools: [
      { id: '__proto__', kind: 'simulate', resource: '__proto__', args: { durationMs: 10, result: PROTO_RESULT } },
      { id: 'constructor', kind: 'simulate', resource: 'constructor', args: JSON.parse('{"durationMs": 10, "result": "ctor", "__proto__": {"a": 1}}') as unknown },
      {
        id: 'prototype', kind: 'simulate', dependsOn: ['__proto__', 'constructor'], resource: 'prototype',
        args: JSON.parse('{"durationMs": 10, "result": {"p": "${__proto__.output.__proto__}", "c": "${__proto__.output.constructor}", "q": "${__proto__.output.prototype}", "k": "${constructor.output}", "__proto__": "${constructor.output}", "constructor": {"__proto__": {"x": 1}}}}') as unknown,
      },
      { id: 'again', kind: 'simulate', resource: 'constructor', args: { durationMs: 10 } },
    ],
  });

  it('analysis: ids, resources and limits named like prototype members are ordinary', () => {
    const p = plan();
    assert.deepEqual(p.tools.map((t) => t.id), ['__proto__', 'constructor', 'prototype', 'again']);
    assert.ok(hasOwn(p.limits, '__proto__') && hasOwn(p.limits, 'constructor'));
    assert.equal(p.limits.constructor, 1);
    const args = p.tools[1].args;
    assert.ok(hasOwn(args, '__proto__'), 'the arg key "__proto__" is kept as a key');
    const a = analyze(p, [], { cores: 4 });
    assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.deepEqual(a.levels, [['__proto__', 'constructor', 'again'], ['prototype']]);
    assert.doesNotThrow(() => renderMermaid(a));
  });

  it('analysis: names that only exist on Object.prototype are unknown ids', () => {
    const text = JSON.stringify({
      tools: [
        { id: 'a', kind: 'simulate', dependsOn: ['toString'], args: { durationMs: 1, result: '${hasOwnProperty.output} ${constructor.output} ${__proto__.output}' } },
      ],
    });
    const parsed = parsePlan(text, { fileName: 'x.toolplan.json' });
    assert.ok(parsed.plan);
    const messages = analyze(parsed.plan, parsed.diagnostics, { cores: 4 }).diagnostics.map((d) => `${d.code}: ${d.message}`);
    for (const id of ['toString', 'hasOwnProperty', 'constructor', '__proto__']) {
      assert.ok(messages.some((m) => m.includes(`'${id}'`)), `${id} is reported unknown: ${messages.join('\n')}`);
    }
  });

  it('analysis: plan, tool, defaults and annotation keys named like prototype members are unknown properties', () => {
    for (const [text, key] of [
      ['{"constructor": 1, "tools": [{"id":"a","kind":"simulate","args":{"durationMs":1}}]}', 'constructor'],
      ['{"tools":[{"id":"a","kind":"simulate","args":{"durationMs":1},"toString":2}]}', 'toString'],
      ['{"tools":[{"id":"a","kind":"simulate","args":{"durationMs":1},"__proto__":3}]}', '__proto__'],
      ['{"tools":[{"id":"a","kind":"simulate","args":{"durationMs":1},"annotations":{"hasOwnProperty":true}}]}', 'hasOwnProperty'],
      ['{"tools":[{"id":"a","kind":"simulate","args":{"durationMs":1}}],"defaults":{"valueOf":1}}', 'valueOf'],
    ] as const) {
      const parsed = parsePlan(text, { fileName: 'x.toolplan.json' });
      const d = parsed.diagnostics.find((x) => x.severity === 'error' && x.message.includes(`Unknown property '${key}'`));
      assert.ok(d, `${key}: ${parsed.diagnostics.map((x) => x.message).join('; ')}`);
      assert.ok(d.line >= 1 && d.column >= 1);
    }
  });

  it('simulated run: outputs and resolved arguments keep prototype-named keys as own fields', async () => {
    const p = plan();
    const r = byId(await simulate(p));
    for (const t of Object.values(r)) assert.equal(t.status, 'succeeded', `${t.id}: ${t.error}`);
    const first = r.__proto__.output as Record<string, unknown>;
    assert.ok(hasOwn(first, '__proto__'));
    assert.deepEqual({ ...(first.__proto__ as object) }, { polluted: 'yes' });
    const out = r.prototype.output as Record<string, unknown>;
    for (const k of ['p', 'c', 'q', 'k', '__proto__', 'constructor']) assert.ok(hasOwn(out, k), `output field ${k}`);
    assert.deepEqual({ ...(out.p as object) }, { polluted: 'yes' });
    assert.equal(out.c, 'c');
    assert.equal(out.q, 3);
    assert.equal(out.__proto__, 'ctor');
    assert.ok(hasOwn(out.constructor, '__proto__'));
    assert.equal((out as { polluted?: unknown }).polluted, undefined);
    // The record prints and renders with them.
    const rec = await simulate(p);
    assert.match(JSON.stringify(rec), /"__proto__":"ctor"/);
    assert.doesNotThrow(() => renderTimeline(rec, { width: 100, color: false, title: 'p', mode: 'simulated' }));
    const trace = toChromeTrace(rec, p);
    assert.ok(trace.traceEvents.some((e) => e.name === '__proto__'));
    // Limits keyed `constructor` hold: the two tools on it ran one after the other.
    assert.ok((r.again.startedAt as number) >= (r[CTOR].endedAt as number) || (r[CTOR].startedAt as number) >= (r.again.endedAt as number));
  });

  it('reference paths through prototype members fail as missing fields', async () => {
    for (const [result, path] of [
      [{}, 'constructor'], [{}, '__proto__'], [{}, 'prototype'], [{}, 'toString'], ['text', 'constructor'], ['text', 'length'],
      [[1, 2], 'constructor'], [[1, 2], 'length'], [{ a: {} }, 'a.__proto__'], [{ a: {} }, 'a.constructor.name'],
    ] as const) {
      const p = planOf({ tools: [
        { id: 'a', kind: 'simulate', args: { durationMs: 1, result } },
        { id: 'b', kind: 'simulate', dependsOn: ['a'], args: { durationMs: 1, result: `\${a.output.${path}}` } },
      ] });
      const r = byId(await simulate(p));
      assert.equal(r.b.status, 'failed', `${JSON.stringify(result)}.${path} gave ${JSON.stringify(r.b.output)}`);
      assert.match(r.b.error ?? '', /has no (field|item)/);
    }
  });

  it('real run through /bin/sh: a JSON output with "__proto__" reaches dependents as a field, env names too', async () => {
    const p = planOf({ tools: [
      { id: '__proto__', kind: 'shell', args: { command: `printf '%s' '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": "deep"}}'` } },
      { id: 'constructor', kind: 'shell', dependsOn: ['__proto__'], args: { command: 'printf "%s|%s|%s|%s" ${__proto__.output.__proto__.polluted} ${__proto__.output.constructor.prototype} "$__proto__" "$constructor"', env: JSON.parse('{"__proto__": "env-proto", "constructor": "env-ctor"}') as unknown } },
      { id: 'prototype', kind: 'shell', dependsOn: ['__proto__'], args: { command: 'printf %s ${__proto__.output.constructor.constructor}' } },
    ] });
    const r = byId(await execute(p, { runners: { shell: createShellRunner(), simulate: simulateRunner }, clock: createRealClock() }));
    assert.ok(hasOwn(r.__proto__.output, '__proto__'), JSON.stringify(r.__proto__));
    assert.equal(r[CTOR].status, 'succeeded', r[CTOR].error ?? '');
    assert.equal(r[CTOR].output, 'yes|deep|env-proto|env-ctor');
    assert.equal(r.prototype.status, 'failed');
    assert.match(r.prototype.error ?? '', /has no field 'constructor'/);
  });

  it('trace attributes with prototype-named keys are read as data', () => {
    const attrs = readAttributes([
      { key: '__proto__', value: { kvlistValue: { values: [{ key: '__proto__', value: { stringValue: 'x' } }, { key: 'polluted', value: { stringValue: 'yes' } }] } } },
      { key: 'constructor', value: { stringValue: 'c' } },
    ]);
    assert.ok(hasOwn(attrs, '__proto__'));
    assert.ok(hasOwn(attrs.__proto__, '__proto__'));
    assert.equal(attrs.constructor, 'c');
  });

  for (const key of KEYS) {
    it(`a tool id '${key}' can be depended on and referenced`, async () => {
      const p = planOf({ tools: [
        { id: key, kind: 'simulate', args: { durationMs: 1, result: { v: key } } },
        { id: 'user', kind: 'simulate', dependsOn: [key], args: { durationMs: 1, result: `\${${key}.output.v}` } },
      ] });
      const r = byId(await simulate(p));
      assert.equal(r.user.output, key);
    });
  }
});

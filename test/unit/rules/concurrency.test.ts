import { strict as assert } from 'node:assert';
import { analyzeText, at, fanJson, none, only, withCode } from '../helpers/analyzeText';

const sim = (ms = 500) => () => ({ kind: 'simulate', args: { durationMs: ms } });

describe('rule: unbounded-concurrency', () => {
  it('warns when 12 tools may run at once with no maxConcurrency, on the tools key, suggesting a cap', () => {
    const d = only(analyzeText(fanJson(12, sim())), 'unbounded-concurrency');
    assert.equal(d.severity, 'warning');
    assert.equal(d.tools.length, 12);
    at(d, 3, 3);
    assert.match(d.message, /"maxConcurrency": 8/);
    assert.match(d.suggestion ?? '', /critical path/);
    assert.equal(d.lesson, 'resources');
  });
  it('counts tools that overlap in time, not just one level (YAML)', () => {
    // 11 tools at level 1, behind a root: the widest moment is 11.
    const yaml = ['name: wide', 'tools:', '  - { id: root, kind: simulate, args: { durationMs: 1 } }',
      ...Array.from({ length: 11 }, (_, i) => `  - { id: w${i}, kind: simulate, args: { durationMs: 100 }, dependsOn: [root] }`)].join('\n');
    const d = only(analyzeText(yaml, 'p.toolplan.yaml'), 'unbounded-concurrency');
    at(d, 2, 1);
    assert.equal(d.tools.length, 11);
  });
  it('is quiet below the threshold, with maxConcurrency, or when limits cap the resource', () => {
    none(analyzeText(fanJson(9, sim())), 'unbounded-concurrency');
    none(analyzeText(fanJson(40, sim(), { maxConcurrency: 4 })), 'unbounded-concurrency');
    none(analyzeText(fanJson(40, () => ({ kind: 'simulate', args: { durationMs: 5 }, resource: 'api' }), { limits: { api: 3 } })), 'unbounded-concurrency');
  });
  it('is quiet for 12 tools in a chain-like schedule that never overlap', () => {
    const text = fanJson(12, (i) => ({ kind: 'simulate', args: { durationMs: 5 }, ...(i > 0 ? { dependsOn: [`t${i - 1}`] } : {}) }));
    none(analyzeText(text), 'unbounded-concurrency');
  });
  it('suggests a smaller cap when it keeps the makespan within 10% of unbounded', () => {
    // 10 × 100 ms of work beside a 500 ms tool: 3 slots already finish in about 500 ms.
    const text = fanJson(12, (i) => ({ kind: 'simulate', args: { durationMs: i === 0 ? 500 : 100 } }));
    assert.match(only(analyzeText(text), 'unbounded-concurrency').message, /"maxConcurrency": 3/);
  });
  it('adds an info for a resource shared by 5+ simultaneous tools without a limits entry', () => {
    const text = fanJson(6, () => ({ kind: 'simulate', args: { durationMs: 5 }, resource: 'weather-api' }), { maxConcurrency: 8 });
    const d = only(analyzeText(text), 'unbounded-concurrency');
    assert.equal(d.severity, 'info');
    assert.equal(d.tools.length, 6);
    at(d, 11, 7); // the first tool's "resource"
    assert.match(d.message, /weather-api/);
    none(analyzeText(fanJson(6, () => ({ kind: 'simulate', args: { durationMs: 5 }, resource: 'weather-api' }), { maxConcurrency: 8, limits: { 'weather-api': 2 } })), 'unbounded-concurrency');
    none(analyzeText(fanJson(6, () => ({ kind: 'simulate', args: { durationMs: 5 }, resource: 'weather-api' }), { maxConcurrency: 3 })), 'unbounded-concurrency');
  });
});

describe('concurrency messages: the counts agree with the names', () => {
  /** The number in front and how many tools the message names (listed + "and N more"). */
  function counts(message: string): { said: number; named: number } {
    const said = Number(/^(\d+) /.exec(message)?.[1]);
    const list = /\(([^)]*)\)/.exec(message)?.[1] ?? '';
    const more = Number(/and (\d+) more/.exec(list)?.[1] ?? 0);
    return { said, named: (list.match(/'[^']*'/g) ?? []).length + more };
  }
  it('a resource shared by 20 tools under maxConcurrency 8 says both numbers', () => {
    const d = only(analyzeText(fanJson(20, () => ({ kind: 'simulate', args: { durationMs: 5 }, resource: 'search' }), { maxConcurrency: 8 })), 'unbounded-concurrency');
    const c = counts(d.message);
    assert.equal(c.said, 20);
    assert.equal(c.named, 20);
    assert.match(d.message, /up to 8 at once under maxConcurrency/);
    assert.doesNotMatch(d.message, /^8 tools/);
  });
  it('uncapped, the count in front is the number of tools named', () => {
    const d = only(analyzeText(fanJson(12, () => ({ kind: 'simulate', args: { durationMs: 5 }, resource: 'search' }), { maxConcurrency: 50 })), 'unbounded-concurrency');
    assert.deepEqual(counts(d.message), { said: 12, named: 12 });
    assert.match(d.message, /^12 tools may use resource 'search' at once \('t0', 't1', 't2', 't3', 't4' and 7 more\)/);
  });
  it('cpu tools capped by maxConcurrency above the cores say both numbers', () => {
    const d = only(analyzeText(fanJson(10, () => ({ kind: 'cpu', args: { durationMs: 200 } }), { maxConcurrency: 6 }), 'p.json', { cores: 2 }), 'cpu-oversubscribed');
    assert.deepEqual(counts(d.message), { said: 10, named: 10 });
    assert.match(d.message, /up to 6 at once under maxConcurrency, on 2 cores/);
  });
});

describe('rule: cpu-oversubscribed', () => {
  const cpu = () => ({ kind: 'cpu', args: { durationMs: 200 } });
  it('warns when more cpu tools may run at once than cores', () => {
    const d = only(analyzeText(fanJson(6, cpu), 'p.json', { cores: 4 }), 'cpu-oversubscribed');
    assert.equal(d.severity, 'warning');
    assert.deepEqual(d.tools, ['t0', 't1', 't2', 't3', 't4', 't5']);
    at(d, 3, 3);
    assert.match(d.message, /6 cpu tools .* 4 cores/);
    assert.equal(d.fix?.title, 'Set maxConcurrency to 4');
  });
  it('points at maxConcurrency when it is set too high (YAML)', () => {
    const yaml = `maxConcurrency: 8\ntools:\n${Array.from({ length: 5 }, (_, i) => `  - { id: c${i}, kind: cpu, args: { durationMs: 100 } }`).join('\n')}\n`;
    const d = only(analyzeText(yaml, 'p.yaml', { cores: 2 }), 'cpu-oversubscribed');
    at(d, 1, 1);
  });
  it('is quiet within the cores, under a cap, under a resource limit, or when the cpu tools are chained', () => {
    none(analyzeText(fanJson(4, cpu), 'p.json', { cores: 4 }), 'cpu-oversubscribed');
    none(analyzeText(fanJson(8, cpu, { maxConcurrency: 4 }), 'p.json', { cores: 4 }), 'cpu-oversubscribed');
    none(analyzeText(fanJson(8, () => ({ ...cpu(), resource: 'cpu' }), { limits: { cpu: 2 } }), 'p.json', { cores: 2 }), 'cpu-oversubscribed');
    none(analyzeText(fanJson(8, (i) => ({ ...cpu(), ...(i ? { dependsOn: [`t${i - 1}`] } : {}) })), 'p.json', { cores: 1 }), 'cpu-oversubscribed');
  });
  it('ignores I/O tools running beside the cpu tools', () => {
    const text = fanJson(10, (i) => (i < 2 ? cpu() : { kind: 'simulate', args: { durationMs: 200 } }), { maxConcurrency: 10 });
    none(analyzeText(text, 'p.json', { cores: 2 }), 'cpu-oversubscribed');
  });
  it('in a mixed plan, the fix limits a cpu resource instead of the whole plan', () => {
    const text = fanJson(6, (i) => (i < 4 ? cpu() : { kind: 'simulate', args: { durationMs: 200 } }));
    const d = withCode(analyzeText(text, 'p.json', { cores: 2 }), 'cpu-oversubscribed')[0];
    assert.match(d.fix?.title ?? '', /resource 'cpu'/);
    assert.equal(d.fix?.edits.length, 5);
  });
});

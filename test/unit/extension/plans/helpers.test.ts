import { strict as assert } from 'node:assert';
import { parsePlan } from '../../../../src/core/plan/parse';
import type { Plan } from '../../../../src/core/plan/types';
import { Batcher, type TimerApi } from '../../../../src/extension/plans/batcher';
import { bindableCalls, bindCalls } from '../../../../src/extension/plans/binding';
import { analysisLensText, formatMs } from '../../../../src/extension/plans/format';
import { isPlanFileName, planBaseName, sampleRelativePath, traceFileName } from '../../../../src/extension/plans/planFiles';
import { confirmationText, oneLine, sideEffects, untrustedMessage } from '../../../../src/extension/plans/sideEffects';
import { analyzeSource } from '../../../../src/extension/plans/analyzeSource';
import { normalizeSettings } from '../../../../src/extension/settingsModel';

function plan(text: string, fileName = 'p.toolplan.json'): Plan {
  const r = parsePlan(text, { fileName });
  assert.ok(r.plan, r.diagnostics.map((d) => d.message).join('\n'));
  return r.plan;
}

describe('extension: plan files and samples', () => {
  it('recognises plan file names', () => {
    for (const n of ['a.toolplan.json', '/x/y/B.TOOLPLAN.YAML', 'c.toolplan.yml']) assert.ok(isPlanFileName(n), n);
    for (const n of ['a.json', 'toolplan.json', 'a.toolplan.jsonc', 'a.toolplan.json.bak']) assert.ok(!isPlanFileName(n), n);
    assert.equal(planBaseName('/w/trip.toolplan.yaml'), 'trip');
    assert.equal(traceFileName('/w/trip.toolplan.json'), 'trip.trace.json');
  });

  it('accepts only sample plans inside lessons/samples', () => {
    assert.equal(sampleRelativePath('lessons/samples/trip.toolplan.json'), 'lessons/samples/trip.toolplan.json');
    assert.equal(sampleRelativePath('trip.toolplan.yaml'), 'lessons/samples/trip.toolplan.yaml');
    assert.equal(sampleRelativePath('samples/trip.toolplan.yml'), 'lessons/samples/trip.toolplan.yml');
    for (const bad of ['../package.json', 'lessons/samples/../../x.toolplan.json', 'lessons/other/x.toolplan.json', 'lessons/samples/x.json', '/etc/passwd', 'lessons/samples/a/b.toolplan.json']) {
      assert.equal(sampleRelativePath(bad), undefined, bad);
    }
  });
});

describe('extension: side effects and the confirmation', () => {
  const p = plan(JSON.stringify({
    name: 'Deploy',
    tools: [
      { id: 'sim', kind: 'simulate', args: { durationMs: 1 } },
      { id: 'build', kind: 'shell', args: { command: 'npm run build\nrm -rf /tmp/x', cwd: 'app' } },
      { id: 'ping', kind: 'http', args: { url: 'https://example.com/health', method: 'post' } },
      { id: 'save', kind: 'vscode.command', args: { command: 'workbench.action.files.saveAll' } },
      { id: 'ask', kind: 'vscode.lm', args: { tool: 'search', input: {} } },
      ...Array.from({ length: 20 }, (_, i) => ({ id: `s${i}`, kind: 'shell', args: { command: `echo ${'x'.repeat(200)} ${i}` } })),
    ],
  }));

  it('lists every tool that reaches outside the simulator, with what it will do', () => {
    const effects = sideEffects(p);
    assert.equal(effects.length, 24);
    assert.deepEqual(effects.slice(0, 4).map((e) => `${e.id}: ${e.detail}`), [
      'build: npm run build\nrm -rf /tmp/x  (in app)', 'ping: POST https://example.com/health', 'save: workbench.action.files.saveAll', 'ask: search',
    ]);
  });

  it('the confirmation counts kinds, shows one line per tool and truncates nicely', () => {
    const c = confirmationText(p.name, sideEffects(p), 5, 60);
    assert.match(c.message, /"Deploy".*21 shell commands, 1 HTTP request, 1 VS Code command, 1 language-model tool/);
    const lines = c.detail.split('\n');
    assert.equal(lines[0], 'build [shell]: npm run build ⏎ rm -rf /tmp/x (in app)');
    assert.ok(lines.slice(0, 5).every((l) => l.length <= 60), lines.join('\n'));
    assert.ok(lines[4].endsWith('…'));
    assert.equal(lines[5], '…and 19 more');
    assert.equal(lines.length, 6, 'no note about ${…} values when no command uses one');
    const withRef = confirmationText('P', [{ id: 'x', kind: 'shell', detail: 'echo ${a.output}' }]);
    assert.match(withRef.detail, /filled in from earlier tools/);
  });

  it('hides control characters in one-line text', () => {
    assert.equal(oneLine('a\u001b[31mb\tc', 20), 'a·[31mb·c');
  });

  it('the untrusted message says why and what still works', () => {
    const m = untrustedMessage(sideEffects(p));
    assert.match(m, /Restricted Mode/);
    assert.match(m, /shell commands/);
    assert.match(m, /Simulate/);
  });
});

describe('extension: event batching', () => {
  class ManualTimers implements TimerApi {
    pending: (() => void)[] = [];
    set(fn: () => void): unknown { this.pending.push(fn); return this.pending.length; }
    clear(): void { this.pending = []; }
    fire(): void { const p = this.pending; this.pending = []; for (const f of p) f(); }
  }

  it('delivers many events as few batches, in order, nothing lost', () => {
    const timers = new ManualTimers();
    const batches: number[][] = [];
    const b = new Batcher<number>((x) => batches.push([...x]), 50, timers);
    for (let i = 0; i < 1000; i++) b.push(i);
    assert.equal(timers.pending.length, 1, 'one timer per batch');
    timers.fire();
    for (let i = 1000; i < 1010; i++) b.push(i);
    b.close();
    b.push(9999);
    timers.fire();
    assert.equal(batches.length, 2);
    assert.deepEqual(batches.flat(), Array.from({ length: 1010 }, (_, i) => i));
  });

  it('flush with nothing pending delivers nothing', () => {
    const batches: unknown[] = [];
    const b = new Batcher<number>((x) => batches.push(x), 50, new ManualTimers());
    b.flush();
    assert.equal(batches.length, 0);
  });
});

describe('extension: binding imported calls to LM tools', () => {
  const native = plan(JSON.stringify({ tools: [{ id: 'search', kind: 'simulate', args: { durationMs: 1 } }] }));
  it('never binds native plans', () => {
    assert.deepEqual(bindableCalls(native, ['search']), []);
  });

  it('turns chosen calls into vscode.lm tools with the call arguments as input', () => {
    const imported: Plan = { ...native, format: 'openai', tools: [
      { ...native.tools[0], id: 'call_1', label: 'search', args: { q: 'x', durationMs: 5 } },
      { ...native.tools[0], id: 'call_2', label: 'weather', args: { city: 'Oslo' }, index: 1 },
    ] };
    assert.deepEqual(bindableCalls(imported, ['search', 'other']).map((t) => t.id), ['call_1']);
    const bound = bindCalls(imported, new Set(['call_1']));
    assert.equal(bound.tools[0].kind, 'vscode.lm');
    assert.deepEqual(bound.tools[0].args, { tool: 'search', input: { q: 'x' } });
    assert.equal(bound.tools[1], imported.tools[1]);
    assert.equal(imported.tools[0].kind, 'simulate', 'the original plan is not changed');
  });
});

describe('extension: summaries and settings', () => {
  it('formats durations for people', () => {
    assert.equal(formatMs(850.4), '850 ms');
    assert.equal(formatMs(1300), '1.3 s');
    assert.equal(formatMs(12_345), '12.3 s');
    assert.equal(formatMs(125_000), '2 min 5 s');
    // The host spells durations as the CLI and the plan view do (one formatter, src/core/render/format.ts).
    assert.equal(formatMs(5_400_000), '1 h 30 min');
  });

  it('the CodeLens summary gives tools, critical path and speedup', () => {
    const text = JSON.stringify({ maxConcurrency: 4, tools: [
      { id: 'a', kind: 'simulate', args: { durationMs: 1000 } },
      { id: 'b', kind: 'simulate', args: { durationMs: 1000 } },
      { id: 'c', kind: 'simulate', args: { durationMs: 300 }, dependsOn: ['a', 'b'] },
    ] });
    const a = analyzeSource(text, { fileName: 'p.toolplan.json', defaultEstimateMs: 1000 }).analysis;
    assert.ok(a);
    assert.equal(analysisLensText(a), '3 tools · critical path 1.3 s · 1.77× faster than sequential');
    const bad = analyzeSource('{"tools":[{"id":"a","kind":"simulate","args":{"durationMs":1},"dependsOn":["zz"]}]}', { fileName: 'p.toolplan.json', defaultEstimateMs: 1000 }).analysis;
    assert.ok(bad);
    assert.equal(analysisLensText(bad), '1 tool · 1 error: see Problems');
  });

  it('settings typed by hand fall back to defaults', () => {
    const s = normalizeSettings((k) => ({ maxConcurrency: 0, defaultEstimateMs: 'x', confirmShellAndHttp: 'no', historySize: 7.9, analyzeOnType: false, streamPolicy: 'later' } as Record<string, unknown>)[k]);
    assert.deepEqual(s, { maxConcurrency: null, defaultEstimateMs: 1000, confirmShellAndHttp: true, historySize: 7, analyzeOnType: false, streamPolicy: 'dispatch-on-close', approveCalls: 'prompt' });
    assert.equal(normalizeSettings((k) => (k === 'streamPolicy' ? 'wait-for-end' : undefined)).streamPolicy, 'wait-for-end');
    assert.equal(normalizeSettings((k) => (k === 'approveCalls' ? 'all' : undefined)).approveCalls, 'all');
    assert.equal(normalizeSettings((k) => (k === 'approveCalls' ? 'yes' : undefined)).approveCalls, 'prompt');
    assert.equal(normalizeSettings((k) => (k === 'maxConcurrency' ? 4 : undefined)).maxConcurrency, 4);
  });
});

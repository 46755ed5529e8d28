import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunEvent, RunRecord } from '../../../src/core/engine/types';
import { mermaidNodeId } from '../../../src/core/render/mermaid';
import { escapeAttr, makeNonce, planViewCsp, planViewHtml } from '../../../src/extension/planView/html';
import { analyzeForView, panelTitle, toRunSummaries, toViewEvents, toViewRecord } from '../../../src/extension/planView/toView';
import { layeredPlan, TRIP_PLAN } from './plans';

const SRC = { uri: 'file:///w/trip.toolplan.yaml', fileLabel: 'trip.toolplan.yaml' };

describe('plan view: host converters', () => {
  it('turns a plan text into a ViewAnalysis with positions, node ids, graph dependencies and Mermaid text', () => {
    const v = analyzeForView(TRIP_PLAN, SRC, { analyze: { cores: 4 } });
    assert.equal(v.planName, 'Trip planner');
    assert.equal(v.format, 'native');
    assert.equal(v.valid, true);
    assert.equal(v.uri, SRC.uri);
    assert.equal(v.tools.length, 12);
    assert.equal(v.maxConcurrency, 4);
    const profile = v.tools[0];
    assert.equal(profile.id, 'profile');
    assert.equal(profile.line, 6, 'line of the tool id');
    assert.equal(profile.column, 9);
    assert.equal(profile.durationMs, 300);
    assert.deepEqual(v.tools.map((t) => t.nodeId), v.tools.map((_, i) => mermaidNodeId(i)));
    assert.deepEqual([...v.tools[11].dependsOn].sort(), ['itinerary', 'visas']);
    assert.equal(v.mermaidMode, 'full');
    assert.match(v.mermaid, /^flowchart /);
    assert.equal(v.mermaidConfig.securityLevel, 'strict');
    assert.deepEqual(v.criticalPath.tools, ['profile', 'flights', 'prices', 'itinerary', 'report']);
    assert.equal(v.criticalPath.ms, 2950);
    assert.equal(v.estimate.sequentialMs, 7900);
    // Plain data only: survives structured cloning to the webview unchanged.
    assert.deepEqual(JSON.parse(JSON.stringify(v)), v);
  });

  it('includes reference-implied dependencies and diagnostics with lessons and suggestions', () => {
    const text = JSON.stringify({
      name: 'refs',
      tools: [
        { id: 'a', kind: 'http', args: { url: 'https://example.com' } },
        { id: 'b', kind: 'simulate', args: { durationMs: 10, result: '${a.output}' } },
      ],
    }, null, 2);
    const v = analyzeForView(text, { uri: 'file:///r.toolplan.json', fileLabel: 'r.toolplan.json' }, { analyze: { cores: 4 } });
    assert.deepEqual(v.tools[1].dependsOn, ['a']);
    const codes = v.diagnostics.map((d) => d.code);
    assert.ok(codes.includes('undeclared-dependency'), codes.join());
    assert.ok(codes.includes('missing-timeout'), codes.join());
    for (const d of v.diagnostics) {
      assert.ok(d.lesson.length > 0);
      assert.ok(d.line >= 1 && d.column >= 1);
      assert.equal('fix' in d, false, 'quick-fix edits stay in the host');
      assert.equal('range' in d, false);
    }
  });

  it('describes a document that is not a plan as invalid with its errors, not a crash', () => {
    for (const text of ['', '[1, 2', '\u0000\u0001binary', 'just words']) {
      const v = analyzeForView(text, { uri: 'file:///x.toolplan.json', fileLabel: 'x.toolplan.json' });
      assert.equal(v.valid, false, JSON.stringify(text));
      assert.ok(v.diagnostics.length > 0);
      assert.ok(v.diagnostics.every((d) => d.severity === 'error'));
    }
  });

  it('marks invalid plans and still draws what it can', () => {
    const text = JSON.stringify({ tools: [{ id: 'a', kind: 'simulate', args: { durationMs: 1 }, dependsOn: ['b'] }, { id: 'b', kind: 'simulate', args: { durationMs: 1 }, dependsOn: ['a'] }] });
    const v = analyzeForView(text, { uri: 'u', fileLabel: 'c.toolplan.json' });
    assert.equal(v.valid, false);
    assert.ok(v.diagnostics.some((d) => d.code === 'cycle'));
    assert.equal(v.tools.length, 2);
    assert.ok(v.mermaid.length > 0);
  });

  it('summarises very large plans (no per-tool node ids) so the webview never lays out thousands of nodes', () => {
    const v = analyzeForView(layeredPlan(1000, 'Big', 25, 16), { uri: 'u', fileLabel: 'big.toolplan.json' });
    assert.equal(v.mermaidMode, 'summary');
    assert.ok(v.tools.every((t) => t.nodeId === undefined));
    assert.equal(v.tools.length, 1000);
    assert.equal(analyzeForView(layeredPlan(150), { uri: 'u', fileLabel: 'a.toolplan.json' }).mermaidMode, 'full');
    assert.equal(analyzeForView(layeredPlan(151), { uri: 'u', fileLabel: 'a.toolplan.json' }).mermaidMode, 'summary');
  });

  it('strips outputs from events and records, and drops the run-started event', () => {
    const events: RunEvent[] = [
      { type: 'run-started', at: 0, tools: ['a'] },
      { type: 'queued', at: 0, id: 'a' },
      { type: 'started', at: 1, id: 'a', attempt: 1 },
      { type: 'attempt-failed', at: 2, id: 'a', attempt: 1, error: 'boom', timedOut: true },
      { type: 'retrying', at: 2, id: 'a', attempt: 2, delayMs: 50 },
      { type: 'succeeded', at: 9, id: 'a', output: { huge: 'x'.repeat(10_000) } },
      { type: 'skipped', at: 9, id: 'b', reason: 'dependency failed' },
      { type: 'run-ended', at: 9, status: 'succeeded' },
    ];
    const v = toViewEvents(events);
    assert.equal(v.length, events.length - 1);
    assert.deepEqual(v[2], { type: 'attempt-failed', at: 2, id: 'a', attempt: 1, error: 'boom', timedOut: true });
    assert.deepEqual(v[4], { type: 'succeeded', at: 9, id: 'a' });
    assert.deepEqual(v[5], { type: 'skipped', at: 9, id: 'b', reason: 'dependency failed' });
    assert.deepEqual(v[6], { type: 'run-ended', at: 9, status: 'succeeded' });
    const record: RunRecord = {
      status: 'failed', makespanMs: 10, sequentialMs: 20, criticalPathMs: 8, lowerBoundMs: 8, maxObservedConcurrency: 2,
      tools: [{ id: 'a', status: 'failed', queuedAt: 0, startedAt: 1, endedAt: 9, attempts: [{ startedAt: 1, endedAt: 9, error: 'x' }], output: { big: [1, 2, 3] }, error: 'x' }],
    };
    const r = toViewRecord(record);
    assert.equal('output' in r.tools[0], false);
    assert.deepEqual(r.tools[0].attempts, [{ startedAt: 1, endedAt: 9, error: 'x' }]);
    assert.equal(r.maxObservedConcurrency, 2);
  });

  it('a streamed plan carries its model lane (close times, end) and its record the stream figures; other plans neither', () => {
    const text = readFileSync(join(__dirname, '../../../lessons/samples/streamed-batch.toolplan.json'), 'utf8');
    const a = analyzeForView(text, { uri: 'file:///w/s.toolplan.json', fileLabel: 'streamed-batch.toolplan.json' });
    assert.deepEqual(a.stream, { closeMs: [600, 1100, 1600], endMs: 1800, timing: 'recorded' });
    assert.equal(analyzeForView(TRIP_PLAN, SRC).stream, undefined);
    const untimed = analyzeForView(readFileSync(join(__dirname, '../../fixtures/payloads/streams/openai-chat-tool-call.sse'), 'utf8'), { uri: 'file:///w/x', fileLabel: 'x.toolplan.json' });
    assert.equal(untimed.stream?.timing, 'token-rate');
    assert.equal(untimed.stream?.tokensPerSecond, 80);
    const base: RunRecord = { status: 'succeeded', makespanMs: 2600, sequentialMs: 3300, criticalPathMs: 1500, lowerBoundMs: 1500, maxObservedConcurrency: 2, tools: [] } as unknown as RunRecord;
    const streamed = { ...base, stream: { endMs: 1800, waitForEndMakespanMs: 3300, policy: 'dispatch-on-close', timing: 'recorded' } } as RunRecord;
    assert.deepEqual(toViewRecord(streamed).stream, { endMs: 1800, waitForEndMakespanMs: 3300, policy: 'dispatch-on-close' });
    assert.equal('stream' in toViewRecord(base), false);
  });

  it('lists history newest first, capped, and titles the panel', () => {
    const runs = Array.from({ length: 30 }, (_, i) => ({ runId: `r${i}`, uri: 'u', planName: 'p', mode: 'run' as const, startedAt: `2026-11-24T22:${String(i).padStart(2, '0')}:00Z`, status: 'succeeded' as const, makespanMs: i }));
    const s = toRunSummaries(runs, 20);
    assert.equal(s.length, 20);
    assert.deepEqual(Object.keys(s[0]).sort(), ['makespanMs', 'mode', 'runId', 'startedAt', 'status']);
    assert.equal(panelTitle('Trip planner', 'f.json'), 'Fanout: Trip planner');
    assert.equal(panelTitle('  ', 'f.json'), 'Fanout: f.json');
    assert.equal(panelTitle('x'.repeat(100), 'f').length, 'Fanout: '.length + 40);
  });
});

describe('plan view: HTML shell', () => {
  it('has a strict CSP: nonce-only scripts, no eval, resources only from the webview origin', () => {
    const csp = planViewCsp('https://*.vscode-cdn.net', 'abc');
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, /script-src 'nonce-abc'$/);
    assert.doesNotMatch(csp, /unsafe-eval/);
    assert.doesNotMatch(csp.split('; ').find((d) => d.startsWith('script-src')) ?? '', /unsafe-inline|https:/);
    assert.match(csp, /img-src https:\/\/\*\.vscode-cdn\.net data:/);
  });

  it('escapes everything it interpolates and gives every script the nonce', () => {
    const html = planViewHtml({
      cspSource: 'https://x', nonce: 'N', title: '<img src=x onerror=alert(1)>"',
      appScript: 'https://x/a.js"><script>alert(1)</script>', stylesheet: 'https://x/s.css',
      mermaidScript: 'https://x/m.js"><script>alert(2)</script>',
    });
    assert.doesNotMatch(html, /<img/);
    assert.doesNotMatch(html, /<script>alert/);
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1, 'the app only: Mermaid loads on demand');
    assert.match(html, /<div id="app" class="fo-app" data-mermaid-src="https:\/\/x\/m\.js&quot;&gt;&lt;script&gt;alert\(2\)&lt;\/script&gt;">/);
    assert.ok(scripts.every((s) => s.includes('nonce="N"')));
    assert.equal(escapeAttr(`"'<>&`), '&quot;&#39;&lt;&gt;&amp;');
  });

  it('makes fresh 128-bit nonces', () => {
    const a = makeNonce();
    const b = makeNonce();
    assert.notEqual(a, b);
    assert.equal(Buffer.from(a, 'base64').length, 16);
  });
});

import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { simulate } from '../../../src/core/engine/simulate';
import { parsePlan } from '../../../src/core/plan/parse';
import { auditJson, auditTrace } from '../../../src/core/trace/audit';
import { runToOtlpJson } from '../../../src/core/trace/export/otlp';
import { buildOnce, json, runCli } from '../cli/helpers';

const PLAN = {
  name: 'Round trip', maxConcurrency: 2, failurePolicy: 'skip-dependents',
  tools: [
    { id: 'a', kind: 'simulate', args: { durationMs: 100, result: { v: 1 } } },
    { id: 'b', kind: 'simulate', args: { durationMs: 250 } },
    { id: 'c', kind: 'simulate', args: { durationMs: 50, error: 'boom' } },
    { id: 'd', kind: 'simulate', args: { durationMs: 80 }, dependsOn: ['a'] },
    { id: 'e', kind: 'simulate', args: { durationMs: 10 }, dependsOn: ['c'] },
  ],
};

describe('--otlp export: Fanout runs as OpenTelemetry GenAI spans', function () {
  this.timeout(60_000);

  it('the OTLP/JSON export of a run, read back by audit, gives the same timeline as the record', async () => {
    const parsed = parsePlan(JSON.stringify(PLAN), { fileName: 'rt.toolplan.json' });
    assert.ok(parsed.plan);
    const record = await simulate(parsed.plan);
    const text = await runToOtlpJson(record, parsed.plan, { startEpochMs: 1_735_689_600_000 });
    const doc = JSON.parse(text) as { resourceSpans: { scopeSpans: { spans: { name: string; startTimeUnixNano: string; attributes: { key: string }[] }[] }[] }[] };
    const spans = doc.resourceSpans[0].scopeSpans[0].spans;
    // The SDK's encoding: hex ids, string nanoseconds, KeyValue attributes.
    assert.match(spans[0].startTimeUnixNano, /^\d{19}$/);
    assert.deepEqual(spans.map((s) => s.name).sort(), ['execute_tool a', 'execute_tool b', 'execute_tool c', 'execute_tool d', 'invoke_agent Round trip']);
    const fromOtlp = auditJson('rt.otlp.json', auditTrace(text));
    const fromRecord = auditJson('rt.json', auditTrace(JSON.stringify(record)));
    assert.equal(fromOtlp.format, 'otlp');
    const timeline = (j: typeof fromOtlp): unknown => j.tools.map((t) => [t.name, t.startedAt, t.endedAt, t.status, t.readyAt]).sort((x, y) => String(x).localeCompare(String(y)));
    assert.deepEqual(timeline(fromOtlp), timeline(fromRecord));
    const ran = record.tools.filter((t) => t.startedAt !== null).map((t) => [t.id, t.startedAt, t.endedAt]).sort();
    assert.deepEqual(fromOtlp.tools.map((t) => [t.name, t.startedAt, t.endedAt]).sort(), ran);
    assert.equal(fromOtlp.actualMs, record.makespanMs);
    assert.equal(fromOtlp.tools.find((t) => t.name === 'c')?.status, 'failed');
  });

  it('fanout run --otlp writes a file audit reads (real process, real clock)', async () => {
    buildOnce();
    const dir = mkdtempSync(join(os.tmpdir(), 'fanout-otlp-'));
    try {
      writeFileSync(join(dir, 'rt.toolplan.json'), JSON.stringify(PLAN));
      const r = await runCli(['run', 'rt.toolplan.json', '--json', '--otlp', 'out/../run.otlp.json'], { cwd: dir });
      assert.equal(r.code, 1, r.stderr); // c fails, e is skipped
      const record = json(r) as { tools: { id: string; startedAt: number | null; endedAt: number | null }[] };
      const a = json(await runCli(["audit", "run.otlp.json", "--json"], { cwd: dir })) as unknown as ReturnType<typeof auditJson>;
      const ran = record.tools.filter((t) => t.startedAt !== null);
      assert.equal(a.tools.length, ran.length);
      for (const t of ran) {
        const got = a.tools.find((x) => x.name === t.id);
        assert.ok(got, t.id);
        // Record times are ms from the run start; the export adds them to one epoch: equal to the 0.1 ms the JSON keeps.
        assert.ok(Math.abs(got.startedAt - (t.startedAt as number)) <= 0.11 && Math.abs(got.endedAt - (t.endedAt as number)) <= 0.11, `${t.id}: ${got.startedAt}–${got.endedAt} vs ${t.startedAt}–${t.endedAt}`);
      }
      const bad = await runCli(['simulate', 'rt.toolplan.json', '--otlp', 'nodir/x.json'], { cwd: dir });
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /does not exist/);
      assert.ok(readFileSync(join(dir, 'run.otlp.json'), 'utf8').startsWith('{"resourceSpans":'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

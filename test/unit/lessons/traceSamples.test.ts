import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditCommand } from '../../../src/cli/commands/audit';
import { simulateCommand } from '../../../src/cli/commands/simulate';
import type { CliCommand, CliIO } from '../../../src/cli/io';
import { PROJECT_ROOT, realCourse } from './helpers';

// The 'reading-traces' step quotes what `fanout audit` says about two real trace files copied
// from the test fixtures into lessons/samples, and what it says about a run record of the step's
// sample. These tests keep the quoted findings and figures true.

async function cli(command: CliCommand, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, readStdin: async () => '', isTTY: false, cwd: PROJECT_ROOT,
    interrupted: new Promise<never>(() => undefined),
  };
  const code = await command(argv, io);
  return { code, out, err };
}

interface AuditOut {
  readonly actualMs: number;
  readonly counterfactualMs: number;
  readonly contentCaptured: boolean;
  readonly diagnostics: readonly { readonly code: string; readonly costMs?: number }[];
}

async function audit(file: string): Promise<AuditOut> {
  const { code, out, err } = await cli(auditCommand, [file, '--json']);
  assert.equal(code, 0, err);
  return JSON.parse(out) as AuditOut;
}

describe('the trace samples of the reading-traces step', () => {
  it('are the test fixtures, unchanged, and the step names both', async () => {
    for (const [sample, fixture] of [['openai-agents-weather.trace.json', 'openai-agents-weather.json'], ['langfuse-fetch.trace.json', 'langfuse-fetch-trace.json']]) {
      assert.equal(readFileSync(join(PROJECT_ROOT, 'lessons/samples', sample), 'utf8'), readFileSync(join(PROJECT_ROOT, 'test/fixtures/traces', fixture), 'utf8'), sample);
      const { course } = await realCourse();
      assert.ok(course?.steps.find((s) => s.id === 'reading-traces')?.body.includes(`lessons/samples/${sample}`), `the step does not name ${sample}`);
    }
  });

  it('the weather trace: serialized-batch, 905 ms, 4.42 s → 3.52 s, as the step quotes', async () => {
    const j = await audit('lessons/samples/openai-agents-weather.trace.json');
    assert.deepEqual(j.diagnostics.map((d) => [d.code, d.costMs]), [['serialized-batch', 905]]);
    assert.equal(j.actualMs, 4420);
    assert.equal(Math.round(j.counterfactualMs / 10) / 100, 3.52);
    assert.equal(j.contentCaptured, true);
  });

  it('the Langfuse trace: collateral-cancellation with 2.39 s thrown away, timing only, nothing saved', async () => {
    const j = await audit('lessons/samples/langfuse-fetch.trace.json');
    assert.deepEqual(j.diagnostics.map((d) => d.code), ['collateral-cancellation']);
    assert.equal(Math.round((j.diagnostics[0].costMs ?? 0) / 10) / 100, 2.39);
    assert.equal(j.contentCaptured, false);
    assert.equal(j.counterfactualMs, j.actualMs);
  });

  it("the step's sample, simulated into a run record and audited: serialized-batch, 900 ms, 2.1 s → 1.2 s", async () => {
    const sim = await cli(simulateCommand, ['lessons/samples/one-at-a-time-agent.toolplan.json', '--json']);
    assert.equal(sim.code, 0, sim.err);
    const dir = mkdtempSync(join(tmpdir(), 'fanout-trace-sample-'));
    try {
      const record = join(dir, 'run.json');
      writeFileSync(record, sim.out);
      const j = await audit(record);
      assert.deepEqual(j.diagnostics.map((d) => [d.code, d.costMs]), [['serialized-batch', 900]]);
      assert.equal(j.actualMs, 2100);
      assert.equal(j.counterfactualMs, 1200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Import speed (issue 13): a 10,000-call OpenAI chunk stream through `node dist/cli.js analyze
// --json` as a whole process, against `node -e 0` measured in the same run; and each format's
// in-process import speed (parsePlan only) on 10,000 calls, as calls per second and as a ratio to
// the native plan reader on a 10,000-tool plan measured alongside.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parsePlan } from '../../../src/core/plan/parse';
import { anthropicStreamText, bedrockStreamText, geminiStreamText, openaiStreamText, responsesStreamText, wholePayloads } from '../payloadText';
import { largePlanText } from '../planText';
import { fx, table, type BenchContext, type SectionResult, type Target } from '../report';
import { median, min, round } from '../stats';
import { ensureBuilt, wall } from './analyzeSpeed';

const CALLS = 10_000;

export async function importSpeedSection(ctx: BenchContext): Promise<SectionResult> {
  const build = ensureBuilt(ctx.root);
  const dir = mkdtempSync(join(os.tmpdir(), 'fanout-bench-import-'));
  try {
    const stream = openaiStreamText(CALLS);
    const file = join(dir, 'openai-10k.sse');
    writeFileSync(file, stream);
    const cli = join(ctx.root, 'dist', 'cli.js');
    const reps = ctx.quick ? 1 : 5;
    if (!ctx.quick) { wall(['-e', '0'], dir); wall([cli, 'analyze', file, '--json'], dir); }
    const nodeMs: number[] = [];
    const cliMs: number[] = [];
    const cliCpu: number[] = [];
    let out: { plan?: { format?: string; tools?: number }; tools?: unknown[]; valid?: boolean } | undefined;
    for (let k = 0; k < reps; k++) {
      ctx.progress(`import: round ${k + 1}/${reps}`);
      nodeMs.push(wall(['-e', '0'], dir).ms);
      const r = wall([cli, 'analyze', file, '--json'], dir);
      if (r.status !== 0) throw new Error(`fanout analyze exited ${r.status}: ${r.stderr.trim().slice(0, 500)}`);
      out ??= JSON.parse(r.stdout) as typeof out;
      cliMs.push(r.ms);
      cliCpu.push(r.cpuMs);
    }
    if (out?.plan?.format !== 'openai-stream' || out.plan.tools !== CALLS) throw new Error(`expected ${CALLS} openai-stream calls, got ${JSON.stringify(out?.plan)}`);

    // In-process: parsePlan on each format, warm, median of rounds.
    const inputs: [string, string][] = [
      ['native (baseline)', largePlanText(CALLS)],
      ...Object.entries(wholePayloads(CALLS)),
      ['openai-stream', stream],
      ['openai-responses-stream', responsesStreamText(CALLS)],
      ['anthropic-stream', anthropicStreamText(CALLS)],
      ['bedrock (ConverseStream)', bedrockStreamText(CALLS)],
      ['gemini (streamGenerateContent)', geminiStreamText(CALLS)],
    ];
    const rounds = ctx.quick ? 1 : 3;
    const rows: { format: string; bytes: number; ms: number; calls: number }[] = [];
    for (const [format, text] of inputs) {
      const times: number[] = [];
      let calls = 0;
      // The row's first word is the format the payload must be read as ("gemini (Python print)" → gemini).
      const detected = parsePlan(text).format; // warm
      if (detected !== format.split(' ')[0]) throw new Error(`${format}: read as ${detected}`);
      for (let k = 0; k < rounds; k++) {
        const t0 = performance.now();
        const r = parsePlan(text);
        times.push(performance.now() - t0);
        calls = r.plan?.tools.length ?? 0;
      }
      if (calls !== CALLS) throw new Error(`${format}: imported ${calls} calls, expected ${CALLS}`);
      rows.push({ format, bytes: text.length, ms: median(times), calls });
    }
    const native = rows[0].ms;
    const cliMed = median(cliMs);
    const lines = [
      `${CALLS.toLocaleString('en-US')}-call OpenAI Chat Completions SSE stream (${fx(stream.length / 1024 / 1024, 2)} MB, ${(CALLS * 3 + 2).toLocaleString('en-US')} events), ${reps} rounds, median; ${build}`,
      ...table(['process', 'wall ms', 'min ms', 'CPU ms'], [
        ['node -e 0 (start-up baseline)', fx(median(nodeMs), 0), fx(min(nodeMs), 0), ''],
        ['node dist/cli.js analyze STREAM --json', fx(cliMed, 0), fx(min(cliMs), 0), fx(median(cliCpu), 0)],
      ]),
      `In-process parsePlan of ${CALLS.toLocaleString('en-US')} calls per format (warm, median of ${rounds}); ratio = time ÷ the native reader's on a ${CALLS.toLocaleString('en-US')}-tool plan`,
      ...table(['format', 'MB', 'ms', 'calls/s', '× native'], rows.map((r) => [r.format, fx(r.bytes / 1024 / 1024, 2), fx(r.ms, 0), Math.round(r.calls / (r.ms / 1000)).toLocaleString('en-US'), fx(r.ms / native, 2)])),
    ];
    const targets: Target[] = [
      { section: 'import', name: `fanout analyze --json, ${CALLS / 1000}k-call OpenAI chunk stream, whole process`, target: '< 1000 ms', value: Math.round(cliMed), unit: 'ms', met: cliMed < 1000 },
    ];
    return {
      key: 'importSpeed',
      title: `Import speed: a ${CALLS / 1000}k-call OpenAI chunk stream as a whole process, and each format in process`,
      lines, targets,
      json: {
        calls: CALLS, streamBytes: stream.length, rounds: reps, build,
        nodeStartupMs: nodeMs.map((x) => round(x, 1)), analyzeMs: cliMs.map((x) => round(x, 1)), analyzeCpuMs: cliCpu, medianMs: round(cliMed, 1),
        perFormat: rows.map((r) => ({ format: r.format, bytes: r.bytes, ms: round(r.ms, 1), callsPerSecond: Math.round(r.calls / (r.ms / 1000)), ratioToNative: round(r.ms / native, 3) })),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

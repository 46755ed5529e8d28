// Auditing a 100,000-span agent trace as a whole process, as a user would: `node dist/cli.js
// audit FILE --json`, wall time from spawn to exit, against `node -e 0` measured in the same run
// (issue 17: under 2 s). Also where the time goes, in process: reading, rebuild, data flow,
// counterfactual and rules.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { counterfactual } from '../../../src/core/trace/counterfactual';
import { dataFlow } from '../../../src/core/trace/dataflow';
import { readTrace } from '../../../src/core/trace/read';
import { auditRules } from '../../../src/core/trace/rules';
import { rebuildTurns } from '../../../src/core/trace/turns';
import { largeTraceText } from '../traceText';
import { fx, table, type BenchContext, type SectionResult, type Target } from '../report';
import { median, min, round } from '../stats';
import { ensureBuilt, wall } from './analyzeSpeed';

const SPANS = 100_000;

/** What each whole-process mark (the end of a stage) measures, for the table. */
const WHOLE_STAGES: Readonly<Record<string, string>> = {
  start: 'start-up (to the command)', input: 'file read and decoded', read: 'spans read', rebuild: 'rebuild', dataflow: 'data flow',
  counterfactual: 'counterfactual', rules: 'rules', positions: 'positions and diagnostics', output: '--json written', exit: 'exit (wall time left)',
};

interface Variant {
  readonly lines: string[];
  readonly target: Target;
  readonly json: Record<string, unknown>;
}

export async function auditSection(ctx: BenchContext): Promise<SectionResult> {
  const build = ensureBuilt(ctx.root);
  // Without captured content (the GenAI instrumentations' default: call ids, no arguments or
  // results) and with it (every argument and result in the spans, data-flow analysis on).
  const timing = await variant(ctx, build, false);
  const content = await variant(ctx, build, true);
  return {
    key: 'audit',
    title: `8. Trace audit: \`fanout audit --json\` on a ${SPANS / 1000}k-span trace, as a whole process`,
    lines: [...timing.lines, '', ...content.lines],
    targets: [timing.target, content.target],
    json: { timingOnly: timing.json, withContent: content.json },
  };
}

async function variant(ctx: BenchContext, build: string, withContent: boolean): Promise<Variant> {
  const dir = mkdtempSync(join(os.tmpdir(), 'fanout-bench-audit-'));
  try {
    const text = largeTraceText(SPANS, { content: withContent });
    const file = join(dir, 'trace.otlp.json');
    writeFileSync(file, text);
    const cli = join(ctx.root, 'dist', 'cli.js');
    const reps = ctx.quick ? 1 : 5;
    if (!ctx.quick) {
      wall(['-e', '0'], dir);
      wall([cli, 'audit', file, '--json'], dir);
    }
    ctx.progress(`audit: ${withContent ? 'with content' : 'timing only'}`);
    const nodeMs: number[] = [];
    const cliMs: number[] = [];
    const cliCpu: number[] = [];
    // The whole process's time by stage: the CLI's own marks (FANOUT_AUDIT_TIMES, audit.ts), each
    // stage's end in ms since the process started; what is left of the wall time is exit.
    const whole: Record<string, number[]> = {};
    const previous = process.env.FANOUT_AUDIT_TIMES;
    process.env.FANOUT_AUDIT_TIMES = '1';
    let out: { turns?: unknown[]; tools?: unknown[]; diagnostics?: unknown[]; actualMs?: number; counterfactualMs?: number } = {};
    for (let k = 0; k < reps; k++) {
      ctx.progress(`audit: round ${k + 1}/${reps}`);
      nodeMs.push(wall(['-e', '0'], dir).ms);
      const r = wall([cli, 'audit', file, '--json'], dir);
      if (r.status !== 0) throw new Error(`fanout audit exited ${r.status}: ${r.stderr.trim().slice(0, 500)}`);
      if (k === 0) out = JSON.parse(r.stdout) as typeof out;
      cliMs.push(r.ms);
      cliCpu.push(r.cpuMs);
      let at = 0;
      for (const [, stage, ms] of r.stderr.matchAll(/(\w+)=([\d.]+)/g)) {
        (whole[stage] ??= []).push(Number(ms) - at);
        at = Number(ms);
      }
      (whole.exit ??= []).push(r.ms - at);
    }
    if (previous === undefined) delete process.env.FANOUT_AUDIT_TIMES;
    else process.env.FANOUT_AUDIT_TIMES = previous;
    const stages: Record<string, number[]> = { read: [], rebuild: [], dataflow: [], counterfactual: [], rules: [] };
    const parseMs: number[] = [];
    for (let k = 0; k < (ctx.quick ? 1 : 3); k++) {
      const p0 = performance.now();
      JSON.parse(text);
      parseMs.push(performance.now() - p0);
      let t0 = performance.now();
      const trace = readTrace(text);
      stages.read.push(performance.now() - t0);
      t0 = performance.now();
      const r = rebuildTurns(trace);
      stages.rebuild.push(performance.now() - t0);
      t0 = performance.now();
      const flow = dataFlow(r);
      stages.dataflow.push(performance.now() - t0);
      t0 = performance.now();
      const cf = counterfactual(r, flow);
      stages.counterfactual.push(performance.now() - t0);
      t0 = performance.now();
      auditRules(r, flow, cf);
      stages.rules.push(performance.now() - t0);
    }
    const cliMed = median(cliMs);
    const nodeMed = median(nodeMs);
    const lines = [
      `${withContent ? 'With captured content' : 'Timing only (call ids, no arguments or results)'}: ${SPANS.toLocaleString('en-US')}-span OTLP/JSON trace (${fx(text.length / 1024 / 1024, 1)} MB; ${out.turns?.length ?? '?'} turns, ${out.tools?.length ?? '?'} tool calls, ${out.diagnostics?.length ?? '?'} findings; actual ${fx((out.actualMs ?? 0) / 1000, 1)} s → ${fx((out.counterfactualMs ?? 0) / 1000, 1)} s), ${reps} rounds, median (min); ${build}`,
      ...table(
        ['process', 'wall ms', 'min ms', 'rounds ms', 'CPU ms'],
        [
          ['node -e 0 (start-up baseline)', fx(nodeMed, 0), fx(min(nodeMs), 0), nodeMs.map((x) => fx(x, 0)).join(' / '), ''],
          ['node dist/cli.js audit FILE --json', fx(cliMed, 0), fx(min(cliMs), 0), cliMs.map((x) => fx(x, 0)).join(' / '), fx(median(cliCpu), 0)],
          ['JSON.parse of the file alone (in-process)', fx(median(parseMs), 0), fx(min(parseMs), 0), parseMs.map((x) => fx(x, 0)).join(' / '), ''],
          ...Object.entries(stages).map(([k, v]) => [`  in-process: ${k}`, fx(median(v), 0), fx(min(v), 0), v.map((x) => fx(x, 0)).join(' / '), '']),
          ...Object.entries(whole).map(([k, v]) => [`  whole process: ${WHOLE_STAGES[k] ?? k}`, fx(median(v), 0), fx(min(v), 0), v.map((x) => fx(x, 0)).join(' / '), '']),
        ],
      ),
    ];
    const target: Target = { section: 'audit', name: `fanout audit --json, ${SPANS / 1000}k spans${withContent ? ' with content' : ', timing only'}, whole process`, target: '< 2000 ms', value: Math.round(cliMed), unit: 'ms', met: cliMed < 2000 };
    return {
      lines,
      target,
      json: { spans: SPANS, withContent, wholeProcessMs: Object.fromEntries(Object.entries(whole).map(([k, v]) => [k, v.map((x) => round(x, 1))])), parseMs: parseMs.map((x) => round(x, 1)), bytes: text.length, rounds: reps, build, nodeStartupMs: nodeMs.map((x) => round(x, 1)), auditMs: cliMs.map((x) => round(x, 1)), medianMs: round(cliMed, 1), cpuMs: cliCpu, stagesMs: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, v.map((x) => round(x, 1))])) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

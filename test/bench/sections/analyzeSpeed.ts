// Section 6 (issue 2): analysing a 10,000-tool plan as a whole process, as a user would:
// `node dist/cli.js analyze FILE --json`, wall time from spawn to exit, against `node -e 0`
// (Node's own start-up) measured in the same run. dist/cli.js is built first when missing; a
// stale one is flagged in the output.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyze } from '../../../src/core/analysis/analyze';
import { predictMakespan } from '../../../src/core/engine/simulate';
import { parsePlan } from '../../../src/core/plan/parse';
import { largePlanText } from '../planText';
import { fx, table, type BenchContext, type SectionResult, type Target } from '../report';
import { median, min, round } from '../stats';

const TOOLS = 10_000;

function newestMtime(dir: string): number {
  let m = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    m = Math.max(m, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return m;
}

/**
 * Builds dist/ when dist/cli.js is missing. A stale build (older than src/) is only reported: in a
 * shared checkout, rebuilding under other people's feet is not the bench's call.
 */
export function ensureBuilt(root: string): string {
  const cli = join(root, 'dist', 'cli.js');
  if (existsSync(cli)) {
    return statSync(cli).mtimeMs >= newestMtime(join(root, 'src')) ? 'dist/cli.js up to date' : 'NOTE dist/cli.js is older than src/ (run npm run build for current figures)';
  }
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`dist/cli.js is missing and npm run build failed (exit ${r.status}): ${r.stderr.trim()}`);
  return 'built dist/ (npm run build) first: dist/cli.js was missing';
}

/**
 * CPU time (user + system, ms) of this process's waited-for children, from /proc/self/stat
 * (cutime + cstime, in clock ticks of 10 ms). NaN where /proc is not available.
 */
function childrenCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the command name start at field 3 (state); cutime and cstime are fields 16 and 17.
    return (Number(f[16 - 3]) + Number(f[17 - 3])) * 10;
  } catch {
    return NaN;
  }
}

export function wall(args: readonly string[], cwd: string): { ms: number; cpuMs: number; status: number | null; stdout: string; stderr: string } {
  const c0 = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { ms: performance.now() - t0, cpuMs: childrenCpuMs() - c0, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export async function analyzeSpeedSection(ctx: BenchContext): Promise<SectionResult> {
  const build = ensureBuilt(ctx.root);
  const dir = mkdtempSync(join(os.tmpdir(), 'fanout-bench-'));
  try {
    const file = join(dir, `plan-${TOOLS}.toolplan.json`);
    const text = largePlanText(TOOLS);
    writeFileSync(file, text);
    const reps = ctx.quick ? 1 : 5;
    const cli = join(ctx.root, 'dist', 'cli.js');
    // One unmeasured round of each warms the file cache (skipped by --quick, which measures the first).
    if (!ctx.quick) {
      wall(['-e', '0'], dir);
      wall([cli, 'analyze', file, '--json'], dir);
    }
    let out: { valid?: boolean } | undefined;
    const nodeMs: number[] = [];
    const cliMs: number[] = [];
    const nodeCpu: number[] = [];
    const cliCpu: number[] = [];
    for (let k = 0; k < reps; k++) {
      ctx.progress(`analyze: round ${k + 1}/${reps}`);
      const b = wall(['-e', '0'], dir);
      nodeMs.push(b.ms);
      nodeCpu.push(b.cpuMs);
      const r = wall([cli, 'analyze', file, '--json'], dir);
      if (r.status !== 0) throw new Error(`fanout analyze exited ${r.status}: ${r.stderr.trim().slice(0, 500)}`);
      out ??= JSON.parse(r.stdout) as { valid?: boolean };
      cliMs.push(r.ms);
      cliCpu.push(r.cpuMs);
    }
    // In-process, for context: where the time goes (warm), parse / analysis / the engine's prediction.
    const cpuNow = (): number => {
      const c = process.cpuUsage();
      return (c.user + c.system) / 1000;
    };
    const stages = { parse: [] as number[], analysis: [] as number[], prediction: [] as number[] };
    const stagesCpu = { parse: [] as number[], analysis: [] as number[], prediction: [] as number[] };
    for (let k = 0; k < (ctx.quick ? 1 : 3); k++) {
      let c0 = cpuNow();
      let t0 = performance.now();
      const parsed = parsePlan(text, { fileName: file });
      if (!parsed.plan) throw new Error('in-process parse failed');
      stages.parse.push(performance.now() - t0);
      stagesCpu.parse.push(cpuNow() - c0);
      let predMs = 0;
      let predCpu = 0;
      c0 = cpuNow();
      t0 = performance.now();
      analyze(parsed.plan, parsed.diagnostics, {
        text,
        predictMakespan: (p, g, d) => {
          const c1 = cpuNow();
          const t1 = performance.now();
          const m = predictMakespan(p, g, d);
          predMs = performance.now() - t1;
          predCpu = cpuNow() - c1;
          return m;
        },
      });
      stages.analysis.push(performance.now() - t0 - predMs);
      stagesCpu.analysis.push(cpuNow() - c0 - predCpu);
      stages.prediction.push(predMs);
      stagesCpu.prediction.push(predCpu);
    }
    const inProc = stages.parse.map((x, k) => x + stages.analysis[k] + stages.prediction[k]);
    const inProcCpu = stagesCpu.parse.map((x, k) => x + stagesCpu.analysis[k] + stagesCpu.prediction[k]);
    const cliMed = median(cliMs);
    const nodeMed = median(nodeMs);
    const lines = [
      `${TOOLS.toLocaleString('en-US')}-tool native plan (${fx(text.length / 1024 / 1024, 2)} MB), ${reps} rounds each, median (min); ${build}; output: JSON, ${out?.valid === true ? 'valid plan' : `valid = ${JSON.stringify(out?.valid)}`}`,
      ...table(
        ['process', 'wall ms', 'min ms', 'rounds ms', 'CPU ms'],
        [
          ['node -e 0 (start-up baseline)', fx(nodeMed, 0), fx(min(nodeMs), 0), nodeMs.map((x) => fx(x, 0)).join(' / '), fx(median(nodeCpu), 0)],
          ['node dist/cli.js analyze FILE --json', fx(cliMed, 0), fx(min(cliMs), 0), cliMs.map((x) => fx(x, 0)).join(' / '), fx(median(cliCpu), 0)],
          ['above node start-up', fx(cliMed - nodeMed, 0), fx(min(cliMs) - min(nodeMs), 0), '', fx(median(cliCpu) - median(nodeCpu), 0)],
          ['in-process, warm: parse + analyze', fx(median(inProc), 0), fx(min(inProc), 0), inProc.map((x) => fx(x, 0)).join(' / '), fx(median(inProcCpu), 0)],
          ...(['parse', 'analysis', 'prediction'] as const).map((k) => [`  ${k === 'parse' ? 'parsePlan (JSON tree, schema, plan)' : k === 'analysis' ? 'analyze: graph, levels, rules' : 'analyze: predictMakespan (engine)'}`, fx(median(stages[k]), 0), fx(min(stages[k]), 0), stages[k].map((x) => fx(x, 0)).join(' / '), fx(median(stagesCpu[k]), 0)]),
        ],
      ),
      `CPU ms = user + system time of the process (children: /proc cutime+cstime, 10 ms ticks); on a busy machine wall ≫ CPU`,
    ];
    const targets: Target[] = [
      { section: 'analyze', name: `fanout analyze --json, ${TOOLS / 1000}k tools, whole process`, target: '< 1000 ms', value: Math.round(cliMed), unit: 'ms', met: cliMed < 1000 },
      // CPU time of the same process: the wall figure on an idle machine is about this (one thread).
      { section: 'analyze', name: `fanout analyze --json, ${TOOLS / 1000}k tools, CPU of the process`, target: '< 1000 ms', value: Math.round(median(cliCpu)), unit: 'CPU ms', met: median(cliCpu) < 1000 },
    ];
    return {
      key: 'analyzeSpeed',
      title: `6. Analysis speed: \`fanout analyze --json\` on a ${TOOLS / 1000}k-tool plan, as a whole process`,
      lines,
      targets,
      json: {
        tools: TOOLS, bytes: text.length, rounds: reps, build,
        nodeStartupMs: nodeMs.map((x) => round(x, 1)), analyzeMs: cliMs.map((x) => round(x, 1)),
        medianMs: round(cliMed, 1), aboveStartupMs: round(cliMed - nodeMed, 1), inProcessMs: inProc.map((x) => round(x, 1)),
        inProcessStagesMs: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, v.map((x) => round(x, 1))])),
        inProcessStagesCpuMs: Object.fromEntries(Object.entries(stagesCpu).map(([k, v]) => [k, v.map((x) => round(x, 1))])),
        nodeStartupCpuMs: nodeCpu, analyzeCpuMs: cliCpu, inProcessCpuMs: inProcCpu.map((x) => round(x, 1)),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

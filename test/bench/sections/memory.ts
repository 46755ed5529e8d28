// Section 5: memory for a large plan. A fresh child process (node --expose-gc) parses a generated
// native plan, analyses it (with the engine's makespan prediction) and simulates it on the virtual
// clock, keeping every product alive; the heap after a forced GC is read after each stage.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fx, table, type BenchContext, type SectionResult, type Target } from '../report';
import { round } from '../stats';

interface ChildFigures {
  readonly tools: number;
  readonly textBytes: number;
  readonly heapBefore: number;
  readonly afterParse: number;
  readonly afterAnalyze: number;
  readonly afterSimulate: number;
  readonly rss: number;
  readonly maxRssKB: number;
  readonly parseMs: number;
  readonly analyzeMs: number;
  readonly simulateMs: number;
  readonly status: string;
  readonly makespanMs: number;
  readonly predicted: number;
  readonly gcExposed: boolean;
}

const MB = 1024 * 1024;

export async function memorySection(ctx: BenchContext): Promise<SectionResult> {
  const n = ctx.quick ? 10_000 : 100_000;
  ctx.progress(`memory: ${n}-tool plan in a child process`);
  const child = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', '--import', 'tsx', join(ctx.root, 'test', 'bench', 'memoryChild.ts'), String(n)], {
    cwd: ctx.root, encoding: 'utf8', maxBuffer: 16 * MB,
  });
  if (child.status !== 0) throw new Error(`memory child failed (exit ${child.status}): ${child.stderr.trim() || child.error?.message}`);
  const f = JSON.parse(child.stdout.trim().split('\n').pop() as string) as ChildFigures;
  const stage = (label: string, from: number, to: number, ms: number): string[] => [label, fx((to - from) / MB, 1), fx((to - f.heapBefore) / MB, 1), fx((to - f.heapBefore) / n, 0), fx(ms, 0)];
  const total = f.afterSimulate - f.heapBefore;
  const lines = [
    `${n.toLocaleString('en-US')}-tool generated plan (${fx(f.textBytes / MB, 1)} MB of JSON), fresh process, heap used after ${f.gcExposed ? 'forced GC' : 'no forced GC (gc not exposed)'}, every product kept alive`,
    ...table(
      ['stage', 'added MB', 'total MB', 'bytes/tool', 'ms'],
      [stage('parse', f.heapBefore, f.afterParse, f.parseMs), stage('+ analyze (with prediction)', f.afterParse, f.afterAnalyze, f.analyzeMs), stage('+ simulate (run record)', f.afterAnalyze, f.afterSimulate, f.simulateMs)],
    ),
    `peak RSS ${fx(f.maxRssKB / 1024, 0)} MB; simulate ${f.status}, makespan ${f.makespanMs} ms = analyze's prediction ${f.predicted} ms: ${f.makespanMs === f.predicted ? 'equal' : 'DIFFER'}`,
  ];
  const targets: Target[] = [
    { section: 'memory', name: 'simulate() of the large plan = analyze prediction', target: `${f.predicted}`, value: f.makespanMs, unit: 'ms', met: f.makespanMs === f.predicted },
  ];
  return {
    key: 'memory',
    title: `5. Memory: a ${n / 1000}k-tool plan, parse → analyze → simulate`,
    lines,
    targets,
    json: {
      tools: n, textBytes: f.textBytes, gcExposed: f.gcExposed,
      heapMB: { parse: round((f.afterParse - f.heapBefore) / MB, 2), analyze: round((f.afterAnalyze - f.afterParse) / MB, 2), simulate: round((f.afterSimulate - f.afterAnalyze) / MB, 2), total: round(total / MB, 2) },
      bytesPerTool: Math.round(total / n), peakRssMB: round(f.maxRssKB / 1024, 1),
      ms: { parse: round(f.parseMs, 1), analyze: round(f.analyzeMs, 1), simulate: round(f.simulateMs, 1) },
      simulateEqualsPrediction: f.makespanMs === f.predicted,
    },
  };
}

// Child process of the memory section (run with --expose-gc, so the heap is measured in a fresh
// process and not polluted by the other sections): parse → analyze → simulate a large plan,
// keeping every product alive, and print the heap after each stage as one JSON line.
import { performance } from 'node:perf_hooks';
import { analyze } from '../../src/core/analysis/analyze';
import { predictMakespan, simulate } from '../../src/core/engine/simulate';
import { parsePlan } from '../../src/core/plan/parse';
import { largePlanText } from './planText';

function heap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const n = Number(process.argv[2]);
  if (!Number.isInteger(n) || n < 1) throw new Error('usage: memoryChild.ts N');
  const text = largePlanText(n);
  const h0 = heap();
  let t = performance.now();
  const parsed = parsePlan(text, { fileName: 'generated.toolplan.json' });
  const parseMs = performance.now() - t;
  if (!parsed.plan) throw new Error(`parse failed: ${parsed.diagnostics[0]?.message}`);
  const plan = parsed.plan;
  const h1 = heap();
  t = performance.now();
  const analysis = analyze(plan, parsed.diagnostics, { predictMakespan: (p, g, d) => predictMakespan(p, g, d) });
  const analyzeMs = performance.now() - t;
  if (!analysis.valid) throw new Error('the generated plan is invalid');
  const h2 = heap();
  t = performance.now();
  const record = await simulate(plan);
  const simulateMs = performance.now() - t;
  const h3 = heap();
  const rss = process.memoryUsage().rss;
  // Read from all three products after the last measurement, so none could be collected before it.
  process.stdout.write(JSON.stringify({
    tools: n, textBytes: text.length, planTools: parsed.plan.tools.length, diagnostics: analysis.diagnostics.length, recordTools: record.tools.length,
    heapBefore: h0, afterParse: h1, afterAnalyze: h2, afterSimulate: h3, rss, maxRssKB: process.resourceUsage().maxRSS,
    parseMs, analyzeMs, simulateMs, status: record.status, makespanMs: record.makespanMs, predicted: analysis.estimate.parallelMs,
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
  }) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`memoryChild: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});

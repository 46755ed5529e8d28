// `npm run fuzz [-- --count N] [--seed S] [--hang-ms MS] [--only I,J] [--cli K]`: the fuzz driver
// of the unit test, run longer. Prints `N inputs, C crashes, H hangs, B bad outputs`, then one line
// per distinct finding (replay it with --only); then the same for a sample of K of those inputs
// (default count / 50) through the real CLI process (cli.ts); exit 1 when anything was found.

import { parseArgs } from 'node:util';
import { runFuzz, summaryLine } from './run';
import { cliSample, runCliFuzz } from './cli';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { count: { type: 'string' }, seed: { type: 'string' }, 'hang-ms': { type: 'string' }, only: { type: 'string' }, verbose: { type: 'boolean' }, cli: { type: 'string' } } });
  const only = values.only?.split(',').map(Number);
  const count = only ? Math.max(...only) + 1 : Number(values.count ?? process.env.FUZZ_COUNT ?? 10_000);
  const seed = Number(values.seed ?? process.env.FUZZ_SEED ?? 1);
  const hangMs = Number(values['hang-ms'] ?? 2000);
  if (![count, seed, hangMs].every(Number.isFinite) || count < 1 || hangMs < 1) {
    process.stderr.write('usage: npm run fuzz -- [--count N] [--seed S] [--hang-ms MS] [--only I,J]\n');
    return 2;
  }
  const t0 = performance.now();
  const summary = await runFuzz({
    count, seed, hangMs, only,
    onProgress: (n) => { if (process.stderr.isTTY && n % 500 === 0) process.stderr.write(`\r${n}/${only?.length ?? count}`); },
  });
  if (process.stderr.isTTY) process.stderr.write('\r');
  process.stdout.write(summaryLine(summary) + '\n');
  process.stderr.write(`seed ${seed}, ${((performance.now() - t0) / 1000).toFixed(1)} s; slowest input ${summary.slowest.input} ${summary.slowest.ms.toFixed(0)} ms; ${summary.slow} over ${hangMs / 10} ms\n`);
  for (const f of summary.findings) {
    process.stderr.write(`${f.kind} (input ${f.input}): ${f.signature}\n`);
    if (values.verbose) process.stderr.write(`  ${f.detail.replace(/\n/g, '\n  ')}\n`);
  }
  const cliCount = Number(values.cli ?? Math.round(count / 50));
  let cliFindings = 0;
  if (Number.isFinite(cliCount) && cliCount > 0) {
    const t1 = performance.now();
    const inputs = only ?? cliSample(count, cliCount);
    const cli = await runCliFuzz({ seed, inputs, hangMs: Math.max(hangMs, 20_000) });
    process.stdout.write(`CLI (analyze --json, simulate --json, mermaid as real processes): ${summaryLine(cli)}\n`);
    process.stderr.write(`${((performance.now() - t1) / 1000).toFixed(1)} s; slowest ${cli.slowest.input} ${cli.slowest.ms.toFixed(0)} ms\n`);
    for (const f of cli.findings) {
      process.stderr.write(`CLI ${f.kind} (input ${f.input}): ${f.signature}\n`);
      if (values.verbose) process.stderr.write(`  ${f.detail.replace(/\n/g, '\n  ')}\n`);
    }
    cliFindings = cli.findings.length;
  }
  return summary.findings.length + cliFindings ? 1 : 0;
}

void main().then((code) => { process.exitCode = code; });

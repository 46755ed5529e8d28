// `npm run bench [-- --json] [-- --quick] [-- --only stg,random,...]`: Fanout's performance
// figures, each a ratio or a figure measured in this same run on the same inputs (issue 3 and
// issue 2 "Benchmarks"). Table on stdout by default; --json prints one JSON object (progress
// goes to stderr). Exit code 0 even when a target is missed: the bench reports, it does not gate.
import os from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { tick, type BenchContext, type SectionResult, type Target } from './report';
import { stgSection } from './sections/stg';
import { randomSection } from './sections/random';
import { fidelitySection } from './sections/fidelity';
import { throughputSection } from './sections/throughput';
import { memorySection } from './sections/memory';
import { analyzeSpeedSection } from './sections/analyzeSpeed';
import { importSpeedSection } from './sections/importSpeed';
import { mcpSection } from './sections/mcp';
import { auditSection } from './sections/audit';
import { librarySection } from './sections/library';
import { streamSection } from './sections/stream';
import { graphStallSection } from './sections/graphStall';

const SECTIONS: Readonly<Record<string, (ctx: BenchContext) => Promise<SectionResult>>> = {
  stg: stgSection,
  random: randomSection,
  fidelity: fidelitySection,
  throughput: throughputSection,
  memory: memorySection,
  analyze: analyzeSpeedSection,
  import: importSpeedSection,
  mcp: mcpSection,
  audit: auditSection,
  library: librarySection,
  stream: streamSection,
  graph: graphStallSection,
};

const USAGE = `usage: npm run bench [-- --json] [-- --quick] [-- --only ${Object.keys(SECTIONS).join(',')}]`;

interface Args {
  readonly json: boolean;
  readonly quick: boolean;
  readonly only: readonly string[];
}

function parseArgs(argv: readonly string[]): Args {
  let json = false;
  let quick = false;
  let only = Object.keys(SECTIONS);
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (a === '--json') json = true;
    else if (a === '--quick') quick = true;
    else if (a === '--only' || a.startsWith('--only=')) {
      const v = a === '--only' ? argv[++k] : a.slice('--only='.length);
      if (!v) throw new Error(`--only needs a list of sections\n${USAGE}`);
      only = v.split(',').filter((s) => s !== '');
      const bad = only.filter((s) => !(s in SECTIONS));
      if (bad.length > 0) throw new Error(`unknown section '${bad[0]}' (sections: ${Object.keys(SECTIONS).join(', ')})\n${USAGE}`);
    } else if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE + '\n');
      process.exit(0);
    } else throw new Error(`unknown argument '${a}'\n${USAGE}`);
  }
  return { json, quick, only };
}

function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    cores: os.availableParallelism(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${os.release()} ${process.arch}`,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    gcExposed: typeof globalThis.gc === 'function',
  };
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n`);
    return 2;
  }
  const ctx: BenchContext = {
    quick: args.quick,
    root: resolve(__dirname, '..', '..'),
    progress: (line) => process.stderr.write(`[bench] ${line}\n`),
  };
  const info = machine();
  const started = performance.now();
  const results: SectionResult[] = [];
  const out = (s: string): void => void process.stdout.write(s + '\n');
  if (!args.json) {
    out(`Fanout bench${args.quick ? ' (--quick)' : ''} — ${new Date().toISOString()}`);
    out(`machine: ${info.cores} cores (${info.cpuModel}), node ${info.node}, ${info.platform}, ${info.memoryGB} GB, load ${(info.loadAverage as number[]).join(' ')}${info.gcExposed ? '' : ' (no --expose-gc: no forced GC between throughput rounds; the memory section forces it in its own child)'}`);
  }
  for (const key of args.only) {
    const t0 = performance.now();
    let r: SectionResult;
    try {
      r = await SECTIONS[key](ctx);
    } catch (e) {
      process.stderr.write(`bench: section '${key}' failed: ${(e as Error).message}\n`);
      return 1;
    }
    results.push(r);
    ctx.progress(`${key}: ${Math.round(performance.now() - t0)} ms`);
    if (!args.json) {
      out('');
      out(`== ${r.title}`);
      for (const l of r.lines) out(l);
    }
  }
  const targets: Target[] = results.flatMap((r) => r.targets);
  const totalMs = Math.round(performance.now() - started);
  if (args.json) {
    const obj: Record<string, unknown> = { machine: info, quick: args.quick, totalMs };
    for (const r of results) obj[r.key] = r.json;
    obj.targets = targets;
    out(JSON.stringify(obj, null, 2));
  } else {
    out('');
    out('== Targets');
    const w = Math.max(...targets.map((t) => `${t.section}: ${t.name}`.length));
    for (const t of targets) out(`${`${t.section}: ${t.name}`.padEnd(w)}  ${t.target.padEnd(12)}  ${String(t.value).padStart(10)} ${t.unit.padEnd(10)} ${tick(t.met)}`);
    out('');
    out(`${targets.filter((t) => t.met).length}/${targets.length} targets met; total ${(totalMs / 1000).toFixed(1)} s`);
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);

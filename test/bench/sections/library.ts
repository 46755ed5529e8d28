// Section: the library (issue 14 "Tests and figures"). What runToolCalls costs an agent over the
// code it replaces, every baseline measured in this run on the same handlers:
// 1. ten 5 ms handlers (a timer each, like a fast API call), the whole batch's wall time:
//    runToolCalls ÷ a bare Promise.all over the handlers, without and with recordFile;
//    runToolCalls at maxConcurrency 8 ÷ p-limit(8) (two waves each). With recordFile two times:
//    until runToolCalls resolves (what the agent waits for: the record is written just after the
//    results are handed back) — the ≤ 1.05× target is on this one — and, as a second column,
//    until `batch.recorded` resolves (the file in place). `recorded` is awaited outside the timed
//    region, before the next variant starts, so no record work falls into another variant's time;
// 2. 100k no-op handlers: calls per second through runToolCalls (unbounded and at cap 16), against
//    Promise.all and p-limit(16) over the same no-ops.
// runToolCalls comes from the package bundle, built here as `npm run build:lib` builds it (esbuild
// of src/core/index.ts, CommonJS): what `require('fanout')` runs, not tsx's transform of the sources.
// Rounds are interleaved (each round runs every variant, in a new random order) so drift in the
// machine's load falls on all of them alike and no variant always follows the same one (what a
// variant leaves behind — dirty pages, a thread-pool unlink — then falls on all alike); figures
// are medians over rounds. The record is written on the repository's own disk (a directory
// under the checkout, removed afterwards), the disk an agent in this repo would record to, and on
// /dev/shm for what Fanout costs apart from the disk.
import { existsSync, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import type { runToolCalls as RunToolCalls, ToolCallHandlers } from '../../../src/core/library/runToolCalls';
import type { ToolCall } from '../../../src/core/plan/importers/calls';
import type { RecordOutcome } from '../../../src/core/library/recordWriter';
import { fx, table, type BenchContext, type SectionResult, type Target } from '../report';
import { median, round } from '../stats';

const SMALL = 10;
const HANDLER_MS = 5;
const CAP = 8;
const BULK_CAP = 16;
/** Between two small-batch variants (see rounds): longer than an ext4 unlink of a record takes. */
const PAUSE_MS = 5;

/** The library's bundle, built into `dir` like scripts/build-lib.mjs does (without the .d.ts). */
async function bundledRunToolCalls(root: string, dir: string): Promise<typeof RunToolCalls> {
  const outfile = join(dir, 'fanout-lib.cjs');
  await build({ bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', absWorkingDir: root, entryPoints: ['src/core/index.ts'], mainFields: ['module', 'main'], outfile });
  return (createRequire(__filename)(outfile) as { runToolCalls: typeof RunToolCalls }).runToolCalls;
}

let runToolCalls: typeof RunToolCalls;

type PLimit = (n: number) => <T>(fn: () => Promise<T>) => Promise<T>;

async function loadPLimit(): Promise<PLimit> {
  // p-limit is ESM-only; the bench runs as CommonJS.
  const { default: pLimit } = await import('p-limit');
  return pLimit as unknown as PLimit;
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
}

const sleep5 = (args: { readonly city: string }): Promise<{ city: string; tempC: number }> =>
  new Promise((resolve) => setTimeout(resolve, HANDLER_MS, { city: args.city, tempC: 21 }));

function smallCalls(): ToolCall[] {
  return Array.from({ length: SMALL }, (_, k) => ({ id: `call_${k}`, name: 'get_weather', args: { city: `City ${k}` } }));
}

const noopCalls = (n: number): ToolCall[] => Array.from({ length: n }, (_, k) => ({ id: `c${k}`, name: 'noop', args: {} }));

interface Variant {
  readonly key: string;
  readonly label: string;
  /** The batch; with a record, what says when the file is in place (awaited outside the timed region). */
  readonly run: () => Promise<void | { readonly recorded: Promise<unknown> }>;
}

/**
 * Runs every variant `rounds` times, interleaved in a new random order each round; ms per variant
 * per round until its promise resolved, and, for a variant with a record, in `key + RECORDED`
 * until the record was in place. `pauseMs`: a quiet wait after each variant, not timed.
 */
async function rounds(variants: readonly Variant[], n: number, gcEach: boolean, pauseMs = 0): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = Object.fromEntries(variants.map((v) => [v.key, []]));
  for (let r = 0; r < n; r++) {
    for (const v of shuffled(variants)) {
      if (gcEach) collect();
      const t0 = performance.now();
      const ran = await v.run();
      out[v.key].push(performance.now() - t0);
      if (ran) {
        await ran.recorded;
        (out[v.key + RECORDED] ??= []).push(performance.now() - t0);
      }
      // A quiet pause after every variant, outside the timed region: the old record's hidden name
      // is unlinked in the thread pool after `recorded` (0.8–2.5 ms on ext4), and its completion
      // would otherwise wake the loop inside the next variant's wait.
      if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
    }
  }
  return out;
}

const RECORDED = ':recorded';

function shuffled<T>(xs: readonly T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function check(status: string, what: string): void {
  if (status !== 'succeeded') throw new Error(`library bench: ${what} ended '${status}'`);
}

export async function librarySection(ctx: BenchContext): Promise<SectionResult> {
  const pLimit = await loadPLimit();
  const dir = mkdtempSync(join(tmpdir(), 'fanout-bench-lib-'));
  const diskDir = mkdtempSync(join(ctx.root, '.fanout-bench-lib-'));
  // A RAM file system as well: what the record costs Fanout, apart from what the disk costs.
  const memDir = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/fanout-bench-lib-') : undefined;
  try {
    runToolCalls = await bundledRunToolCalls(ctx.root, dir);
    const calls = smallCalls();
    let turn = 0;
    const handlers: ToolCallHandlers = { get_weather: sleep5 };
    const small: Variant[] = [
      { key: 'promiseAll', label: 'Promise.all over the handlers', run: async () => void (await Promise.all(calls.map((c) => sleep5(c.args as { city: string })))) },
      { key: 'fanout', label: 'runToolCalls', run: async () => check((await runToolCalls(calls, handlers)).status, 'runToolCalls') },
      // The same file every round (a rename over an existing file: the slow case on ext4) and a new
      // file per batch, as an agent recording `turn-N.fanoutrun.json` does.
      recordVariant('fanoutRecord', `runToolCalls + recordFile, repo disk (${fsName(diskDir)}), same file`, calls, handlers, () => join(diskDir, 'bench.fanoutrun.json')),
      recordVariant('fanoutRecordNew', `runToolCalls + recordFile, repo disk (${fsName(diskDir)}), new file`, calls, handlers, () => join(diskDir, `turn-${++turn}.fanoutrun.json`)),
      ...(memDir ? [recordVariant('fanoutRecordMem', `runToolCalls + recordFile on /dev/shm (${fsName(memDir)}), same file`, calls, handlers, () => join(memDir, 'bench.fanoutrun.json'))] : []),
      { key: 'pLimit', label: `p-limit(${CAP})`, run: async () => { const limit = pLimit(CAP); await Promise.all(calls.map((c) => limit(() => sleep5(c.args as { city: string })))); } },
      { key: 'fanoutCap', label: `runToolCalls maxConcurrency ${CAP}`, run: async () => check((await runToolCalls(calls, handlers, { maxConcurrency: CAP })).status, 'runToolCalls at a cap') },
    ];
    const smallRounds = ctx.quick ? 40 : 400;
    ctx.progress(`library: warm-up`);
    await rounds(small, 20, false);
    ctx.progress(`library: ${SMALL} × ${HANDLER_MS} ms handlers, ${smallRounds} interleaved rounds`);
    const s = await rounds(small, smallRounds, false, PAUSE_MS);
    const med = (k: string): number => median(s[k]);
    const vsAll = med('fanout') / med('promiseAll');
    const vsAllRecord = med('fanoutRecord') / med('promiseAll');
    const vsAllRecordNew = med('fanoutRecordNew') / med('promiseAll');
    const vsAllRecordMem = memDir ? med('fanoutRecordMem') / med('promiseAll') : NaN;
    const vsPLimit = med('fanoutCap') / med('pLimit');

    const n = ctx.quick ? 10_000 : 100_000;
    const bulkRounds = ctx.quick ? 1 : 3;
    const big = bulkVariants(noopCalls(n), pLimit);
    await rounds(bulkVariants(noopCalls(2000), pLimit), 3, false); // warm-up (JIT), not measured
    ctx.progress(`library: ${n} no-op calls, ${bulkRounds} round${bulkRounds > 1 ? 's' : ''}`);
    const b = await rounds(big, bulkRounds, true);
    const rate = (k: string): number => n / (median(b[k]) / 1000);

    const lines = [
      `${SMALL} handlers of ${HANDLER_MS} ms (setTimeout), whole-batch wall time, median of ${smallRounds} interleaved rounds`,
      ...table(
        ['runner', 'median ms', 'p10 ms', 'p90 ms', 'ratio', 'until recorded: ms', 'ratio'],
        small.map((v) => {
          const xs = [...s[v.key]].sort((x, y) => x - y);
          const base = v.key === 'fanoutCap' || v.key === 'pLimit' ? med('pLimit') : med('promiseAll');
          const rec = s[v.key + RECORDED];
          return [v.label, fx(med(v.key), 3), fx(xs[Math.floor(xs.length * 0.1)], 3), fx(xs[Math.floor(xs.length * 0.9)], 3), `${fx(med(v.key) / base, 3)}× ${v.key === 'fanoutCap' || v.key === 'pLimit' ? 'p-limit' : 'Promise.all'}`,
            rec ? fx(median(rec), 3) : '', rec ? `${fx(median(rec) / base, 3)}×` : ''];
        }),
      ),
      ...recordingSummary(med, fsName(diskDir), memDir ? fsName(memDir) : undefined),
      `${n.toLocaleString('en-US')} no-op handlers (Promise.resolve(null)), calls per second, median of ${bulkRounds} round${bulkRounds > 1 ? 's' : ''}`,
      ...table(
        ['runner', 'median ms', 'calls/s', 'ratio'],
        big.map((v) => {
          const base = v.key === 'fanoutCap' || v.key === 'pLimit' ? rate('pLimit') : rate('promiseAll');
          return [v.label, fx(median(b[v.key]), 1), Math.round(rate(v.key)).toLocaleString('en-US'), `${fx(rate(v.key) / base, 3)}× ${v.key === 'fanoutCap' || v.key === 'pLimit' ? 'p-limit' : 'Promise.all'}`];
        }),
      ),
      'runToolCalls (the package bundle, as npm run build:lib builds it) plans the batch, schedules, times, records every event and builds the run record; the baselines only call the handlers.',
    ];
    const targets: Target[] = [
      { section: 'library', name: `runToolCalls ÷ Promise.all, ${SMALL}×${HANDLER_MS} ms, recording on (repo disk ${fsName(diskDir)}, same file)`, target: '≤ 1.05', value: round(vsAllRecord, 3), unit: '×', met: vsAllRecord <= 1.05 },
      { section: 'library', name: `runToolCalls ÷ Promise.all, ${SMALL}×${HANDLER_MS} ms, recording on (repo disk ${fsName(diskDir)}, new file)`, target: '≤ 1.05', value: round(vsAllRecordNew, 3), unit: '×', met: vsAllRecordNew <= 1.05 },
      ...(memDir ? [{ section: 'library', name: `runToolCalls ÷ Promise.all, ${SMALL}×${HANDLER_MS} ms, recording on (${fsName(memDir)}, same file)`, target: '≤ 1.05', value: round(vsAllRecordMem, 3), unit: '×', met: vsAllRecordMem <= 1.05 }] : []),
      { section: 'library', name: `runToolCalls ÷ Promise.all, ${SMALL}×${HANDLER_MS} ms, recording off`, target: '≤ 1.05', value: round(vsAll, 3), unit: '×', met: vsAll <= 1.05 },
      { section: 'library', name: `runToolCalls ÷ p-limit(${CAP}), ${SMALL}×${HANDLER_MS} ms`, target: '≤ 1.05', value: round(vsPLimit, 3), unit: '×', met: vsPLimit <= 1.05 },
      { section: 'library', name: `no-op calls per second (${n / 1000}k)`, target: '≥ 100000', value: Math.round(rate('fanout')), unit: 'calls/s', met: rate('fanout') >= 100_000 },
    ];
    return {
      key: 'library',
      title: 'Library: runToolCalls against Promise.all and p-limit',
      lines,
      targets,
      json: {
        small: { calls: SMALL, handlerMs: HANDLER_MS, cap: CAP, rounds: smallRounds, medianMs: Object.fromEntries(small.map((v) => [v.key, round(med(v.key), 4)])),
          untilRecordedMs: Object.fromEntries(small.filter((v) => s[v.key + RECORDED]).map((v) => [v.key, round(median(s[v.key + RECORDED]), 4)])), vsPromiseAll: round(vsAll, 4), vsPromiseAllRecording: round(vsAllRecord, 4), vsPromiseAllRecordingNewFile: round(vsAllRecordNew, 4), recordFs: fsName(diskDir), vsPromiseAllRecordingMem: memDir ? round(vsAllRecordMem, 4) : null, vsPLimit: round(vsPLimit, 4) },
        bulk: { calls: n, cap: BULK_CAP, rounds: bulkRounds, medianMs: Object.fromEntries(big.map((v) => [v.key, round(median(b[v.key]), 2)])), callsPerSec: Object.fromEntries(big.map((v) => [v.key, Math.round(rate(v.key))])) },
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(diskDir, { recursive: true, force: true });
    if (memDir) rmSync(memDir, { recursive: true, force: true });
  }
}

/** The figure, stated apart from the table: the ratio with recording on, against its target. */
function recordingSummary(med: (k: string) => number, diskFs: string, memFs: string | undefined): string[] {
  const all = med('promiseAll');
  const line = (what: string, key: string): string => {
    const r = med(key) / all;
    const rec = med(key + RECORDED);
    return `  ${what}: ${fx(r, 3)}× Promise.all until runToolCalls resolves (target ≤ 1.05×: ${r <= 1.05 ? 'met' : 'MISSED'}); the record adds ${fx((med(key) - med('fanout')) * 1000, 0)} µs over recording off there; the file in place after ${fx(rec, 3)} ms (${fx(rec / all, 3)}×)`;
  };
  return [
    `recording on (recordFile), ${SMALL}×${HANDLER_MS} ms, median ÷ median Promise.all ${fx(all, 3)} ms; recording off ${fx(med('fanout') / all, 3)}×; the target is on the time until runToolCalls resolves (the results; the record is written just after):`,
    line(`repo disk (${diskFs}), same file each batch`, 'fanoutRecord'),
    line(`repo disk (${diskFs}), a new file each batch`, 'fanoutRecordNew'),
    ...(memFs ? [line(`/dev/shm (${memFs}), same file`, 'fanoutRecordMem')] : []),
  ];
}

function recordVariant(key: string, label: string, calls: readonly ToolCall[], handlers: ToolCallHandlers, recordFile: () => string): Variant {
  return {
    key, label,
    run: async () => {
      const b = await runToolCalls(calls, handlers, { recordFile: recordFile() });
      check(b.status, label);
      const recorded = (b.recorded as Promise<RecordOutcome>).then((r) => {
        if (!r.ok) throw new Error(r.error);
      });
      return { recorded };
    },
  };
}

const FS_TYPES: Readonly<Record<number, string>> = { 0x01021994: 'tmpfs', 0xef53: 'ext4', 0x58465342: 'xfs', 0x9123683e: 'btrfs', 0x6969: 'nfs', 0x794c7630: 'overlayfs' };

/** The file system under `dir` (the record's cost is mostly the disk's), or "unknown". */
function fsName(dir: string): string {
  try {
    const t = Number(statfsSync(dir).type);
    return FS_TYPES[t] ?? `fs 0x${t.toString(16)}`;
  } catch {
    return 'unknown fs';
  }
}

const noop = (): Promise<null> => Promise.resolve(null);

function bulkVariants(bulk: readonly ToolCall[], pLimit: PLimit): Variant[] {
  const noopHandlers: ToolCallHandlers = { noop };
  return [
    { key: 'promiseAll', label: 'Promise.all', run: async () => void (await Promise.all(bulk.map(() => noop()))) },
    { key: 'fanout', label: 'runToolCalls (no cap)', run: async () => check((await runToolCalls(bulk, noopHandlers)).status, 'bulk runToolCalls') },
    { key: 'pLimit', label: `p-limit(${BULK_CAP})`, run: async () => { const limit = pLimit(BULK_CAP); await Promise.all(bulk.map(() => limit(noop))); } },
    { key: 'fanoutCap', label: `runToolCalls maxConcurrency ${BULK_CAP}`, run: async () => check((await runToolCalls(bulk, noopHandlers, { maxConcurrency: BULK_CAP })).status, 'bulk runToolCalls at a cap') },
  ];
}

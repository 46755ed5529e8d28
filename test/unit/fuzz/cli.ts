// Fuzz inputs through the real CLI process (issue 12: "600 of them also through the real CLI"):
// what a user sees is the built dist/cli.js — its flag handling, stdin/stdout, exit codes and
// the last-resort "internal error" handler — which checkInput's in-process pipeline does not
// cover. An input fails here as a crash (an internal error, a stack trace on stderr, an exit code
// outside 0/1/2, a death by signal), a hang (killed past the time budget) or a bad output (--json
// stdout that does not parse, an invalid plan without a positioned file:line:column error).

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { loadSeeds } from './corpus';
import { fuzzInput } from './generate';
import type { Finding, FuzzSummary } from './run';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const COMMANDS: readonly (readonly string[])[] = [['analyze', '--json'], ['simulate', '--json'], ['mermaid']];

export interface CliFuzzOptions {
  readonly seed: number;
  /** The fuzz input numbers to run (a sample of the in-process run's inputs). */
  readonly inputs: readonly number[];
  /** A process running longer than this is a hang (it is killed). */
  readonly hangMs: number;
  /** Processes at once. Default 2. */
  readonly parallel?: number;
}

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

function runCli(args: readonly string[], cwd: string, hangMs: number): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (c: string) => { if (stdout.length < 64 * 1024 * 1024) stdout += c; });
    child.stderr.setEncoding('utf8').on('data', (c: string) => { if (stderr.length < 1024 * 1024) stderr += c; });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, hangMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** What is wrong with one CLI answer, or undefined. */
function judge(command: string, json: boolean, r: Run): { kind: Finding['kind']; signature: string; detail: string } | undefined {
  if (r.timedOut) return { kind: 'hang', signature: `${command}: killed after the time budget`, detail: r.stderr.slice(0, 400) };
  if (r.signal) return { kind: 'crash', signature: `${command}: died of ${r.signal}`, detail: r.stderr.slice(0, 400) };
  if (/internal error|^\s+at .+:\d+:\d+\)?$/m.test(r.stderr)) {
    const first = r.stderr.split('\n').find((l) => /internal error|Error/.test(l)) ?? r.stderr.split('\n')[0];
    return { kind: 'crash', signature: `${command}: ${first.replace(/\d+/g, 'N').slice(0, 100)}`, detail: r.stderr.slice(0, 600) };
  }
  if (r.code !== 0 && r.code !== 1 && r.code !== 2) return { kind: 'crash', signature: `${command}: exit code ${r.code}`, detail: r.stderr.slice(0, 400) };
  let positioned = /:\d+:\d+ error /.test(r.stderr) || /:\d+:\d+ error /.test(r.stdout);
  if (json) {
    try {
      const o = JSON.parse(r.stdout) as { diagnostics?: { severity?: string; line?: unknown; column?: unknown }[] };
      if (o === null || typeof o !== 'object') throw new Error('not an object');
      positioned ||= (o.diagnostics ?? []).some((d) => d.severity === 'error' && Number.isInteger(d.line) && Number.isInteger(d.column));
    } catch (e) {
      return { kind: 'bad', signature: `${command} --json: stdout is not one JSON object`, detail: `${(e as Error).message}; stdout starts ${JSON.stringify(r.stdout.slice(0, 200))}` };
    }
  }
  // Invalid input is exit 2 with at least one positioned error (stderr, the report or the JSON).
  if (r.code === 2 && !positioned) {
    return { kind: 'bad', signature: `${command}: exit 2 without a file:line:column error`, detail: r.stderr.slice(0, 400) };
  }
  return undefined;
}

export async function runCliFuzz(options: CliFuzzOptions): Promise<FuzzSummary> {
  const seeds = loadSeeds();
  const dir = mkdtempSync(join(tmpdir(), 'fanout-fuzz-cli-'));
  let crashes = 0, hangs = 0, bad = 0, inputs = 0;
  let slowest = { input: '', ms: 0 };
  const findings = new Map<string, Finding>();
  const queue = [...options.inputs];
  const worker = async (): Promise<void> => {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
      const input = fuzzInput(seeds, options.seed, i);
      // Each input in a folder of its own: a plan's shell tools never run (simulate only), but
      // relative names (function modules, trace paths) must not meet another input's files.
      const sub = join(dir, String(i));
      const name = basename(input.fileName);
      const file = join(sub, name);
      rmSync(sub, { recursive: true, force: true });
      mkdirSync(sub);
      writeFileSync(file, input.text);
      let worst: { kind: Finding['kind']; signature: string; detail: string } | undefined;
      for (const [command, ...flags] of COMMANDS) {
        const t0 = performance.now();
        const r = await runCli([command, name, ...flags], sub, options.hangMs);
        const ms = performance.now() - t0;
        if (ms > slowest.ms) slowest = { input: `${input.name} (${command})`, ms };
        worst ??= judge(command, flags.includes('--json'), r);
      }
      inputs++;
      if (worst) {
        if (worst.kind === 'crash') crashes++;
        else if (worst.kind === 'hang') hangs++;
        else bad++;
        if (!findings.has(worst.kind + worst.signature)) findings.set(worst.kind + worst.signature, { ...worst, input: input.name });
      }
      rmSync(sub, { recursive: true, force: true });
    }
  };
  try {
    await Promise.all(Array.from({ length: options.parallel ?? 2 }, worker));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { inputs, crashes, hangs, bad, slow: 0, slowest, findings: [...findings.values()] };
}

/** Every k-th input number below `count`: the CLI sample of a fuzz run. */
export function cliSample(count: number, size: number): number[] {
  const step = Math.max(1, Math.floor(count / Math.max(1, size)));
  const out: number[] = [];
  for (let i = 0; i < count && out.length < size; i += step) out.push(i);
  return out;
}

// Grading a code exercise: the learner's file and the hidden tests are written to a fresh temporary
// folder with the harness, one child process (node or python3) runs them, and every test's
// outcome becomes one check — passed, failed with the reason, or not run and why (the run was
// stopped at its time limit, printed too much, or exited early). The child is killed, with its
// process group, at the time limit; output beyond a bound is cut, never buffered without end.
// Callers decide WHETHER to run the learner's code (the extension only in a trusted workspace,
// on the Lab's explicit "Run tests"); this module only runs it safely bounded.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GradeCheck, GradeResult } from '../grade';
import type { CodeExercise } from '../types';
import {
  JS_HARNESS, JS_HARNESS_FILE, MAX_OUTPUT_BYTES, JS_MAIN, JS_MAIN_FILE, NONCE_ENV, PY_HARNESS, PY_HARNESS_FILE, PY_MAIN, PY_MAIN_FILE, RESULT_MARKER_PREFIX,
  type HarnessRecord,
} from './harness';
import { cleanEnv, findRuntime, type RuntimeOptions } from './runtimes';

export { MAX_OUTPUT_BYTES };
/** How much of the learner's own output the Lab shows (the start of it). */
export const SHOWN_OUTPUT_CHARS = 8000;

export interface CodeGradeResult extends GradeResult {
  /** What the learner's code printed (stdout and stderr, in arrival order), cut to SHOWN_OUTPUT_CHARS. */
  readonly output: string;
  /** Wall time of the test process, for the Lab's note. */
  readonly durationMs: number;
  /** e.g. "python 3.11.7". */
  readonly runtime: string;
}

/** A grade, or why the tests could not run at all (node or Python missing or too old). */
export type CodeGrade = { readonly kind: 'graded'; readonly result: CodeGradeResult } | { readonly kind: 'unavailable'; readonly message: string };

export interface CodeGradeOptions extends RuntimeOptions {
  /** How many hints the learner has already seen. */
  readonly hintsRevealed?: number;
  /** Overrides the exercise's time limit for the whole run (tests of the grader itself). */
  readonly timeoutMs?: number;
}

const SUBMISSION: Readonly<Record<CodeExercise['language'], string>> = { typescript: 'submission.ts', javascript: 'submission.mjs', python: 'submission.py' };

export async function gradeCodeExercise(exercise: CodeExercise, code: string, testsText: string, options: CodeGradeOptions = {}): Promise<CodeGrade> {
  const found = await findRuntime(exercise.language, options);
  if (!found.ok) return { kind: 'unavailable', message: found.message };
  const { runtime } = found;
  const dir = await fs.mkdtemp(join(tmpdir(), 'fanout-exercise-'));
  try {
    const python = exercise.language === 'python';
    await fs.writeFile(join(dir, SUBMISSION[exercise.language]), code, 'utf8');
    await fs.writeFile(join(dir, python ? 'tests.py' : 'tests.mjs'), testsText, 'utf8');
    if (python) {
      await fs.writeFile(join(dir, PY_HARNESS_FILE), PY_HARNESS, 'utf8');
      await fs.writeFile(join(dir, PY_MAIN_FILE), PY_MAIN, 'utf8');
    } else {
      await fs.writeFile(join(dir, JS_HARNESS_FILE), JS_HARNESS, 'utf8');
      await fs.writeFile(join(dir, JS_MAIN_FILE), JS_MAIN, 'utf8');
    }
    const script = python ? [PY_MAIN_FILE, 'tests.py'] : [JS_MAIN_FILE, 'tests.mjs'];
    const timeoutMs = options.timeoutMs ?? exercise.timeoutMs;
    const run = await runBounded(runtime.command, [...runtime.args, ...script], dir, runtime.env, timeoutMs);
    const checks = toChecks(run, timeoutMs);
    const passed = run.done && checks.length > 0 && checks.every((c) => c.passed);
    const seen = Math.min(Math.max(0, options.hintsRevealed ?? 0), exercise.hints.length);
    const nextHint = passed || seen >= exercise.hints.length ? null : seen;
    const output = run.output.length > SHOWN_OUTPUT_CHARS ? `${run.output.slice(0, SHOWN_OUTPUT_CHARS)}\n… (${run.output.length - SHOWN_OUTPUT_CHARS} more characters not shown)` : run.output;
    return { kind: 'graded', result: { passed, checks, nextHint, diagnostics: [], output, durationMs: run.durationMs, runtime: runtime.label } };
  } finally {
    await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

interface BoundedRun {
  readonly records: readonly HarnessRecord[];
  readonly output: string;
  readonly done: boolean;
  readonly stopped?: 'timeout' | 'output';
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly spawnError?: string;
  readonly durationMs: number;
}

function runBounded(command: string, args: readonly string[], cwd: string, extraEnv: Readonly<Record<string, string>>, timeoutMs: number): Promise<BoundedRun> {
  const nonce = randomBytes(12).toString('hex');
  const marker = `${RESULT_MARKER_PREFIX}:${nonce} `;
  const started = Date.now();
  return new Promise((resolve) => {
    const records: HarnessRecord[] = [];
    let output = '';
    let bytes = 0;
    let pending = '';
    let stopped: BoundedRun['stopped'];
    let spawnError: string | undefined;
    const posix = process.platform !== 'win32';
    const child = spawn(command, [...args], {
      cwd, env: { ...cleanEnv(), ...extraEnv, [NONCE_ENV]: nonce }, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true,
      // Its own process group, so the kill reaches what the learner's code started too.
      detached: posix,
    });
    const kill = (why: 'timeout' | 'output'): void => {
      if (stopped) return;
      stopped = why;
      try {
        if (posix && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => kill('timeout'), timeoutMs);
    const count = (chunk: string): boolean => {
      bytes += Buffer.byteLength(chunk);
      if (bytes > 2 * MAX_OUTPUT_BYTES) kill('output');
      return !stopped || stopped !== 'output';
    };
    const line = (l: string): void => {
      const at = l.indexOf(marker);
      if (at >= 0) {
        if (at > 0) output += l.slice(0, at);
        try {
          const record = JSON.parse(l.slice(at + marker.length)) as HarnessRecord;
          records.push(record);
          if (record.e === 'flood') kill('output');
        } catch {
          output += `${l}\n`;
        }
      } else if (output.length <= SHOWN_OUTPUT_CHARS * 2) output += `${l}\n`;
    };
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      if (!count(d)) return;
      pending += d;
      let nl = pending.indexOf('\n');
      while (nl >= 0) {
        line(pending.slice(0, nl).replace(/\r$/, ''));
        pending = pending.slice(nl + 1);
        nl = pending.indexOf('\n');
      }
    });
    child.stderr.on('data', (d: string) => {
      if (count(d) && output.length <= SHOWN_OUTPUT_CHARS * 2) output += d;
    });
    child.on('error', (err) => {
      spawnError = err.message;
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      if (pending) line(pending);
      resolve({ records, output, done: records.some((r) => r.e === 'done') && !stopped, ...(stopped ? { stopped } : {}), exitCode, signal, ...(spawnError ? { spawnError } : {}), durationMs: Date.now() - started });
    });
  });
}

/** One check per test: its result, else why it has none. */
function toChecks(run: BoundedRun, timeoutMs: number): GradeCheck[] {
  if (run.spawnError) return [{ kind: 'test', label: 'The tests ran', passed: false, message: `The tests could not be started: ${run.spawnError}` }];
  const load = run.records.find((r) => r.e === 'load');
  if (load && load.e === 'load') {
    return [{ kind: 'test', label: 'Your code loads', passed: false, message: `The tests could not load your code: ${load.message}`, ...(load.line !== undefined ? { line: load.line, column: load.column ?? 1 } : {}) }];
  }
  const plan = run.records.find((r) => r.e === 'plan');
  const names = plan && plan.e === 'plan' ? plan.names : [];
  const results = new Map<string, Extract<HarnessRecord, { e: 'result' }>>();
  for (const r of run.records) if (r.e === 'result') results.set(r.name, r);
  const starts = run.records.filter((r): r is Extract<HarnessRecord, { e: 'start' }> => r.e === 'start');
  const running = starts.length > 0 && !results.has(starts[starts.length - 1].name) ? starts[starts.length - 1].name : undefined;
  const why = run.stopped === 'timeout' ? `the run was stopped after ${timeoutMs / 1000} s`
    : run.stopped === 'output' ? `the run was stopped: it printed more than ${MAX_OUTPUT_BYTES / 1024 / 1024} MB`
      : `the process ended early (${run.signal ? `signal ${run.signal}` : `exit code ${run.exitCode}`}: process.exit, sys.exit or a crash?)`;
  const checks: GradeCheck[] = names.map((name): GradeCheck => {
    const r = results.get(name);
    if (r) return { kind: 'test', label: name, passed: r.passed, message: r.message, ...(r.line !== undefined ? { line: r.line, column: r.column ?? 1 } : {}) };
    if (name === running) {
      return { kind: 'test', label: name, passed: false, message: run.stopped === 'timeout' ? `Still running when ${why}: an endless loop, or a blocking call that never returns?` : `Was running when ${why}.` };
    }
    return { kind: 'test', label: name, passed: false, message: `Not run: ${why} before this test.` };
  });
  if (names.length === 0) {
    const tail = run.output.trim().split('\n').slice(-6).join('\n');
    checks.push({ kind: 'test', label: 'The tests ran', passed: false, message: `No test reported: ${why}.${tail ? ` Last output:\n${tail}` : ''}` });
  }
  return checks;
}

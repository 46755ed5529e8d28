// The `shell` runner: one command line through /bin/sh -c, in its own process group so that
// cancelling a tool also ends everything it started (`sleep 100 & wait`, pipelines, subshells).
//
// Output passed to dependents (`${id.output}`): stdout with one trailing newline removed; when
// that text is a JSON object or array it is parsed, so `${ls.output.files}` reaches into it.
// Exit code, timing and stderr go to the run log.
//
// Two rules keep plan values from becoming commands or leaking secrets (README "Shell commands
// and tool outputs", "Shell environment"): references in `command` arrive as FANOUT_REF_n
// variables (shellReferences.ts, applied by the engine when it resolves the arguments), and the
// command inherits only an allow-list of the host's environment (shellEnv.ts).
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { stat } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import type { JsonValue } from '../plan/types';
import type { RunnerContext, ToolRunner } from '../engine/types';
import {
  CappedBuffer, DEFAULT_OUTPUT_CAP_BYTES, abortError, formatBytes, optionalString, optionalStringMap,
  parseJsonContainer, requireString, tail,
} from './common';
import { onAbort as listenAbort } from '../engine/abortFanout';
import { TRUNCATION_MARK } from '../engine/valueSize';
import { endGroup, trackGroup, untrackGroup } from './processGroups';
import { envPatternProblem, inheritedEnv } from './shellEnv';
import { SHELL_REF_PREFIX } from './shellReferences';

export interface ShellRunnerOptions {
  /** Base directory for commands and for relative `args.cwd`. Default: process.cwd() at run time. */
  readonly cwd?: string;
  /** Cap on captured stdout and on captured stderr, each. Default 1 MiB. */
  readonly maxOutputBytes?: number;
  /** Time between SIGTERM and SIGKILL when a process group is ended. Default 500 ms. */
  readonly killGraceMs?: number;
  /**
   * Host variables passed on besides the default allow-list (shellEnv.ts DEFAULT_SHELL_ENV):
   * names, prefixes (`AWS_*`) or `*` for all. CLI `--inherit-env`.
   */
  readonly inheritEnv?: readonly string[];
  /** The environment inherited variables are read from. Default: process.env at run time. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
}

export function createShellRunner(options: ShellRunnerOptions = {}): ToolRunner {
  const cap = options.maxOutputBytes ?? DEFAULT_OUTPUT_CAP_BYTES;
  const graceMs = options.killGraceMs ?? 500;

  return {
    async run(ctx: RunnerContext): Promise<JsonValue> {
      if (ctx.signal.aborted) throw abortError(ctx.signal);
      if (process.platform === 'win32') {
        throw new Error('shell tool: shell commands run with /bin/sh and need Linux or macOS (on Windows, use WSL).');
      }
      const command = requireString('shell', ctx.args, 'command', '{ command: "ls -la" }');
      const cwdArg = optionalString('shell', ctx.args, 'cwd');
      const envArg = optionalStringMap('shell', ctx.args, 'env');
      const inheritArg = inheritList(ctx.args.inheritEnv);
      if (command.includes('\0')) throw new Error('shell tool: args.command contains a NUL character, which no command line can carry.');
      for (const [name, value] of envArg ?? []) {
        if (name === '' || /[=\0]/.test(name)) {
          throw new Error(`shell tool: args.env has an invalid variable name ${JSON.stringify(name)}: names cannot be empty or contain "=" or NUL.`);
        }
        if (value?.includes('\0')) throw new Error(`shell tool: args.env.${name} contains a NUL character, which environment values cannot carry.`);
      }

      const base = options.cwd ?? process.cwd();
      const cwd = cwdArg === undefined ? base : resolvePath(base, cwdArg);
      const dir = await stat(cwd).catch(() => null);
      if (!dir?.isDirectory()) {
        const what = cwdArg === undefined ? 'The base directory' : `args.cwd ${JSON.stringify(cwdArg)}`;
        throw new Error(`shell tool: ${what} is not an existing directory (resolved to ${cwd}).`);
      }
      if (ctx.signal.aborted) throw abortError(ctx.signal);

      const env: NodeJS.ProcessEnv = inheritedEnv(options.environment ?? process.env, [...(options.inheritEnv ?? []), ...inheritArg]);
      for (const [name, value] of envArg ?? []) {
        if (value === null) delete env[name];
        else env[name] = value;
      }
      return runCommand(ctx, command, cwd, env, cap, graceMs);
    },
  };
}

export const shellRunner: ToolRunner = createShellRunner();

function inheritList(value: JsonValue | undefined): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new Error('shell tool: args.inheritEnv must be a list of variable names, e.g. ["AWS_PROFILE", "AWS_*"] (* alone passes everything).');
  }
  for (const p of value as string[]) {
    const problem = envPatternProblem(p);
    if (problem) throw new Error(`shell tool: args.inheritEnv: ${problem}.`);
  }
  return value as string[];
}

function runCommand(
  ctx: RunnerContext, command: string, cwd: string, env: NodeJS.ProcessEnv, cap: number, graceMs: number,
): Promise<JsonValue> {
  return new Promise<JsonValue>((resolve, reject) => {
    const startedAt = performance.now(); // wall time: this is real I/O whatever clock the run uses
    const stdout = new CappedBuffer(cap);
    const stderr = new CappedBuffer(cap);
    let aborted = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    let settled = false;

    // stdin is closed so a command that reads it sees end-of-file instead of hanging the run.
    let child: ChildProcessByStdio<null, Readable, Readable>;
    try {
      child = spawn('/bin/sh', ['-c', command], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      return reject(spawnError(error as NodeJS.ErrnoException, command, env));
    }
    const pgid = child.pid;
    if (pgid !== undefined) trackGroup(pgid);
    // Past the cap the command is stopped, as `cmd | head -c CAP` would stop it: a command that
    // prints forever (`yes`, or `yes >&2` on stderr) or far more than a tool output can hold ends
    // there, and its output is the kept part of stdout with a marked truncation. Both streams
    // have the cap: stderr only goes to the run log, but unbounded it would hold the run forever.
    /** The first stream that passed the cap. */
    let overflowed: 'stdout' | 'stderr' | null = null;
    /** The cap was passed while the command still ran, so its exit status is ours, not its own. */
    let stoppedByCap = false;
    const capStream = (name: 'stdout' | 'stderr', buffer: CappedBuffer, stream: Readable) => (chunk: Buffer): void => {
      if (buffer.push(chunk)) return;
      if (overflowed === null) {
        overflowed = name;
        // The group is signalled before the pipe closes: closed first, the command would see a
        // broken pipe and go on to its next step (`yes; echo never`) before the signal lands.
        if (exit === null) {
          stoppedByCap = true;
          if (pgid !== undefined) endGroup(pgid, graceMs);
        }
      }
      stream.destroy();
    };
    child.stdout.on('data', capStream('stdout', stdout, child.stdout));
    child.stderr.on('data', capStream('stderr', stderr, child.stderr));

    const stopListening = listenAbort(ctx.signal, () => {
      aborted = true;
      if (pgid !== undefined) endGroup(pgid, graceMs);
    });

    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      stopListening();
      if (pgid !== undefined) untrackGroup(pgid);
      fn();
    };

    child.on('error', (error) => {
      // Spawn failures (no /bin/sh, EAGAIN, …): there is no process to wait for.
      settle(() => reject(spawnError(error, command, env)));
    });

    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // The tool owns its process group: anything it left in the background ends with it, so no
      // tool outlives its run and a background child holding stdout cannot hang the tool.
      if (pgid !== undefined && !aborted) endGroup(pgid, graceMs);
      // Output pipes close when the last holder dies; a process that escaped the group (setsid)
      // could hold them forever, so stop waiting for them after the grace period.
      const drain = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, graceMs + 100);
      drain.unref();
      child.once('close', () => clearTimeout(drain));
    });

    child.on('close', () => {
      const ms = Math.round(performance.now() - startedAt);
      const result = exit ?? { code: child.exitCode, signal: child.signalCode };
      const errText = stderr.text();
      const outText = stdout.text();
      ctx.log?.(`shell: ${result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`} after ${ms} ms; ` +
        `stdout ${formatBytes(stdout.totalBytes)}, stderr ${formatBytes(stderr.totalBytes)}`);
      if (stdout.truncated) ctx.log?.(`shell: stdout truncated to the first ${formatBytes(cap)} (of ${formatBytes(stdout.totalBytes)})`);
      if (stderr.truncated) ctx.log?.(`shell: stderr truncated to the first ${formatBytes(cap)} (of ${formatBytes(stderr.totalBytes)})`);
      if (errText.trim() !== '') ctx.log?.(`shell: stderr:\n${tail(errText, 20, 4000)}`);

      if (aborted) return settle(() => reject(abortError(ctx.signal)));
      if (overflowed === 'stdout' && (stoppedByCap || result.code === 0)) {
        const how = stoppedByCap ? 'the command was stopped there' : 'the rest was not kept';
        ctx.log?.(`shell: stdout passed the ${formatBytes(cap)} a shell tool keeps; ${how}`);
        return settle(() => resolve(`${outText}\n${TRUNCATION_MARK} stdout passed the ${formatBytes(cap)} a shell tool keeps; ${how}]`));
      }
      if (overflowed === 'stderr' && stoppedByCap) {
        // Its exit status is the signal that stopped it, so it is not a failure of its own; what
        // it printed on stdout until then is the output, marked as cut short.
        ctx.log?.(`shell: stderr passed the ${formatBytes(cap)} a shell tool keeps; the command was stopped there`);
        const mark = `${TRUNCATION_MARK} stderr passed the ${formatBytes(cap)} a shell tool keeps; the command was stopped there, so stdout may be incomplete]`;
        return settle(() => resolve(outText === '' ? mark : `${outText}\n${mark}`));
      }
      if (result.code !== 0) {
        const how = result.signal ? `was killed by signal ${result.signal}` : `exited with code ${result.code}`;
        const detail = errText.trim() !== '' ? tail(errText) : outText.trim() !== '' ? `(no stderr; stdout ends with) ${tail(outText, 3, 300)}` : '(no output)';
        return settle(() => reject(new Error(`Command ${how}: ${detail}`)));
      }
      const text = outText.endsWith('\r\n') ? outText.slice(0, -2) : outText.endsWith('\n') ? outText.slice(0, -1) : outText;
      const parsed = stdout.truncated ? undefined : parseJsonContainer(text);
      settle(() => resolve(parsed ?? text));
    });
  });
}

/**
 * Linux refuses a command line or environment over its limits (E2BIG: one string over 128 KiB,
 * all of them over ARG_MAX). The usual cause is a large output referenced in the command, which
 * travels as one FANOUT_REF_n variable: say which one and what to do.
 */
function spawnError(error: NodeJS.ErrnoException, command: string, env: NodeJS.ProcessEnv): Error {
  if (error.code !== 'E2BIG') return new Error(`shell tool: could not start /bin/sh: ${error.message}`);
  let biggest = { name: 'the command', size: Buffer.byteLength(command) };
  for (const [name, value] of Object.entries(env)) {
    const size = Buffer.byteLength(name) + 1 + Buffer.byteLength(value ?? '');
    if (size > biggest.size) biggest = { name, size };
  }
  const what = biggest.name === 'the command' ? 'args.command' : biggest.name.startsWith(SHELL_REF_PREFIX)
    ? `${biggest.name} (a referenced output)` : `the environment variable ${biggest.name}`;
  return new Error(`shell tool: the command line and environment are too big for the system to start a command (E2BIG): ` +
    `${what} is ${formatBytes(biggest.size)}, and Linux takes at most 128 KiB in one argument or variable. ` +
    'Reference a smaller part of the output (${id.output.field}), or have the producing tool write it to a file and pass the path.');
}

import { readFileSync } from 'node:fs';
import { isatty } from 'node:tty';
import { signalExitCode, STOP_SIGNALS, type CliCommand, type CliIO, type StopSignal } from './io';
import { killAllGroups } from '../core/tools/processGroups';
import { COMMANDS } from './commands';
import { decodeText } from './readText';

const USAGE = `fanout — analyze and run parallel tool plans

Usage:
  fanout analyze FILE|- [--json] [--mcp-config FILE]
  fanout mermaid FILE|-
  fanout simulate FILE|- [--json] [--max-concurrency N] [--cores N] [--trace OUT.json] [--otlp OUT.json]
                         [--mcp-config FILE] [--stream-policy dispatch-on-close|wait-for-end] [--token-rate N]
  fanout run FILE|- [--json] [--max-concurrency N] [--trace OUT.json] [--otlp OUT.json] [--mcp-config FILE] [--inherit-env NAMES]
                    [--stream-policy dispatch-on-close|wait-for-end] [--token-rate N]
                    [--approve all|read-only|prompt] [--needs-approval KINDS]
  fanout lessons [--json] [--run-code] [--root DIR]
  fanout audit TRACE|- [--json] [--max-concurrency N]
  fanout show RUN|- [--json]

\`fanout COMMAND --help\` explains one command.

Exit codes: 0 ok, 1 run had failed/skipped/cancelled/denied tools (also when SIGINT/SIGTERM/SIGHUP
stopped it: its record and trace are still written), 2 invalid or unreadable input.`;

/**
 * Commands that cancel cleanly on SIGINT/SIGTERM/SIGHUP (via io.interrupted) and still report;
 * the others exit at once with 128 + the signal number, as a shell reports a killed command.
 */
const INTERRUPTIBLE = new Set(['run']);

// `fanout simulate big.json --json | head -1`: the reader leaving early is normal, not a crash
// with a stack trace. Nobody reads the rest, so stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw err;
  });
}

async function main(): Promise<number> {
  const [name, ...rest] = process.argv.slice(2);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version') {
    process.stdout.write(readVersion() + '\n');
    return 0;
  }
  const command: CliCommand | undefined = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`fanout: unknown command '${name}'.\n\n${USAGE}\n`);
    return 2;
  }
  let onSignal: (signal: StopSignal) => void = () => undefined;
  const interrupted = new Promise<StopSignal>((resolve) => {
    let stopping = false;
    onSignal = (signal) => {
      // Only `run` has work to wind down; anything else (e.g. waiting on a terminal's stdin) stops
      // now, and so does a run given a second signal while it winds down. process.exit runs the
      // exit hook that SIGKILLs every process group still alive (processGroups.ts).
      if (!INTERRUPTIBLE.has(name) || stopping) {
        killAllGroups();
        process.exit(signalExitCode(signal));
      }
      stopping = true;
      resolve(signal);
    };
  });
  // Node's default for these signals is to die at once, without the exit hook: shell tools and
  // MCP servers (each in its own process group) would be left running.
  for (const signal of STOP_SIGNALS) process.on(signal, () => onSignal(signal));
  const io: CliIO = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readStdin: () => readAll(process.stdin),
    isTTY: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    cwd: process.cwd(),
    ...(process.stdout.isTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
    ...(process.stderr.isTTY ? { progress: (line: string) => process.stderr.write(`\r\u001b[2K${line}`) } : {}),
    // isatty(0), not process.stdin.isTTY: the stdin stream (and Node's stream modules) is built
    // only if a command reads stdin; that cost more start-up time than a small audit.
    ...(isatty(0) && process.stderr.isTTY ? { ask: askOnTerminal } : {}),
    interrupted,
  };
  return command(rest, io);
}

/**
 * One question on the terminal (the prompt on stderr, so stdout stays the command's output). The
 * interface is closed after each answer so the process can exit; Ctrl-C while asking is the
 * run's SIGINT (readline would otherwise swallow it).
 */
async function askOnTerminal(question: string, signal?: AbortSignal): Promise<string> {
  const { createInterface } = await import('node:readline');
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error('the question was withdrawn'));
      return;
    }
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const onAbort = (): void => {
      rl.close();
      process.stderr.write('\n');
      reject(signal?.reason instanceof Error ? signal.reason : new Error('the question was withdrawn'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    rl.on('SIGINT', () => {
      // The run is cancelled first, so the waiting calls end cancelled, not denied.
      process.stderr.write('\n');
      process.emit('SIGINT');
      rl.close();
    });
    rl.on('close', () => reject(new Error('the terminal closed before an answer')));
    rl.question(question, (answer) => {
      signal?.removeEventListener('abort', onAbort);
      resolve(answer);
      rl.close();
    });
  });
}

function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(decodeText(Buffer.concat(chunks))));
    stream.on('error', reject);
  });
}

function readVersion(): string {
  try {
    return (JSON.parse(readFileSync(`${__dirname}/../package.json`, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`fanout: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);

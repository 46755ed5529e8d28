// The stdio transport for MCP servers, in place of the SDK's StdioClientTransport because a server
// must run in its own process group: closing the client then ends the server and everything it
// started (npx wrappers, language servers it spawns), on run end, cancel and SIGINT alike.
// Messages are newline-delimited JSON-RPC, read and written with the SDK's own helpers.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { CappedBuffer, tail } from '../common';
import { endGroup, trackGroup, untrackGroup } from '../processGroups';

export interface StdioServer {
  readonly command: string;
  readonly args?: readonly string[];
  /** Added to the SDK's default environment (HOME, PATH, …: secrets in the host's environment are not passed on). */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Time between SIGTERM and SIGKILL when the group is ended. Default 1000 ms. */
  readonly killGraceMs?: number;
}

/** Why the server went away, for the calls that were waiting on it. */
export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last lines the server wrote to stderr. */
  readonly stderr: string;
  /** We ended it (close()), rather than it dying. */
  readonly closedByUs: boolean;
}

export class GroupStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  /** Set when the process has exited. */
  exit: ExitInfo | undefined;
  private child: ChildProcessByStdio<Writable, Readable, Readable> | undefined;
  private readonly buffer = new ReadBuffer();
  private readonly stderr = new CappedBuffer(64 * 1024);
  private closing = false;

  constructor(private readonly server: StdioServer) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): Promise<void> {
    if (this.child) throw new Error('GroupStdioTransport already started');
    return new Promise<void>((resolve, reject) => {
      let child: ChildProcessByStdio<Writable, Readable, Readable>;
      try {
        child = spawn(this.server.command, [...(this.server.args ?? [])], {
          env: { ...getDefaultEnvironment(), ...this.server.env },
          cwd: this.server.cwd,
          detached: true,
          stdio: ['pipe', 'pipe', 'pipe'],
          windowsHide: true,
        });
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      this.child = child;
      const pgid = child.pid;
      if (pgid !== undefined) trackGroup(pgid);
      child.on('error', (error) => {
        // Spawn failures (ENOENT, EACCES): there is no process, and none will exit.
        if (child.pid === undefined) {
          this.child = undefined;
          if (pgid !== undefined) untrackGroup(pgid);
        }
        reject(error);
        this.onerror?.(error);
      });
      child.on('spawn', () => resolve());
      child.on('exit', (code, signal) => {
        if (pgid !== undefined) {
          // Whatever the server left behind goes with it.
          endGroup(pgid, this.server.killGraceMs ?? 1000);
          untrackGroup(pgid);
        }
        this.exit = { code, signal, stderr: tail(this.stderr.text(), 8, 800), closedByUs: this.closing };
        this.child = undefined;
        this.onclose?.();
      });
      child.stdin.on('error', (error) => this.onerror?.(error));
      child.stdout.on('data', (chunk: Buffer) => {
        this.buffer.append(chunk);
        this.drain();
      });
      child.stdout.on('error', (error) => this.onerror?.(error));
      child.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    });
  }

  private drain(): void {
    for (;;) {
      let message: JSONRPCMessage | null;
      try {
        message = this.buffer.readMessage();
      } catch (e) {
        // A line that is not JSON-RPC (a server printing logs to stdout): report it and go on.
        this.onerror?.(e instanceof Error ? e : new Error(String(e)));
        continue;
      }
      if (message === null) return;
      this.onmessage?.(message);
    }
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.child?.stdin;
      if (!stdin || stdin.destroyed) {
        reject(new Error('the server process is not running'));
        return;
      }
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', resolve);
    });
  }

  /** Ends the server: stdin closed, then SIGTERM and (after the grace period) SIGKILL to its group. */
  close(): Promise<void> {
    const child = this.child;
    this.buffer.clear();
    if (!child) return Promise.resolve();
    this.closing = true;
    const grace = this.server.killGraceMs ?? 1000;
    return new Promise<void>((resolve) => {
      // SIGKILL follows after the grace period; past that (and a margin) stop waiting regardless.
      const timer = setTimeout(resolve, grace + 1000);
      timer.unref();
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.stdin.end();
      if (child.pid !== undefined) endGroup(child.pid, grace);
      else child.kill('SIGKILL');
    });
  }
}

/** "was killed by SIGKILL" / "exited with code 1". */
export function describeExit(exit: ExitInfo): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

/** " (its stderr ends with: …)", or nothing. */
export function stderrNote(exit: ExitInfo): string {
  const t = exit.stderr.trim();
  return t ? ` (its stderr ends with: ${t})` : '';
}

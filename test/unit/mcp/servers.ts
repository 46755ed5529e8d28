// Real MCP servers from npm (devDependencies), started the npx-free way: node + the package's
// entry. Used by the MCP tests and the bench section.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { McpServerConfig } from '../../../src/core/plan/types';

const root = join(__dirname, '../../..');
export const EVERYTHING = join(root, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
export const FILESYSTEM = join(root, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js');
export const MEMORY = join(root, 'node_modules/@modelcontextprotocol/server-memory/dist/index.js');

export const everythingStdio: McpServerConfig = { command: process.execPath, args: [EVERYTHING, 'stdio'] };
export const filesystemStdio = (dir: string): McpServerConfig => ({ command: process.execPath, args: [FILESYSTEM, dir] });
export const memoryStdio = (file: string): McpServerConfig => ({ command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: file } });

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** server-everything over Streamable HTTP on 127.0.0.1 (a fresh port); stop() ends it. */
export async function startEverythingHttp(): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [EVERYTHING, 'streamableHttp'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server-everything did not start: ${err}`)), 15000);
    child.stderr?.on('data', (c: Buffer) => {
      err += c.toString();
      if (err.includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`server-everything exited (${code}): ${err}`)));
  });
  const stop = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
  return { url: `http://127.0.0.1:${port}/mcp`, child, stop };
}

/** Pids of live processes whose command line contains `needle` (from /proc). */
export function processesMatching(needle: string): number[] {
  const { readdirSync, readFileSync } = require('node:fs') as typeof import('node:fs');
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (cmd.includes(needle) && !/\) Z /.test(stat)) out.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

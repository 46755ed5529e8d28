// Finding the programs that run a code exercise: node (TypeScript and JavaScript) and python3.
// A missing or too old program is not an error of the learner's code: it is a clear message
// saying what to install, returned instead of a grade. Only successful probes are cached, so
// installing Python and pressing "Run tests" again works without a reload.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeExerciseLanguage } from '../types';

/** How to start the tests of one language: the program, arguments before the script, extra environment. */
export interface Runtime {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** e.g. "node 22.12.0 (type stripping)", for the Lab's note. */
  readonly label: string;
}

export type RuntimeLookup = { readonly ok: true; readonly runtime: Runtime } | { readonly ok: false; readonly message: string };

export interface RuntimeOptions {
  /** The node program to use (default: `node` on PATH, else this process when it is Electron's). */
  readonly node?: string;
  /** The Python program to use (default: python3, then python; on Windows python, then py). */
  readonly python?: string;
  /** Folders whose node_modules may hold tsx: runs TypeScript on a Node without type stripping. */
  readonly tsxSearch?: readonly string[];
}

/** Python 3.11 brought asyncio.TaskGroup and asyncio.timeout, which the Python exercises use. */
export const MIN_PYTHON: readonly [number, number] = [3, 11];
/** Node 22.6 runs .ts files itself (type stripping, https://nodejs.org/api/typescript.html). */
const NODE_STRIP_TYPES: readonly [number, number] = [22, 6];

const probed = new Map<string, string>();

export async function findRuntime(language: CodeExerciseLanguage, options: RuntimeOptions = {}): Promise<RuntimeLookup> {
  return language === 'python' ? findPython(options) : findNode(language, options);
}

async function findNode(language: 'typescript' | 'javascript', options: RuntimeOptions): Promise<RuntimeLookup> {
  const candidates: { command: string; env: Record<string, string> }[] = [{ command: options.node ?? 'node', env: {} }];
  // Inside VS Code's desktop extension host this process is Electron, which runs as Node on request.
  if (!options.node && process.versions.electron) candidates.push({ command: process.execPath, env: { ELECTRON_RUN_AS_NODE: '1' } });
  let found: { command: string; env: Record<string, string>; version: string } | undefined;
  for (const c of candidates) {
    const version = await probe(c.command, ['-p', 'process.versions.node'], c.env);
    if (version && /^\d+\.\d+/.test(version)) {
      found = { ...c, version };
      break;
    }
  }
  if (!found) {
    return { ok: false, message: `Node.js is needed to run this exercise's tests, and no \`node\` program was found on PATH. Install Node.js 20 or later (https://nodejs.org), make sure \`node --version\` works in a terminal, then press Run tests again.` };
  }
  const v = found.version.split('.').map(Number);
  if (!atLeast(v, [20, 0])) return { ok: false, message: `This exercise needs Node.js 20 or later; \`${found.command}\` is ${found.version}. Install a newer Node.js (https://nodejs.org), then press Run tests again.` };
  if (language === 'javascript') return { ok: true, runtime: { command: found.command, args: [], env: found.env, label: `node ${found.version}` } };
  if (atLeast(v, NODE_STRIP_TYPES)) {
    return { ok: true, runtime: { command: found.command, args: ['--experimental-strip-types', '--disable-warning=ExperimentalWarning'], env: found.env, label: `node ${found.version} (type stripping)` } };
  }
  for (const dir of options.tsxSearch ?? []) {
    const loader = join(dir, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs');
    if (existsSync(loader)) return { ok: true, runtime: { command: found.command, args: ['--import', pathToFileURL(loader).href], env: found.env, label: `node ${found.version} with tsx` } };
  }
  return { ok: false, message: `This exercise is TypeScript, which Node.js runs by itself from version 22.6 (type stripping); \`${found.command}\` is ${found.version}. Install Node.js 22 or later (https://nodejs.org) and make it the \`node\` on PATH, then press Run tests again.` };
}

async function findPython(options: RuntimeOptions): Promise<RuntimeLookup> {
  const candidates = options.python ? [options.python] : process.platform === 'win32' ? ['python', 'py'] : ['python3', 'python'];
  let older: { command: string; version: string } | undefined;
  for (const command of candidates) {
    const version = await probe(command, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], {});
    if (!version || !/^\d+\.\d+/.test(version)) continue;
    if (atLeast(version.split('.').map(Number), MIN_PYTHON)) {
      return { ok: true, runtime: { command, args: ['-B', '-s', '-X', 'utf8'], env: { PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8', PYTHONUNBUFFERED: '1' }, label: `python ${version}` } };
    }
    older ??= { command, version };
  }
  const need = `${MIN_PYTHON[0]}.${MIN_PYTHON[1]}`;
  if (older) return { ok: false, message: `This exercise needs Python ${need} or later (asyncio.TaskGroup and asyncio.timeout); \`${older.command}\` is ${older.version}. Install a newer Python (https://www.python.org/downloads/), then press Run tests again.` };
  return { ok: false, message: `Python ${need} or later is needed to run this exercise's tests, and no ${candidates.map((c) => `\`${c}\``).join(' or ')} program was found on PATH. Install Python (https://www.python.org/downloads/), make sure \`${candidates[0]} --version\` works in a terminal, then press Run tests again.` };
}

function atLeast(v: readonly number[], min: readonly [number, number]): boolean {
  return (v[0] ?? 0) > min[0] || ((v[0] ?? 0) === min[0] && (v[1] ?? 0) >= min[1]);
}

/** Runs `command args` and returns its trimmed stdout, or undefined when it cannot be started or fails. */
function probe(command: string, args: readonly string[], env: Record<string, string>): Promise<string | undefined> {
  const key = `${command}\u0000${args.join('\u0000')}\u0000${JSON.stringify(env)}`;
  const cached = probed.get(key);
  if (cached !== undefined) return Promise.resolve(cached);
  return new Promise((resolve) => {
    let out = '';
    let child;
    try {
      child = spawn(command, [...args], { env: { ...cleanEnv(), ...env }, stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true });
    } catch {
      resolve(undefined);
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      if (out.length < 1000) out += d;
    });
    child.on('error', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const v = out.trim();
      if (code === 0 && v) {
        probed.set(key, v);
        resolve(v);
      } else resolve(undefined);
    });
  });
}

/**
 * The environment for the programs Fanout starts: this process's, without what would change how
 * node runs (NODE_OPTIONS from a debugger, Electron's run-as-node flag) or leak the test nonce.
 */
export function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k === 'NODE_OPTIONS' || k === 'ELECTRON_RUN_AS_NODE' || k.startsWith('FANOUT_TEST_') || k.startsWith('VSCODE_')) continue;
    env[k] = v;
  }
  return env;
}

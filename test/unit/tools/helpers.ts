import { readFileSync } from 'node:fs';
import type { JsonObject, ToolKind, ToolSpec } from '../../../src/core/plan/types';
import type { Clock, RunnerContext } from '../../../src/core/engine/types';
import { START_RANGE } from '../../../src/core/plan/positions';
import { createRealClock } from '../../../src/core/engine/clock';

export const realClock: Clock = createRealClock();

export interface TestContext extends RunnerContext {
  readonly lines: string[];
}

export function makeContext(kind: ToolKind, args: JsonObject, signal: AbortSignal = new AbortController().signal): TestContext {
  const tool: ToolSpec = { id: `t_${kind.replace('.', '_')}`, kind, label: kind, args, dependsOn: [], writes: [], index: 0, ranges: { tool: START_RANGE } };
  const lines: string[] = [];
  return { tool, args, attempt: 1, signal, clock: realClock, log: (line) => lines.push(line), lines };
}

/** Awaits a promise that must reject, and returns its error. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** True when no process has this pid, or it is a zombie (dead, waiting for a parent that may never reap it). */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** Polls until `check` holds or `ms` pass; returns whether it held. */
export async function eventually(check: () => boolean, ms = 3000, every = 20): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, every));
  }
  return check();
}

// The runners available in plain Node (CLI, tests, benchmarks, and the extension host, which
// adds the vscode.* kinds on top of these).
import type { Runners } from '../engine/types';
import { createCpuRunner } from './cpu';
import { createHttpRunner } from './http';
import { createShellRunner } from './shell';
import { simulateRunner } from './simulate';

export interface NodeRunnerOptions {
  /** Base directory for shell commands and their relative `cwd`. Default: process.cwd() at run time. */
  readonly cwd?: string;
  /** Worker threads for cpu tools. Default: os.availableParallelism(). */
  readonly cpuPoolSize?: number;
}

export interface NodeRunners {
  readonly runners: Runners;
  /** Ends the cpu worker threads so the process can exit. */
  dispose(): Promise<void>;
}

export function createNodeRunners(options: NodeRunnerOptions = {}): NodeRunners {
  const cpu = createCpuRunner(options.cpuPoolSize !== undefined ? { poolSize: options.cpuPoolSize } : {});
  const runners: Runners = {
    simulate: simulateRunner,
    cpu,
    shell: createShellRunner(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    http: createHttpRunner(),
  };
  return { runners, dispose: () => cpu.dispose() };
}

// The runners available in plain Node (CLI, tests, benchmarks, and the extension host, which
// adds the vscode.* kinds on top of these).
import type { Runners, ToolRunner } from '../engine/types';
import { createCpuRunner } from './cpu';
import { createFunctionRunner } from './function';
import { createHttpRunner } from './http';
import { createShellRunner } from './shell';
import { simulateRunner } from './simulate';

export interface NodeRunnerOptions {
  /** Base directory for shell commands, their relative `cwd` and function modules. Default: process.cwd() at run time. */
  readonly cwd?: string;
  /** Worker threads for cpu tools. Default: os.availableParallelism(). */
  readonly cpuPoolSize?: number;
  /**
   * The run's `mcp` runner and the close of its servers (tools/mcp/runner.ts createMcpRunner). Given
   * by the caller, so hosts that never call MCP servers do not load the SDK (the extension loads
   * it lazily, from its own bundle).
   */
  readonly mcp?: { readonly runner: ToolRunner; close(): Promise<void> };
  /** Host variables shell tools inherit besides the default allow-list (tools/shellEnv.ts). */
  readonly inheritEnv?: readonly string[];
  /** Load function modules afresh for this run (long-lived hosts). */
  readonly freshModules?: boolean;
}

export interface NodeRunners {
  readonly runners: Runners;
  /** Ends the cpu worker threads and the MCP servers, so the process can exit and no server outlives the run. */
  dispose(): Promise<void>;
}

export function createNodeRunners(options: NodeRunnerOptions = {}): NodeRunners {
  const cpu = createCpuRunner(options.cpuPoolSize !== undefined ? { poolSize: options.cpuPoolSize } : {});
  const runners: Runners = {
    simulate: simulateRunner,
    cpu,
    shell: createShellRunner({ ...(options.cwd !== undefined ? { cwd: options.cwd } : {}), ...(options.inheritEnv ? { inheritEnv: options.inheritEnv } : {}) }),
    http: createHttpRunner(),
    function: createFunctionRunner({ ...(options.cwd !== undefined ? { baseDir: options.cwd } : {}), ...(options.freshModules ? { fresh: true } : {}) }),
    ...(options.mcp ? { mcp: options.mcp.runner } : {}),
  };
  return { runners, dispose: async () => {
    await Promise.all([cpu.dispose(), options.mcp?.close()]);
  } };
}

// The MCP side of the extension host, bundled on its own (dist/mcpHost.js) and loaded with a
// dynamic require only when a run calls MCP servers: the SDK and Ajv stay out of dist/extension.js
// (see src/extension/runners/mcp.ts). Everything here is core code; no 'vscode'.
import type { RunRecord, ToolRunner } from '../core/engine/types';
import type { Diagnostic, McpServerConfig, Plan } from '../core/plan/types';
import type { ExpandContext } from '../core/tools/mcp/config';
import { bindAndCheck } from '../core/tools/mcp/check';
import { createMcpRunner } from '../core/tools/mcp/runner';
import { McpSession, withEarlyConnections } from '../core/tools/mcp/session';

export interface McpHost {
  readonly runner: ToolRunner;
  /** Lists the servers the plan can use, binds imported calls by name and checks every mcp call. */
  bind(plan: Plan): Promise<{ plan: Plan; diagnostics: readonly Diagnostic[]; bound: number }>;
  /** The record with the connections opened before the run (to list the servers) at negative times. */
  withEarlyConnections(record: RunRecord, runStartWall: number): RunRecord;
  /** Ends every server of the run. */
  close(): Promise<void>;
}

export function createMcpHost(servers: Readonly<Record<string, McpServerConfig>>, options: { readonly cwd: string; readonly expand: ExpandContext }): McpHost {
  const session = new McpSession(servers, { expand: options.expand, cwd: options.cwd });
  return {
    runner: createMcpRunner(session),
    async bind(plan) {
      const wanted = new Set<string>();
      for (const t of plan.tools) if (t.kind === 'mcp' && typeof t.args.server === 'string' && session.has(t.args.server)) wanted.add(t.args.server);
      // Imported calls may bind to any configured server: list them all.
      if (plan.format !== 'native') for (const s of session.serverNames()) wanted.add(s);
      const listings = await session.listTools([...wanted]);
      const r = bindAndCheck(plan, session.serverNames(), listings);
      return { plan: r.plan, diagnostics: r.diagnostics, bound: r.bound.size };
    },
    withEarlyConnections: (record, runStartWall) => withEarlyConnections(record, session, runStartWall),
    close: () => session.close(),
  };
}

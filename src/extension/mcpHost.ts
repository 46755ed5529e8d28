// The MCP side of the extension host, bundled on its own (dist/mcpHost.js) and loaded with a
// dynamic require only when a run calls MCP servers: the SDK and Ajv stay out of dist/extension.js
// (see src/extension/runners/mcp.ts). Everything here is core code; no 'vscode'.
import type { RunRecord, ToolRunner } from '../core/engine/types';
import type { Diagnostic, McpServerConfig, Plan } from '../core/plan/types';
import type { ExpandContext } from '../core/tools/mcp/config';
import { bindAndCheck } from '../core/tools/mcp/check';
import { createMcpRunner } from '../core/tools/mcp/runner';
import { McpSession, withEarlyConnections, type McpToolInfo } from '../core/tools/mcp/session';
import { McpListingCache } from './runners/mcpListings';

export interface McpHost {
  readonly runner: ToolRunner;
  /** Lists the servers the plan can use, binds imported calls by name and checks every mcp call. */
  bind(plan: Plan): Promise<{ plan: Plan; diagnostics: readonly Diagnostic[]; bound: number }>;
  /** The record with the connections opened before the run (to list the servers) at negative times. */
  withEarlyConnections(record: RunRecord, runStartWall: number): RunRecord;
  /** Ends every server of the run. */
  close(): Promise<void>;
}

/**
 * Analysis-time checks in a trusted workspace: each server the plan's mcp calls name is listed
 * (started and ended at once, or served from the caller's cache: a server is started, listed and
 * ended once per config while its listing is fresh), then every call is checked. Only the
 * diagnostics are returned; nothing in the plan runs.
 */
export async function checkPlanCalls(plan: Plan, servers: Readonly<Record<string, McpServerConfig>>, options: { readonly cwd: string; readonly expand: ExpandContext; readonly listings: McpListingCache }): Promise<readonly Diagnostic[]> {
  const names = Object.keys(servers);
  const used = [...new Set(plan.tools.filter((t) => t.kind === 'mcp' && typeof t.args.server === 'string' && names.includes(t.args.server)).map((t) => t.args.server as string))];
  const listings = new Map<string, ReadonlyMap<string, McpToolInfo> | Error>();
  const missing: string[] = [];
  const cache = options.listings;
  const key = (n: string): string => McpListingCache.key(options.cwd, servers[n]);
  for (const n of used) {
    const hit = cache.get(key(n));
    if (hit) listings.set(n, hit);
    else missing.push(n);
  }
  if (missing.length > 0) {
    const session = new McpSession(servers, { expand: options.expand, cwd: options.cwd });
    try {
      const fresh = await session.listTools(missing);
      for (const [n, tools] of fresh) {
        listings.set(n, tools);
        cache.set(key(n), tools);
      }
    } finally {
      await session.close();
    }
  }
  return bindAndCheck(plan, names, listings).diagnostics;
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

// MCP servers in VS Code: the plan's `mcpServers` plus the workspace's `.vscode/mcp.json` servers,
// behind workspace trust. The SDK lives in its own bundle (dist/mcpHost.js), required on first
// use, so the extension's main bundle stays small and activation does not pay for it.
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import type { Diagnostic, JsonValue, McpServerConfig, Plan } from '../../core/plan/types';
import { readConfigFile } from '../../core/tools/mcp/config';
import type { McpHost } from '../mcpHost';
import { lazyBundle } from '../lazyBundle';
import type { McpListingCache } from './mcpListings';

const loadHost = lazyBundle<typeof import('../mcpHost')>('mcpHost.js');

export interface WorkspaceMcpServers {
  readonly servers: Readonly<Record<string, McpServerConfig>>;
  /** `inputs` of the mcp.json: what `${input:id}` asks for. */
  readonly inputs: readonly { readonly id: string; readonly description?: string; readonly password?: boolean }[];
  readonly folder?: string;
  readonly errors: readonly string[];
}

/** The first workspace folder's `.vscode/mcp.json`, when there is one. */
export async function readWorkspaceMcpServers(): Promise<WorkspaceMcpServers> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return { servers: {}, inputs: [], errors: [] };
  const uri = vscode.Uri.joinPath(folder.uri, '.vscode', 'mcp.json');
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return { servers: {}, inputs: [], folder: folder.uri.fsPath, errors: [] };
  }
  const errors: ParseError[] = [];
  const root = parseJsonc(text, errors, { allowTrailingComma: true }) as JsonValue;
  if (errors.length > 0) return { servers: {}, inputs: [], folder: folder.uri.fsPath, errors: ['.vscode/mcp.json is not valid JSON.'] };
  const read = readConfigFile(root, '.vscode/mcp.json');
  const rawInputs = (root as { inputs?: unknown } | null)?.inputs;
  const inputs = Array.isArray(rawInputs)
    ? rawInputs.filter((i): i is { id: string; description?: string; password?: boolean } => typeof (i as { id?: unknown })?.id === 'string')
    : [];
  return { servers: read.servers, inputs, folder: folder.uri.fsPath, errors: read.errors };
}

/** Does this plan need MCP servers (its own mcp calls, or imported calls the workspace's servers may offer)? */
export function wantsMcp(plan: Plan, workspace: WorkspaceMcpServers): boolean {
  if (plan.tools.some((t) => t.kind === 'mcp')) return true;
  return plan.format !== 'native' && Object.keys(workspace.servers).length > 0;
}

/** The plan's servers plus the workspace's (the plan wins on a shared name: it was written for this plan). */
export function mergeServers(plan: Plan, workspace: WorkspaceMcpServers): Record<string, McpServerConfig> {
  const out: Record<string, McpServerConfig> = Object.create(null) as Record<string, McpServerConfig>;
  for (const [k, v] of Object.entries(workspace.servers)) out[k] = v;
  for (const [k, v] of Object.entries(plan.mcpServers ?? {})) out[k] = v;
  return out;
}

/** Asks for each `${input:id}` the servers use, as VS Code does; undefined when the user cancels. */
async function promptInputs(servers: Readonly<Record<string, McpServerConfig>>, workspace: WorkspaceMcpServers): Promise<Record<string, McpServerConfig> | undefined> {
  const ids = new Set<string>();
  const text = JSON.stringify(servers);
  for (const m of text.matchAll(/\$\{input:([^}]+)\}/g)) ids.add(m[1]);
  const values = new Map<string, string>();
  for (const id of ids) {
    const def = workspace.inputs.find((i) => i.id === id);
    const value = await vscode.window.showInputBox({ title: `MCP server input: ${id}`, prompt: def?.description ?? id, password: def?.password ?? false, ignoreFocusOut: true });
    if (value === undefined) return undefined;
    values.set(id, value);
  }
  if (values.size === 0) return { ...servers };
  const replaced = text.replace(/\$\{input:([^}]+)\}/g, (whole, id: string) => JSON.stringify(values.get(id) ?? whole).slice(1, -1));
  return JSON.parse(replaced) as Record<string, McpServerConfig>;
}

/** unknown-tool / invalid-arguments for the plan's mcp calls, from the servers' listings (fresh ones from `listings`). */
export async function checkPlanCalls(plan: Plan, workspace: WorkspaceMcpServers, cwd: string, listings: McpListingCache): Promise<readonly Diagnostic[]> {
  // Servers that need ${input:…} values are not started just to analyse: a run asks for them.
  const servers = Object.fromEntries(Object.entries(mergeServers(plan, workspace)).filter(([, c]) => !JSON.stringify(c).includes('${input:')));
  return loadHost().checkPlanCalls(plan, servers, { cwd, listings, expand: { env: process.env, ...(workspace.folder ? { workspaceFolder: workspace.folder } : {}), userHome: homedir() } });
}

/**
 * Starts the run's MCP host (trusted workspace only: the caller checks), lists the servers, binds
 * imported calls and checks the mcp calls. `error` when a call cannot run (unknown tool, invalid
 * arguments): the run is refused with that message.
 */
export async function startMcpHost(plan: Plan, workspace: WorkspaceMcpServers, cwd: string):
  Promise<{ host: McpHost; plan: Plan; bound: number } | { error: string } | undefined> {
  const merged = await promptInputs(mergeServers(plan, workspace), workspace);
  if (!merged) return undefined;
  const { createMcpHost } = loadHost();
  const host = createMcpHost(merged, { cwd, expand: { env: process.env, ...(workspace.folder ? { workspaceFolder: workspace.folder } : {}), userHome: homedir() } });
  const r = await host.bind({ ...plan, mcpServers: merged });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    await host.close();
    return { error: errors.slice(0, 3).map((d) => `line ${d.line}: ${d.message}`).join(' ') };
  }
  return { host, plan: r.plan, bound: r.bound };
}

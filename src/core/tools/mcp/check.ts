// Analysis with the servers' tools known (CLI --mcp-config, a trusted workspace in VS Code):
// imported calls bind by name to the server tool of that name, and every mcp call is checked —
// the server exists, offers the tool (`unknown-tool`, with "did you mean"), and the input fits the
// tool's inputSchema (`invalid-arguments`, naming the JSON path). Pure: the listings are given.
import { makeDiagnostic } from '../../plan/diagnostics';
import { hasReferences } from '../../engine/resolve';
import { applySerialWrites } from '../../plan/safety';
import { closest } from '../../plan/suggest';
import type { Diagnostic, JsonObject, JsonValue, Plan, SourceRange, ToolAnnotations, ToolSpec } from '../../plan/types';
import type { McpToolInfo } from './session';
import { checkInput } from './validate';

/** Per server: its tools, or why they could not be listed. */
export type Listings = ReadonlyMap<string, ReadonlyMap<string, McpToolInfo> | Error>;

/** Simulation-only args importers add; they are not part of the call's input. */
const SIMULATION_ARGS = new Set(['durationMs', 'result', 'failTimes', 'error']);

export interface BindResult {
  readonly plan: Plan;
  readonly diagnostics: readonly Diagnostic[];
  /** Imported calls now bound, by tool id → `server.tool`. */
  readonly bound: ReadonlyMap<string, string>;
}

/**
 * Binds and checks. `servers` is every configured server name (plan + config), in the order a
 * tie is broken when two servers offer one name; `listings` holds those whose tools are known.
 */
export function bindAndCheck(plan: Plan, servers: readonly string[], listings: Listings): BindResult {
  const diagnostics: Diagnostic[] = [];
  const bound = new Map<string, string>();
  const offering = new Map<string, string[]>();
  for (const s of servers) {
    const l = listings.get(s);
    if (!l || l instanceof Error) continue;
    for (const name of l.keys()) {
      const list = offering.get(name);
      if (list) list.push(s);
      else offering.set(name, [s]);
    }
  }
  const tools = plan.tools.map((t): ToolSpec => {
    if (plan.format === 'native' || t.kind !== 'simulate') return t;
    const target = bindTarget(t.label, servers, listings, offering);
    if (!target) return t;
    if (target.others.length > 0) {
      diagnostics.push(makeDiagnostic({
        code: 'ambiguous-tool', range: t.ranges.tool, tools: [t.id],
        message: `Call '${t.id}' (${t.label}) is a tool of ${[target.server, ...target.others].map((s) => `'${s}'`).join(' and ')}: it runs on '${target.server}', the first configured. Name it '${target.others[0]}.${t.label}' to pick another server.`,
      }));
    }
    bound.set(t.id, `${target.server}.${target.tool}`);
    return { ...t, kind: 'mcp', args: { server: target.server, tool: target.tool, input: inputOf(t.args) } };
  });
  const withBindings: Plan = bound.size > 0 ? { ...plan, tools } : plan;

  const checked = withBindings.tools.map((t): ToolSpec => {
    if (t.kind !== 'mcp') return t;
    const server = t.args.server;
    const toolName = t.args.tool;
    if (typeof server !== 'string' || typeof toolName !== 'string') return t; // the schema says so
    const at = argRange(t);
    if (!servers.includes(server)) {
      const near = closest(server, servers);
      diagnostics.push(makeDiagnostic({
        code: 'unknown-tool', range: at, tools: [t.id],
        message: `Tool '${t.id}' calls MCP server '${server}', which is not configured${near ? ` — did you mean '${near}'?` : '.'} ${servers.length ? `Servers: ${servers.join(', ')}.` : 'Add it to mcpServers, or pass --mcp-config.'}`,
      }));
      return t;
    }
    const listing = listings.get(server);
    if (!listing) return t;
    if (listing instanceof Error) {
      diagnostics.push(makeDiagnostic({
        code: 'unknown-tool', range: at, tools: [t.id],
        message: `Tool '${t.id}': the tools of MCP server '${server}' could not be listed: ${listing.message}`,
      }));
      return t;
    }
    const info = listing.get(toolName);
    if (!info) {
      const near = closest(toolName, [...listing.keys()]);
      diagnostics.push(makeDiagnostic({
        code: 'unknown-tool', range: at, tools: [t.id],
        message: `MCP server '${server}' has no tool '${toolName}'${near ? ` — did you mean '${near}'?` : '.'} It offers ${[...listing.keys()].slice(0, 12).join(', ') || 'no tools'}${listing.size > 12 ? ', …' : ''}.`,
      }));
      return t;
    }
    const input = t.args.input === undefined ? {} : t.args.input;
    // Inputs that wait for another tool's output are checked when the call starts.
    if (!hasReferences(input)) {
      const check = checkInput(info.inputSchema, input);
      if (!check.ok) {
        diagnostics.push(makeDiagnostic({
          code: 'invalid-arguments', range: t.ranges.args ?? at, tools: [t.id],
          message: `Tool '${t.id}': ${check.message} for '${toolName}' on MCP server '${server}'.`,
        }));
      }
    }
    const annotations = mergeAnnotations(info.annotations, t.annotations);
    return annotations ? { ...t, annotations } : t;
  });
  return { plan: applySerialWrites({ ...withBindings, tools: checked }), diagnostics, bound };
}

/** The plan's own statements win over the server's: they are the author's knowledge. */
function mergeAnnotations(server: ToolAnnotations | undefined, own: ToolAnnotations | undefined): ToolAnnotations | undefined {
  if (!server) return own;
  return own ? { ...server, ...own } : server;
}

function bindTarget(label: string, servers: readonly string[], listings: Listings, offering: ReadonlyMap<string, string[]>):
  { server: string; tool: string; others: string[] } | undefined {
  // `server.tool` picks the server (and names with dots that are a server's own tool still bind).
  const dot = label.indexOf('.');
  if (dot > 0) {
    const server = label.slice(0, dot);
    const tool = label.slice(dot + 1);
    const l = servers.includes(server) ? listings.get(server) : undefined;
    if (l && !(l instanceof Error) && l.has(tool)) return { server, tool, others: [] };
  }
  const list = offering.get(label);
  if (!list || list.length === 0) return undefined;
  return { server: list[0], tool: label, others: list.slice(1) };
}

function inputOf(args: JsonObject): JsonObject {
  // fromEntries defines own properties, so a key named __proto__ stays data.
  return Object.fromEntries(Object.entries(args).filter(([k]) => !SIMULATION_ARGS.has(k))) as { [k: string]: JsonValue };
}

function argRange(t: ToolSpec): SourceRange {
  return t.ranges.args ?? t.ranges.id ?? t.ranges.tool;
}

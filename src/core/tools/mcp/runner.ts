// The `mcp` tool kind (DESIGN §7): `args: { server, tool, input }` → one tools/call on the run's
// shared client for that server. The input is checked against the tool's inputSchema first;
// progress notifications and the connection the call waited for are reported as run events.
import type { JsonObject, JsonValue } from '../../plan/types';
import type { RunnerContext, RunnerNote, ToolRunner } from '../../engine/types';
import { closest } from '../../plan/suggest';
import { abortError, describeType, parseJsonContainer, requireString } from '../common';
import { errorTextOf, outputOf, type McpSession } from './session';
import { checkInput } from './validate';

export function createMcpRunner(session: McpSession): ToolRunner {
  return {
    reports: true,
    async run(ctx: RunnerContext): Promise<JsonValue> {
      if (ctx.signal.aborted) throw abortError(ctx.signal);
      const server = requireString('mcp', ctx.args, 'server', '{ server: "filesystem", tool: "read_file", input: { path: "a.txt" } }');
      const tool = requireString('mcp', ctx.args, 'tool', '{ server: "filesystem", tool: "read_file", input: { path: "a.txt" } }');
      const inputArg = ctx.args.input;
      if (inputArg !== undefined && (inputArg === null || typeof inputArg !== 'object' || Array.isArray(inputArg))) {
        throw new Error(`mcp tool: args.input must be an object of the tool's arguments (got ${describeType(inputArg)}).`);
      }
      const input: JsonObject = (inputArg as JsonObject | undefined) ?? {};
      if (!session.has(server)) {
        const near = closest(server, session.serverNames());
        const known = session.serverNames();
        throw new Error(`unknown-tool: there is no MCP server named '${server}'${near ? ` — did you mean '${near}'?` : '.'} ${known.length ? `Servers: ${known.join(', ')}.` : 'Give servers in mcpServers or with --mcp-config.'}`);
      }
      const conn = session.openConnection(server) ?? (await connectReporting(session, server, ctx)).conn;
      if (ctx.signal.aborted) throw abortError(ctx.signal);
      const info = conn.tools.get(tool);
      if (!info) {
        const near = closest(tool, [...conn.tools.keys()]);
        throw new Error(`unknown-tool: MCP server '${server}' has no tool '${tool}'${near ? ` — did you mean '${near}'?` : '.'} It offers ${[...conn.tools.keys()].slice(0, 12).join(', ') || 'no tools'}.`);
      }
      const check = checkInput(info.inputSchema, input);
      if (!check.ok) throw new Error(`invalid-arguments: ${check.message} (tool '${tool}' on MCP server '${server}').`);
      const report = ctx.report;
      const result = await session.callTool(conn, tool, input, report ? { signal: ctx.signal, onprogress: progressTo(report) } : { signal: ctx.signal });
      if (result.isError) throw new Error(errorTextOf(result));
      return outputOf(result, parseJsonContainer);
    },
  };
}

/** The SDK's progress callback, as `progress` notes on the call's row. */
function progressTo(report: (note: RunnerNote) => void): (p: { progress: number; total?: number; message?: string }) => void {
  return (p) => report({
    kind: 'progress', progress: p.progress, ...(p.total !== undefined ? { total: p.total } : {}), ...(p.message !== undefined ? { message: p.message } : {}),
  });
}

/** Connects; the call that opened the connection records the connect phase on its row. */
async function connectReporting(session: McpSession, server: string, ctx: RunnerContext): ReturnType<McpSession['connect']> {
  const first = !session.isOpening(server);
  const t0 = ctx.clock.now();
  try {
    const r = await session.connect(server);
    if (r.opened) ctx.report?.({ kind: 'connected', server, transport: r.conn.transport, ms: r.conn.connectMs });
    return r;
  } catch (e) {
    if (first) ctx.report?.({ kind: 'connected', server, transport: 'url' in (session.config(server) ?? {}) ? 'http' : 'stdio', ms: ctx.clock.now() - t0, error: e instanceof Error ? e.message : String(e) });
    throw e;
  }
}

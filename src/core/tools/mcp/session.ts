// One MCP client per server per run, shared by every call to that server (the SDK multiplexes
// concurrent requests over one connection by JSON-RPC id). A server is connected when the first
// call to it starts (or when its tools are listed for analysis), and every server is ended by
// close(): stdio servers with their whole process group (README "MCP servers").
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ConnectionRecord, RunRecord } from '../../engine/types';
import { performance } from 'node:perf_hooks';
import { resolve as resolvePath } from 'node:path';
import type { JsonObject, JsonValue, McpServerConfig, ToolAnnotations } from '../../plan/types';
import { describeServer, expandServerConfig, transportOf, type ExpandContext } from './config';
import { GroupStdioTransport, describeExit, stderrNote } from './stdioTransport';
import { onAbort as onSignalAbort } from '../../engine/abortFanout';

/** What analysis and the runner need to know about one of a server's tools. */
export interface McpToolInfo {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema?: object;
  readonly annotations?: ToolAnnotations;
}

export interface McpConnection {
  readonly server: string;
  readonly transport: 'stdio' | 'http';
  readonly client: Client;
  readonly tools: ReadonlyMap<string, McpToolInfo>;
  /** Time from spawn/first request to the end of tools/list. */
  readonly connectMs: number;
  /** Set when the server went away without us closing it: why (and a detail such as its stderr). */
  readonly lost: () => { readonly why: string; readonly detail: string } | undefined;
}

export interface McpSessionOptions {
  /** Variables for `${env:…}` and friends. */
  readonly expand: ExpandContext;
  /** Base directory of a stdio server's relative `cwd` (and its default cwd): the plan's folder. */
  readonly cwd: string;
  /** Grace between SIGTERM and SIGKILL for stdio servers. */
  readonly killGraceMs?: number;
}

/** The SDK's per-request timeout, set to the longest a timer allows: the engine owns timeouts. */
const NO_SDK_TIMEOUT = 2_147_483_647;

/** The `_meta` key that tags a tools/call so its HTTP request can be aborted on its own. */
export const CALL_META_KEY = 'dev.fanout/call';

interface Slot {
  readonly promise: Promise<McpConnection>;
  conn?: McpConnection;
  transport?: Transport;
}

/** A connection attempt, in performance.now() milliseconds. */
export interface ConnectionLog {
  readonly server: string;
  readonly transport: 'stdio' | 'http';
  readonly startedAt: number;
  readonly endedAt: number;
  readonly error: string | null;
}

export class McpSession {
  /** Every connection attempt so far, in order. */
  readonly connections: ConnectionLog[] = [];
  private readonly slots = new Map<string, Slot>();
  private readonly httpCalls = new Map<string, AbortController>();
  private closed = false;
  private callSeq = 0;

  constructor(private readonly servers: Readonly<Record<string, McpServerConfig>>, private readonly options: McpSessionOptions) {}

  serverNames(): string[] {
    return Object.keys(this.servers);
  }

  has(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.servers, name);
  }

  config(name: string): McpServerConfig | undefined {
    return this.has(name) ? this.servers[name] : undefined;
  }

  /** How each server is started or reached, for confirmations. */
  describe(name: string): string {
    const c = this.config(name);
    return c ? describeServer(c) : name;
  }

  /** The process id of a connected stdio server (its process group id too). */
  pidOf(name: string): number | undefined {
    const t = this.slots.get(name)?.transport;
    return t instanceof GroupStdioTransport ? t.pid : undefined;
  }

  /** The server's connection when it is already open (no await: the per-call fast path). */
  openConnection(name: string): McpConnection | undefined {
    return this.slots.get(name)?.conn;
  }

  /** True when this server's connection has been asked for already. */
  isOpening(name: string): boolean {
    return this.slots.has(name);
  }

  /**
   * The server's connection, opened on first use. `opened` is true for exactly one caller per
   * server: the one whose call waited for the connection (it records the connect phase).
   */
  async connect(name: string): Promise<{ conn: McpConnection; opened: boolean }> {
    if (this.closed) throw new Error(`MCP server '${name}': the run is over, its servers were closed.`);
    const existing = this.slots.get(name);
    if (existing) return { conn: await existing.promise, opened: false };
    const slot: { promise?: Promise<McpConnection>; conn?: McpConnection; transport?: Transport } = {};
    slot.promise = this.open(name, slot);
    this.slots.set(name, slot as Slot);
    return { conn: await slot.promise, opened: true };
  }

  private async open(name: string, slot: { conn?: McpConnection; transport?: Transport }): Promise<McpConnection> {
    const raw = this.config(name);
    if (!raw) throw new Error(`no MCP server named '${name}'.`);
    const expanded = expandServerConfig(name, raw, this.options.expand);
    if (!expanded.ok) throw new Error(expanded.error);
    const config = expanded.config;
    const t0 = performance.now();
    const client = new Client({ name: 'fanout', version: '0.1.0' }, { capabilities: {} });
    let transport: Transport;
    let stdio: GroupStdioTransport | undefined;
    let httpLost: string | undefined;
    if ('url' in config) {
      // A server that dies mid-call leaves the call's response stream broken, not closed, and
      // the SDK would wait for its answer forever: the broken stream marks the connection lost
      // and ends the call (README "MCP servers").
      const onLost = (cause: string): void => {
        if (!this.closed && httpLost === undefined) httpLost = `the connection to MCP server '${name}' (${describeServer(config)}) was lost (${cause})`;
      };
      transport = new StreamableHTTPClientTransport(new URL(config.url), {
        requestInit: { headers: { ...config.headers } },
        fetch: (url, init) => this.fetchForCall(url, init, onLost),
        // A dropped stream is not retried: a call on a server that went away fails instead of waiting.
        reconnectionOptions: { maxRetries: 0, initialReconnectionDelay: 1000, maxReconnectionDelay: 1000, reconnectionDelayGrowFactor: 1 },
      });
    } else {
      const cwd = resolvePath(this.options.cwd, config.cwd ?? '.');
      stdio = new GroupStdioTransport({
        command: config.command, ...(config.args ? { args: config.args } : {}), ...(config.env ? { env: config.env } : {}), cwd,
        ...(this.options.killGraceMs !== undefined ? { killGraceMs: this.options.killGraceMs } : {}),
      });
      transport = stdio;
    }
    slot.transport = transport;
    const lost = (): { why: string; detail: string } | undefined => {
      if (stdio?.exit && !stdio.exit.closedByUs) return { why: `MCP server '${name}' ${describeExit(stdio.exit)}`, detail: stderrNote(stdio.exit) };
      return httpLost !== undefined ? { why: httpLost, detail: '' } : undefined;
    };
    client.onerror = () => undefined; // stray stdout lines, stream hiccups: the calls report what matters
    try {
      await client.connect(transport);
      const tools = new Map<string, McpToolInfo>();
      let cursor: string | undefined;
      do {
        const page = await client.listTools(cursor ? { cursor } : undefined);
        for (const t of page.tools) {
          tools.set(t.name, {
            name: t.name,
            ...(t.title !== undefined ? { title: t.title } : {}),
            ...(t.description !== undefined ? { description: t.description } : {}),
            ...(t.inputSchema ? { inputSchema: t.inputSchema as object } : {}),
            ...(t.annotations ? { annotations: pickAnnotations(t.annotations) } : {}),
          });
        }
        cursor = page.nextCursor;
      } while (cursor);
      const t1 = performance.now();
      const conn: McpConnection = { server: name, transport: transportOf(config), client, tools, connectMs: t1 - t0, lost };
      this.connections.push({ server: name, transport: conn.transport, startedAt: t0, endedAt: t1, error: null });
      if (!stdio) {
        transport.onclose = chain(transport.onclose, () => {
          if (!this.closed) httpLost = `the connection to MCP server '${name}' (${describeServer(config)}) was closed`;
        });
      }
      slot.conn = conn;
      if (this.closed) await client.close().catch(() => undefined);
      return conn;
    } catch (e) {
      await client.close().catch(() => undefined);
      const message = connectFailure(name, config, e, stdio);
      this.connections.push({ server: name, transport: transportOf(config), startedAt: t0, endedAt: performance.now(), error: message });
      throw new Error(message);
    }
  }

  /** Tools of the given servers (all by default), for analysis and binding. Never rejects. */
  async listTools(names: readonly string[] = this.serverNames()): Promise<Map<string, ReadonlyMap<string, McpToolInfo> | Error>> {
    const out = new Map<string, ReadonlyMap<string, McpToolInfo> | Error>();
    await Promise.all(names.map(async (n) => {
      try {
        out.set(n, (await this.connect(n)).conn.tools);
      } catch (e) {
        out.set(n, e instanceof Error ? e : new Error(String(e)));
      }
    }));
    return out;
  }

  /**
   * One tools/call. Cancellation as each transport specifies it: the SDK sends
   * notifications/cancelled when the signal fires; over HTTP the request itself is aborted too.
   */
  async callTool(conn: McpConnection, tool: string, input: JsonObject, opts: {
    readonly signal: AbortSignal;
    readonly onprogress?: (p: { progress: number; total?: number; message?: string }) => void;
  }): Promise<CallToolResult> {
    const gone = conn.lost();
    if (gone) throw new Error(`${gone.why}; the call was not sent${gone.detail}.`);
    // The call key only matters over HTTP (fetchForCall finds the call's own abort by it); over
    // stdio it would only add bytes to every request (bench: npm run bench -- --only mcp).
    const http = conn.transport === 'http';
    const key = http ? `${process.pid}-${++this.callSeq}` : '';
    // A signal of the call's own: the SDK never removes its abort listener, and the run's shared
    // signal (attempts without a timeout) would otherwise collect one per call. Over HTTP it also
    // aborts the call's own request.
    const own = new AbortController();
    if (http) this.httpCalls.set(key, own);
    // Through abortFanout, not addEventListener: every untimed call of a run shares its signal,
    // and a Set entry is cheaper per call than an EventTarget listener (bench: mcp).
    const stopListening = opts.signal.aborted ? undefined : onSignalAbort(opts.signal, () => own.abort(opts.signal.reason));
    if (!stopListening) own.abort(opts.signal.reason);
    try {
      const params = http ? { name: tool, arguments: input as Record<string, unknown>, _meta: { [CALL_META_KEY]: key } } : { name: tool, arguments: input as Record<string, unknown> };
      // The engine owns timeouts (per attempt, timeoutMs): the SDK's own 60 s default is off.
      const result = await conn.client.callTool(params, undefined, opts.onprogress
        ? { signal: own.signal, timeout: NO_SDK_TIMEOUT, onprogress: opts.onprogress }
        : { signal: own.signal, timeout: NO_SDK_TIMEOUT });
      return result as CallToolResult;
    } catch (e) {
      if (opts.signal.aborted) throw opts.signal.reason instanceof Error ? opts.signal.reason : e;
      // The server died under the call: say so rather than the SDK's bare "Connection closed".
      await Promise.resolve();
      const lostNow = conn.lost();
      if (lostNow) throw new Error(`${lostNow.why} while the call was running${lostNow.detail}.`);
      throw e;
    } finally {
      stopListening?.();
      if (http) this.httpCalls.delete(key);
    }
  }

  /**
   * fetch for Streamable HTTP: a tools/call POST carries its call key and gets its own abort. A
   * request that cannot reach the server, or a call's response stream that breaks (the server
   * died) or ends without the answer, marks the connection lost (`onLost`) and ends that call.
   */
  private fetchForCall(url: string | URL, init: RequestInit | undefined, onLost: (cause: string) => void): Promise<Response> {
    const body = init?.body;
    let key: string | undefined;
    let ctl: AbortController | undefined;
    if (this.httpCalls.size > 0 && typeof body === 'string' && body.includes(CALL_META_KEY)) {
      const m = new RegExp(`"${CALL_META_KEY.replace(/[./]/g, '\\$&')}":"([^"]+)"`).exec(body);
      key = m?.[1];
      ctl = key !== undefined ? this.httpCalls.get(key) : undefined;
    }
    const signal = ctl ? (init?.signal ? AbortSignal.any([init.signal, ctl.signal]) : ctl.signal) : init?.signal;
    const aborted = (): boolean => Boolean(signal?.aborted);
    const p = fetch(url, signal ? { ...init, signal } : init);
    return p.then(
      (res) => {
        if (!ctl || !res.body || [101, 204, 205, 304].includes(res.status)) return res;
        const call = ctl;
        const end = (cause: string): void => {
          if (aborted() || this.httpCalls.get(key as string) !== call) return;
          onLost(cause);
          call.abort(new Error(cause));
        };
        return watchBody(res, (e) => end(`its response stream broke: ${errorText(e)}`), () => {
          // The answer is dispatched as the stream delivers it; a call still waiting a moment
          // after its stream ended will never get one.
          setTimeout(() => end('the call\'s response stream ended without an answer'), 100);
        });
      },
      (e: unknown) => {
        if (!aborted()) onLost(errorText(e));
        throw e;
      },
    );
  }

  /** Ends every server: stdio process groups are signalled, HTTP sessions closed. */
  async close(): Promise<void> {
    this.closed = true;
    const slots = [...this.slots.values()];
    await Promise.all(slots.map(async (s) => {
      const conn = s.conn ?? (await s.promise.catch(() => undefined));
      if (conn) await conn.client.close().catch(() => undefined);
      else await s.transport?.close().catch(() => undefined);
    }));
  }
}

/** The response, its body passed through unchanged, with a word when the stream errors or ends. */
function watchBody(res: Response, onError: (e: unknown) => void, onEnd: () => void): Response {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const stream = new ReadableStream<Uint8Array>({
    async pull(c) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          c.close();
          onEnd();
        } else {
          c.enqueue(value);
        }
      } catch (e) {
        onError(e);
        c.error(e);
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(stream, { status: res.status, statusText: res.statusText, headers: res.headers });
}

/** fetch's "fetch failed" says little: the cause (ECONNREFUSED, "terminated", other side closed) says what happened. */
function errorText(e: unknown): string {
  const err = e as { message?: string; cause?: { code?: string; message?: string } };
  const cause = err?.cause?.code ?? err?.cause?.message;
  const msg = typeof err?.message === 'string' ? err.message : String(e);
  if (msg === 'terminated') return `the server closed the connection in the middle of the answer${cause ? ` (${cause})` : ''}`;
  return cause && !msg.includes(cause) ? `${msg}: ${cause}` : msg;
}

function chain(a: (() => void) | undefined, b: () => void): () => void {
  return () => {
    a?.();
    b();
  };
}

function pickAnnotations(a: Record<string, unknown>): ToolAnnotations {
  const out: { -readonly [K in keyof ToolAnnotations]: boolean } = {};
  for (const k of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) if (typeof a[k] === 'boolean') out[k] = a[k] as boolean;
  return out;
}

function connectFailure(name: string, config: McpServerConfig, e: unknown, stdio: GroupStdioTransport | undefined): string {
  const err = e as NodeJS.ErrnoException;
  const what = `MCP server '${name}' (${describeServer(config)})`;
  if (err?.code === 'ENOENT' && stdio) return `${what} could not be started: '${(config as { command: string }).command}' was not found. Check "command" (a program on PATH, or a full path).`;
  if (err?.code === 'EACCES' && stdio) return `${what} could not be started: permission denied running '${(config as { command: string }).command}'.`;
  if (stdio?.exit) return `${what} ${describeExit(stdio.exit)} before it finished starting${stderrNote(stdio.exit)}.`;
  const msg = err instanceof Error ? err.message : String(e);
  if (!stdio) {
    const cause = (err as { cause?: { code?: string } })?.cause?.code;
    if (cause === 'ECONNREFUSED') return `${what} is not reachable: nothing listens at that address (connection refused). Start the server, or check "url".`;
    return `${what} did not answer as an MCP server: ${msg}`;
  }
  return `${what} failed to start: ${msg}`;
}

/**
 * The record with the connections the session opened before the run (for listing) added, at
 * negative times: run-relative like everything else in it. Connections opened by calls during
 * the run are already there (the runner reports them).
 */
export function withEarlyConnections(record: RunRecord, session: McpSession, runStartWall: number): RunRecord {
  const early: ConnectionRecord[] = session.connections
    .filter((c) => c.endedAt <= runStartWall)
    .map((c) => ({ server: c.server, transport: c.transport, startedAt: c.startedAt - runStartWall, endedAt: c.endedAt - runStartWall, error: c.error }));
  if (early.length === 0) return record;
  return { ...record, connections: [...early, ...(record.connections ?? [])] };
}

/** The call's output: structured content when the server gives it, else its text. */
export function outputOf(result: CallToolResult, parseJson: (text: string) => JsonValue | undefined): JsonValue {
  if (result.structuredContent !== undefined && result.structuredContent !== null) return result.structuredContent as JsonValue;
  const content = Array.isArray(result.content) ? result.content : [];
  // The common answer, one text block, without the arrays of the general case (once per call).
  const only = content.length === 1 ? (content[0] as { type?: unknown; text?: unknown }) : undefined;
  if (only && only.type === 'text' && typeof only.text === 'string') return parseJson(only.text) ?? only.text;
  const texts = content.filter((c): c is { type: 'text'; text: string } => c.type === 'text' && typeof (c as { text?: unknown }).text === 'string').map((c) => c.text);
  if (texts.length > 0) {
    const text = texts.join('\n');
    return parseJson(text) ?? text;
  }
  return content.length > 0 ? (JSON.parse(JSON.stringify(content)) as JsonValue) : null;
}

/** An `isError` result's text, for the tool's error. */
export function errorTextOf(result: CallToolResult): string {
  const content = Array.isArray(result.content) ? result.content : [];
  const text = content.filter((c) => c.type === 'text').map((c) => (c as { text: string }).text).join('\n').trim();
  return text || 'the tool reported an error without a message';
}

// MCP server configuration: the plan's `mcpServers` and `--mcp-config` files in both shapes that
// exist in the wild — VS Code's `.vscode/mcp.json` (`{ servers, inputs }`, with `type`) and the
// `{ mcpServers }` files of Claude Desktop, Cursor and others. Pure: no process, no file system.
//
// Variables in string values: `${env:NAME}` (the environment), `${workspaceFolder}` and
// `${userHome}`, as VS Code expands them. `${input:ID}` asks the user in VS Code; outside it there
// is nobody to ask, so such a server is refused with the way out (README "MCP servers").
import type { JsonObject, JsonValue, McpServerConfig } from '../../plan/types';
import { describeType } from '../common';

/** What `${…}` variables expand to when a server is started (not when a plan is parsed). */
export interface ExpandContext {
  /** The environment `${env:NAME}` reads. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `${workspaceFolder}`: the folder holding `.vscode/`, or the config/plan file's folder. */
  readonly workspaceFolder?: string;
  readonly userHome?: string;
  /** VS Code resolves `${input:…}` itself; elsewhere it is an error. */
  readonly inputsAllowed?: boolean;
}

export type ServerRead = { readonly ok: true; readonly config: McpServerConfig } | { readonly ok: false; readonly error: string };

const VARIABLE = /\$\{([^}]*)\}/g;

/** Expands `${env:…}`, `${workspaceFolder}`, `${userHome}`; an unknown variable or unset env is an error. */
export function expandVariables(text: string, ctx: ExpandContext, where: string): string {
  return text.replace(VARIABLE, (whole, name: string) => {
    if (name.startsWith('env:')) {
      const v = ctx.env[name.slice(4)];
      if (v === undefined) throw new ConfigError(`${where} uses ${whole}, but ${name.slice(4)} is not set in the environment. Set it, or write the value itself.`);
      return v;
    }
    if (name === 'workspaceFolder' && ctx.workspaceFolder !== undefined) return ctx.workspaceFolder;
    if (name === 'userHome' && ctx.userHome !== undefined) return ctx.userHome;
    if (name.startsWith('input:')) {
      if (ctx.inputsAllowed) return whole;
      throw new ConfigError(`${where} uses ${whole}, an input prompt only VS Code can show. Outside VS Code put the value in an environment variable and write \${env:NAME} instead.`);
    }
    // `${id.output…}` belongs to the plan, not to server configs; anything else is a typo.
    throw new ConfigError(`${where} uses ${whole}, which is not a variable Fanout knows. Use \${env:NAME}, \${workspaceFolder} or \${userHome}.`);
  });
}

class ConfigError extends Error {}

/**
 * One server entry, in either shape, checked for its structure; variables stay as written (they
 * are expanded by expandServerConfig when the server is started). `source` is for messages.
 */
export function readServerConfig(name: string, value: JsonValue | undefined, source: string): ServerRead {
  return attempt(() => readServer(name, value, `MCP server '${name}' (${source})`));
}

/** The config with every variable expanded, or the first variable that cannot be. */
export function expandServerConfig(name: string, config: McpServerConfig, ctx: ExpandContext): ServerRead {
  const at = `MCP server '${name}'`;
  const x = (v: string, where: string) => expandVariables(v, ctx, `${at}: ${where}`);
  const xmap = (m: Readonly<Record<string, string>>, where: string) => {
    const out: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [k, v] of Object.entries(m)) out[k] = x(v, `${where}.${k}`);
    return out;
  };
  return attempt(() => {
    if ('url' in config) return { url: x(config.url, '"url"'), ...(config.headers ? { headers: xmap(config.headers, '"headers"') } : {}) };
    return {
      command: x(config.command, '"command"'),
      ...(config.args ? { args: config.args.map((a, k) => x(a, `"args"[${k}]`)) } : {}),
      ...(config.env ? { env: xmap(config.env, '"env"') } : {}),
      ...(config.cwd !== undefined ? { cwd: x(config.cwd, '"cwd"') } : {}),
    };
  });
}

function attempt(fn: () => McpServerConfig): ServerRead {
  try {
    return { ok: true, config: fn() };
  } catch (e) {
    if (e instanceof ConfigError) return { ok: false, error: e.message };
    throw e;
  }
}

function readServer(name: string, value: JsonValue | undefined, at: string): McpServerConfig {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`${at} must be an object with "command" (stdio) or "url" (Streamable HTTP), not ${describeType(value)}.`);
  }
  const o = value as JsonObject;
  const type = o.type;
  if (type !== undefined && typeof type !== 'string') throw new ConfigError(`${at}: "type" must be "stdio" or "http".`);
  if (type === 'sse') {
    throw new ConfigError(`${at} uses the old SSE transport, which Fanout does not speak. Most servers also serve Streamable HTTP: set "type": "http" and its URL (often ending in /mcp).`);
  }
  if (type !== undefined && !['stdio', 'http', 'streamable-http', 'streamableHttp'].includes(type)) {
    throw new ConfigError(`${at}: unknown "type" ${JSON.stringify(type)}. Use "stdio" (with "command") or "http" (with "url").`);
  }
  const hasCommand = o.command !== undefined;
  const hasUrl = o.url !== undefined;
  if (hasCommand && hasUrl) throw new ConfigError(`${at} has both "command" and "url": give "command" for a local server over stdio, or "url" for Streamable HTTP.`);
  if ((type === 'stdio' && !hasCommand) || (!hasCommand && !hasUrl)) {
    throw new ConfigError(`${at} needs "command" (a program started over stdio, e.g. "node") or "url" (a Streamable HTTP endpoint).`);
  }
  if (hasCommand) {
    const command = str(o.command, `${at}: "command"`);
    const args = o.args === undefined ? undefined : list(o.args, `${at}: "args"`);
    const env = o.env === undefined ? undefined : map(o.env, `${at}: "env"`);
    const cwd = o.cwd === undefined ? undefined : str(o.cwd, `${at}: "cwd"`);
    if (o.envFile !== undefined) throw new ConfigError(`${at} uses "envFile", which Fanout does not read. Put the variables in "env" (values may be \${env:NAME}).`);
    return { command, ...(args ? { args } : {}), ...(env ? { env } : {}), ...(cwd !== undefined ? { cwd } : {}) };
  }
  const url = str(o.url, `${at}: "url"`);
  // A URL made of a variable (${env:MCP_URL}) is checked once expanded.
  if (!url.includes('${')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError(`${at}: "url" ${JSON.stringify(url)} is not a URL. Write it in full, e.g. "http://127.0.0.1:3001/mcp".`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ConfigError(`${at}: "url" must be http: or https:, not ${parsed.protocol}`);
  }
  const headers = o.headers === undefined ? undefined : map(o.headers, `${at}: "headers"`);
  return { url, ...(headers ? { headers } : {}) };
}

function str(v: JsonValue, where: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new ConfigError(`${where} must be a non-empty string (got ${describeType(v)}).`);
  return v;
}

function list(v: JsonValue, where: string): string[] {
  if (!Array.isArray(v)) throw new ConfigError(`${where} must be a list of strings (got ${describeType(v)}).`);
  return (v as readonly JsonValue[]).map((x, k) => {
    if (typeof x === 'number' || typeof x === 'boolean') return String(x);
    if (typeof x !== 'string') throw new ConfigError(`${where}[${k}] must be a string (got ${describeType(x)}).`);
    return x;
  });
}

function map(v: JsonValue, where: string): Record<string, string> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ConfigError(`${where} must be an object of name: value pairs (got ${describeType(v)}).`);
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, x] of Object.entries(v as JsonObject)) {
    if (x === null) continue;
    if (typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
    else if (typeof x === 'string') out[k] = x;
    else throw new ConfigError(`${where}.${k} must be a string (got ${describeType(x)}).`);
  }
  return out;
}

export interface ConfigFileRead {
  readonly servers: Readonly<Record<string, McpServerConfig>>;
  /** One message per server that could not be read, or for the file as a whole. */
  readonly errors: readonly string[];
}

/**
 * A whole config file's parsed JSON: `{ servers }` (VS Code) or `{ mcpServers }` (Claude Desktop,
 * Cursor…). A file with neither is an error naming both.
 */
export function readConfigFile(root: JsonValue, source: string): ConfigFileRead {
  const ctx = { source };
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    return { servers: {}, errors: [`${ctx.source} must be a JSON object with "servers" (VS Code's mcp.json) or "mcpServers".`] };
  }
  const o = root as JsonObject;
  const block = o.servers ?? o.mcpServers;
  if (block === undefined) {
    return { servers: {}, errors: [`${ctx.source} has no "servers" (VS Code's mcp.json) or "mcpServers" object: there are no servers in it.`] };
  }
  if (block === null || typeof block !== 'object' || Array.isArray(block)) {
    return { servers: {}, errors: [`${ctx.source}: "${o.servers !== undefined ? 'servers' : 'mcpServers'}" must be an object of name: server pairs.`] };
  }
  const servers: Record<string, McpServerConfig> = Object.create(null) as Record<string, McpServerConfig>;
  const errors: string[] = [];
  for (const [name, value] of Object.entries(block as JsonObject)) {
    const r = readServerConfig(name, value, source);
    if (r.ok) servers[name] = r.config;
    else errors.push(r.error);
  }
  return { servers, errors };
}

/** How a server is started or reached, for run confirmations and logs. */
export function describeServer(config: McpServerConfig): string {
  if ('url' in config) return config.url;
  return [config.command, ...(config.args ?? [])].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

export function transportOf(config: McpServerConfig): 'stdio' | 'http' {
  return 'url' in config ? 'http' : 'stdio';
}

// What a run would do outside the simulator, for the trust check and the confirmation dialog.
// Pure: no 'vscode'.
import { isAbsolute, resolve } from 'node:path';
import type { McpServerConfig, Plan, ToolKind, ToolSpec } from '../../core/plan/types';
import { describeShellCall } from '../../core/tools/shellPreview';
import { findProgram } from '../../core/tools/programPaths';

/**
 * Kinds that reach outside Fanout. Shell and http by design; VS Code commands and language-model
 * tools too, since a plan can name any command (e.g. one that types into a terminal) or any MCP
 * tool, and neither asks the user when invoked outside a chat.
 */
export const SIDE_EFFECT_KINDS: readonly ToolKind[] = ['shell', 'http', 'vscode.command', 'vscode.lm', 'mcp', 'function'];

export interface SideEffect {
  readonly id: string;
  /** A tool kind, or 'mcp-server': a server the run starts. */
  readonly kind: ToolKind | 'mcp-server';
  /** The command line, the request, the command id or the LM tool name, as written in the plan. */
  readonly detail: string;
}

/**
 * `baseDir` (the plan file's folder) resolves function modules and stdio servers' relative paths,
 * so the confirmation shows what will really be loaded and started.
 */
export function sideEffects(plan: Plan, baseDir?: string): SideEffect[] {
  const out: SideEffect[] = [];
  for (const t of plan.tools) if (SIDE_EFFECT_KINDS.includes(t.kind)) out.push({ id: t.id, kind: t.kind, detail: describe(t, plan, baseDir) });
  return out;
}

/**
 * The MCP servers a run starts (or connects to), as confirmation lines of their own. With
 * `baseDir`, the program is shown as the absolute path that will start and the directory resolved.
 */
export function serverEffects(servers: Readonly<Record<string, McpServerConfig>> | undefined, baseDir?: string): SideEffect[] {
  return Object.entries(servers ?? {}).map(([name, c]) => ({
    id: name, kind: 'mcp-server' as const,
    detail: 'url' in c ? `connect to ${c.url}` : `start ${[programShown(c.command, c.cwd, baseDir), ...(c.args ?? [])].join(' ')}${cwdShown(c.cwd, baseDir)}`,
  }));
}

function programShown(command: string, cwd: string | undefined, baseDir: string | undefined): string {
  if (baseDir === undefined) return command;
  return findProgram(command, cwd === undefined ? baseDir : resolve(baseDir, cwd)) ?? `${command} (not found)`;
}

function cwdShown(cwd: string | undefined, baseDir: string | undefined): string {
  if (baseDir === undefined) return cwd ? `  (in ${cwd})` : '';
  return `  (in ${cwd === undefined ? baseDir : resolve(baseDir, cwd)})`;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v) ?? '';
}

function describe(t: ToolSpec, plan: Plan, baseDir: string | undefined): string {
  const a = t.args;
  switch (t.kind) {
    case 'shell':
      return describeShellCall(a, baseDir);
    case 'http': {
      const method = typeof a.method === 'string' ? a.method.toUpperCase() : 'GET';
      return `${method} ${str(a.url)}`;
    }
    case 'vscode.command':
      return str(a.command);
    case 'vscode.lm':
      return str(a.tool);
    case 'mcp': {
      const server = str(a.server);
      const config = plan.mcpServers && Object.prototype.hasOwnProperty.call(plan.mcpServers, server) ? plan.mcpServers[server] : undefined;
      const how = config ? ('url' in config ? config.url : [programShown(config.command, config.cwd, baseDir), ...(config.args ?? [])].join(' ') + cwdShown(config.cwd, baseDir)) : 'a server from mcp.json';
      return `${server}.${str(a.tool)} — ${how}`;
    }
    case 'function': {
      const module = str(a.module);
      const path = baseDir !== undefined && module !== '' && !isAbsolute(module) ? resolve(baseDir, module) : module;
      return `${typeof a.export === 'string' ? a.export : 'default export'} of ${path}`;
    }
    default:
      return '';
  }
}

/** One line, control characters made visible and long text cut in the middle of nothing important. */
export function oneLine(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  // Only the start can show: a 100 MB error is not flattened whole for a 200-character line.
  const flat = text.slice(0, max * 4 + 16).replace(/\r\n|\r|\n/g, ' ⏎ ').replace(/[\u0000-\u001f\u007f]/g, '·').replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, Math.max(1, max - 1))}…`;
}

const KIND_LABEL: Partial<Record<ToolKind | 'mcp-server', string>> = { shell: 'shell', http: 'http', 'vscode.command': 'command', 'vscode.lm': 'LM tool', mcp: 'MCP', function: 'function', 'mcp-server': 'MCP server' };

const NOUN: Partial<Record<ToolKind | 'mcp-server', string>> = {
  shell: 'shell command', http: 'HTTP request', 'vscode.command': 'VS Code command', 'vscode.lm': 'language-model tool',
  mcp: 'MCP tool call', function: 'JavaScript function', 'mcp-server': 'MCP server',
};

export interface Confirmation {
  /** The dialog's message (its title line). */
  readonly message: string;
  /** The dialog's detail: one line per tool, at most `maxLines`, then "…and N more". */
  readonly detail: string;
}

export function confirmationText(planName: string, effects: readonly SideEffect[], maxLines = 12, width = 90): Confirmation {
  const counts = new Map<ToolKind | 'mcp-server', number>();
  for (const e of effects) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  const what = [...counts].map(([k, n]) => `${n} ${NOUN[k] ?? k}${n === 1 ? '' : 's'}`).join(', ');
  const shown = effects.slice(0, maxLines).map((e) => oneLine(`${e.id} [${KIND_LABEL[e.kind] ?? e.kind}]: ${e.detail || '(nothing given)'}`, width));
  const more = effects.length > maxLines ? [`…and ${effects.length - maxLines} more`] : [];
  return {
    message: `Run "${oneLine(planName, 60)}"? It will run ${what} on this machine.`,
    // References are shown as written: say what they become, since the dialog cannot know yet.
    detail: [...shown, ...more, ...(effects.some((e) => e.detail.includes('${')) ? ['', 'Values like ${tool.output} are filled in from earlier tools when each one starts.'] : [])].join('\n'),
  };
}

/** Why an untrusted workspace cannot run this plan. */
export function untrustedMessage(effects: readonly SideEffect[]): string {
  const kinds = [...new Set(effects.map((e) => `${NOUN[e.kind] ?? e.kind}s`))];
  return `This workspace is in Restricted Mode, so Fanout will not run ${kinds.join(', ')} (${effects.length} in this plan). ` +
    'Trust the workspace to run it, or use Simulate, which runs nothing.';
}

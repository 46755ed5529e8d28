// Safety classes of real tools, from MCP tool annotations (README "Safety classes"). The hints'
// defaults are the MCP specification's: a tool that is not read-only is assumed destructive and
// not idempotent. Facts are only used when known (stated in the plan or listed by the server):
// an unknown tool is not reported, but `serialWrites` treats it as one that may write.
import type { Plan, ToolAnnotations, ToolKind, ToolSpec } from './types';

/** The kinds whose safety is stated by annotations and locked per server by serialWrites. */
export function safetyTarget(t: ToolSpec): string | undefined {
  if (t.kind === 'mcp' && typeof t.args.server === 'string') return `MCP server '${t.args.server}'`;
  if (t.kind === 'function' && typeof t.args.module === 'string') return `module '${t.args.module}'`;
  return undefined;
}

export function isReadOnly(a: ToolAnnotations | undefined): boolean {
  return a?.readOnlyHint === true;
}

/** Known to be destructive (explicitly, or by default for a known non-read-only tool). */
export function isDestructive(a: ToolAnnotations | undefined): boolean {
  return a !== undefined && !isReadOnly(a) && a.destructiveHint !== false;
}

/**
 * A retry can repeat an effect: known, not read-only, and not idempotent or explicitly destructive
 * (`destructiveHint: true`): MCP's default destructive reading does not outweigh a stated
 * `idempotentHint: true` (docs/library.md "Calls that must not run twice").
 */
export function retryRepeatsEffect(a: ToolAnnotations | undefined): boolean {
  return a !== undefined && !isReadOnly(a) && (a.idempotentHint !== true || a.destructiveHint === true);
}

/** The resource serialWrites gives a writing call: one lock per server (or module). */
export const SERIAL_PREFIX = 'serial-writes:';

/**
 * `serialWrites`: every mcp/function call that is not known to be read-only takes its server's
 * write lock (a resource limited to 1); read-only calls stay free. A tool that names its own
 * resource keeps it (one tool has one resource) and is not locked. Idempotent: a lock given
 * earlier is taken away when the tool is now known to be read-only (after its server was listed).
 */
export function applySerialWrites(plan: Plan): Plan {
  if (!plan.serialWrites && !plan.tools.some((t) => t.resource?.startsWith(SERIAL_PREFIX))) return plan;
  const limits: Record<string, number> = Object.setPrototypeOf({}, null) as Record<string, number>;
  for (const [k, v] of Object.entries(plan.limits)) if (!k.startsWith(SERIAL_PREFIX)) limits[k] = v;
  let changed = false;
  const tools = plan.tools.map((t): ToolSpec => {
    const ours = t.resource?.startsWith(SERIAL_PREFIX) ?? false;
    const target = safetyTarget(t);
    const lock = plan.serialWrites && target !== undefined && (ours || t.resource === undefined) && !isReadOnly(t.annotations);
    if (lock) {
      const resource = `${SERIAL_PREFIX}${target}`;
      limits[resource] = 1;
      if (t.resource === resource) return t;
      changed = true;
      return { ...t, resource };
    }
    if (ours) {
      changed = true;
      const { resource: _r, ...rest } = t;
      return rest as ToolSpec;
    }
    return t;
  });
  const limitsChanged = Object.keys(limits).length !== Object.keys(plan.limits).length;
  return changed || limitsChanged ? { ...plan, tools, limits } : plan;
}

/** The kinds whose calls need approval by default: those that act outside Fanout without asking. */
export const DEFAULT_APPROVAL_KINDS: readonly ToolKind[] = ['mcp', 'function'];

/**
 * Does this call need the user's approval before it starts? Calls of the given kinds do, except
 * MCP calls (and functions) known to be read-only: those run at once, while the others wait.
 */
export function needsApproval(t: ToolSpec, kinds: readonly ToolKind[] = DEFAULT_APPROVAL_KINDS): boolean {
  if (!kinds.includes(t.kind)) return false;
  return !((t.kind === 'mcp' || t.kind === 'function') && isReadOnly(t.annotations));
}

export type ApprovalMode = 'all' | 'read-only' | 'prompt';

/**
 * Why a call needs approval, in a few words for a prompt row (VS Code's quick pick, the CLI's
 * list): what it may do, from its kind and what its annotations say. Only for calls that do.
 */
export function approvalReason(t: ToolSpec): string {
  const a = t.annotations;
  switch (t.kind) {
    case 'shell':
      return 'shell: runs a command on this machine';
    case 'http':
      return 'http: sends a request over the network';
    case 'function':
      if (isDestructive(a)) return 'function, destructive: stated to delete or overwrite';
      return a === undefined ? 'function: runs code of a module, not stated read-only' : 'function: stated to change state (not read-only)';
    case 'mcp':
      // The MCP spec's defaults: a tool that is not read-only may write, and is destructive unless it says not.
      if (a === undefined) return 'not known to be read-only: no readOnlyHint from the server or the plan';
      if (isDestructive(a)) return `destructive: the server says it may delete or overwrite${a.idempotentHint === true ? '' : ' (not idempotent)'}`;
      return 'not read-only: the server says it changes state (not destructively)';
    default:
      return `${t.kind}: calls of this kind are set to need approval`;
  }
}

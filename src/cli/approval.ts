// `--approve all|read-only|prompt` for `fanout run` (README "Approval"): which calls may start.
// Calls that need approval (by default: MCP calls not known to be read-only, and functions;
// `--needs-approval KINDS` changes the kinds) wait for it while the others run. `prompt` asks on
// the terminal, one question per batch of calls that became ready together; without a terminal
// and without --approve, a run with such calls is refused before anything starts.
import { isAbsolute, resolve } from 'node:path';
import type { Plan, ToolKind, ToolSpec } from '../core/plan/types';
import { TOOL_KINDS } from '../core/plan/types';
import { approvalReason, DEFAULT_APPROVAL_KINDS, needsApproval, safetyTarget, type ApprovalMode } from '../core/plan/safety';
import { createApprover, parseBatchAnswer, type Approver, type BatchAnswer } from '../core/tools/approval';
import { describeShellCall } from '../core/tools/shellPreview';

export const APPROVE_FLAG = 'approve';
export const NEEDS_APPROVAL_FLAG = 'needs-approval';

export type ApprovalSetup =
  | { readonly ok: true; readonly approve?: Approver; readonly mode?: ApprovalMode }
  | { readonly ok: false; readonly error: string };

/** Reads the flags; `ask` is a terminal question (absent when stdin is not a terminal). */
export function setupApproval(
  flags: Readonly<Record<string, unknown>>, plan: Plan, ask: ((q: string, signal?: AbortSignal) => Promise<string>) | undefined, say: (text: string) => void,
  baseDir?: string,
): ApprovalSetup {
  const kinds = parseKinds(flags[NEEDS_APPROVAL_FLAG]);
  if (typeof kinds === 'string') return { ok: false, error: kinds };
  const flag = flags[APPROVE_FLAG];
  if (flag !== undefined && flag !== 'all' && flag !== 'read-only' && flag !== 'prompt') {
    return { ok: false, error: `--approve takes all, read-only or prompt, not '${String(flag)}'.` };
  }
  const waiting = plan.tools.filter((t) => needsApproval(t, kinds));
  if (waiting.length === 0 && flag === undefined) return { ok: true };
  const mode: ApprovalMode = (flag as ApprovalMode | undefined) ?? 'prompt';
  if (mode === 'prompt' && !ask) {
    const shown = waiting.slice(0, 5).map((t) => describeCall(t, baseDir)).join('; ');
    const why = flag === undefined ? 'and there is no terminal to ask on' : '--approve prompt needs a terminal to ask on';
    return {
      ok: false,
      error: `${waiting.length} call${waiting.length === 1 ? '' : 's'} need${waiting.length === 1 ? 's' : ''} approval (${shown}${waiting.length > 5 ? '; …' : ''}) ${why}. ` +
        'Nothing was started. Pass --approve all to run them, or --approve read-only to run only read-only calls (the others are denied).',
    };
  }
  const askBatch = ask ? (calls: readonly ToolSpec[], signal: AbortSignal) => askOnTerminal(calls, (q) => ask(q, signal), say, baseDir) : undefined;
  return {
    ok: true, mode,
    approve: createApprover({ mode, kinds, readOnlyReason: 'denied by --approve read-only (only calls known to be read-only run)', ...(askBatch ? { askBatch } : {}) }),
  };
}

/**
 * Whether an MCP call's approval depends on its annotations under these flags: not with
 * `--approve all` (nothing waits), nor when `--needs-approval` leaves out `mcp`. Then `run` lists
 * the plan's servers before deciding, so a call the server marks read-only is not held or denied.
 */
export function mcpApprovalDependsOnAnnotations(flags: Readonly<Record<string, unknown>>): boolean {
  const flag = flags[APPROVE_FLAG];
  if (flag !== undefined && flag !== 'read-only' && flag !== 'prompt') return false; // all, or a bad value setupApproval refuses
  const kinds = parseKinds(flags[NEEDS_APPROVAL_FLAG]);
  return typeof kinds !== 'string' && kinds.includes('mcp');
}

function parseKinds(v: unknown): readonly ToolKind[] | string {
  if (v === undefined) return DEFAULT_APPROVAL_KINDS;
  const list = String(v).split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.find((k) => !(TOOL_KINDS as readonly string[]).includes(k));
  if (bad !== undefined) return `--needs-approval: '${bad}' is not a tool kind (kinds: ${TOOL_KINDS.join(', ')}).`;
  return list as ToolKind[];
}

/**
 * One call as the prompt shows it. `baseDir` (the plan's folder) resolves what will run: a shell
 * command's programs and directory, a function's module, as absolute paths.
 */
export function describeCall(t: ToolSpec, baseDir?: string): string {
  if (t.kind === 'shell') return `${t.id}: shell ${describeShellCall(t.args, baseDir)}`;
  if (t.kind === 'mcp') return `${t.id}: ${String(t.args.tool)} on ${safetyTarget(t) ?? 'an MCP server'}`;
  if (t.kind === 'function') {
    const module = String(t.args.module);
    return `${t.id}: ${typeof t.args.export === 'string' ? t.args.export : 'default'} of ${baseDir !== undefined && !isAbsolute(module) ? resolve(baseDir, module) : module}`;
  }
  return `${t.id}: ${t.kind}`;
}

/** One question per batch; re-asks until the answer is understood. */
async function askOnTerminal(calls: readonly ToolSpec[], ask: (q: string) => Promise<string>, say: (text: string) => void, baseDir?: string): Promise<BatchAnswer> {
  const lines = calls.map((c, k) => `  ${k + 1}. ${describeCall(c, baseDir)}${c.args.input !== undefined ? `  input ${clip(JSON.stringify(c.args.input), 100)}` : ''}\n     why: ${approvalReason(c)}`);
  say(`\nfanout: ${calls.length} call${calls.length === 1 ? '' : 's'} wait${calls.length === 1 ? 's' : ''} for approval (the others keep running):\n${lines.join('\n')}\n`);
  for (;;) {
    const answer = parseBatchAnswer(await ask('Allow? [y] all of these, [n] none, [r] these and the rest of the run, or numbers (1 3, 2-4): '), calls);
    if (answer) return answer;
    say('fanout: answer y, n, r, or the numbers of the calls to allow.\n');
  }
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

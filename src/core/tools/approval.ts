// Approval lanes (README "Approval"): the calls that need approval wait for one prompt per batch
// while the others (read-only MCP calls, simulations) already run. The prompt itself belongs to
// the front end (a terminal in the CLI, a quick pick in VS Code); this module decides what to ask,
// batches the calls that become ready together, and remembers "allow the rest of this run".
// It is the ApprovalGate (ExecuteOptions.approve) the engine asks, one batch of ready calls at a time.
import type { ToolKind, ToolSpec } from '../plan/types';
import type { ApprovalGate, ApprovalRequest, ApprovalVerdict } from '../engine/types';
import { DEFAULT_APPROVAL_KINDS, needsApproval, type ApprovalMode } from '../plan/safety';

export interface BatchAnswer {
  /** Allowed call ids; every other call of the batch is denied. */
  readonly allowed: ReadonlySet<string>;
  /** Allow every later call of this run without asking. */
  readonly allowRest: boolean;
}

export interface ApproverOptions {
  readonly mode: ApprovalMode;
  readonly kinds?: readonly ToolKind[];
  /**
   * Shows one batch of calls (arguments resolved) and returns the answer. Only called in `prompt`
   * mode, one prompt at a time. `signal` fires when the run stops: close the prompt.
   */
  readonly askBatch?: (calls: readonly ToolSpec[], signal: AbortSignal) => Promise<BatchAnswer>;
  /** How long to gather calls into one prompt after the first batch asks (calls that become ready a few ms apart). Default 25 ms. */
  readonly gatherMs?: number;
  /** The reason recorded for calls denied by the `read-only` mode. */
  readonly readOnlyReason?: string;
}

/** The engine's approval gate (ExecuteOptions.approve), remembering what was decided. */
export interface Approver extends ApprovalGate {
  /** Calls decided so far: id → allowed. */
  readonly decisions: ReadonlyMap<string, boolean>;
}

export const USER_DENIED = 'denied by the user';
export const READ_ONLY_DENIED = 'denied: only calls known to be read-only may run (approval mode read-only)';

interface Waiting {
  readonly calls: readonly ToolSpec[];
  readonly signal: AbortSignal;
  readonly resolve: (v: readonly ApprovalVerdict[]) => void;
}

export function createApprover(o: ApproverOptions): Approver {
  const kinds = o.kinds ?? DEFAULT_APPROVAL_KINDS;
  const decisions = new Map<string, boolean>();
  let allowRest = false;
  let pending: Waiting[] = [];
  let busy = false;

  const answer = (calls: readonly ToolSpec[], allowed: (t: ToolSpec) => boolean, reason: string): ApprovalVerdict[] => calls.map((t) => {
    const ok = allowed(t);
    decisions.set(t.id, ok);
    return ok ? true : { allowed: false, reason };
  });

  // One prompt at a time: batches that arrive while one is open (or while gathering) are shown
  // together in the next one, so the user is never asked two questions at once.
  const flush = async (): Promise<void> => {
    while (pending.length > 0) {
      const waiting = pending.filter((w) => !w.signal.aborted);
      pending = [];
      if (waiting.length === 0) continue;
      const calls = waiting.flatMap((w) => w.calls);
      if (allowRest) {
        for (const w of waiting) w.resolve(answer(w.calls, () => true, ''));
        continue;
      }
      let reply: BatchAnswer;
      let reason = USER_DENIED;
      try {
        reply = o.askBatch ? await o.askBatch(calls, waiting[0].signal) : { allowed: new Set(), allowRest: false };
      } catch (e) {
        reply = { allowed: new Set(), allowRest: false }; // a prompt that failed allows nothing
        reason = `the approval prompt failed: ${e instanceof Error ? e.message : String(e)}`;
      }
      if (reply.allowRest) allowRest = true;
      for (const w of waiting) w.resolve(answer(w.calls, (t) => reply.allowed.has(t.id), reason));
    }
    busy = false;
  };

  return {
    decisions,
    needs: (t) => o.mode !== 'all' && needsApproval(t, kinds),
    decide(batch: readonly ApprovalRequest[], signal: AbortSignal): readonly ApprovalVerdict[] | Promise<readonly ApprovalVerdict[]> {
      const calls = batch.map((r) => (r.args === r.tool.args ? r.tool : { ...r.tool, args: r.args }));
      if (o.mode === 'all' || allowRest) return answer(calls, () => true, '');
      if (o.mode === 'read-only') return answer(calls, () => false, o.readOnlyReason ?? READ_ONLY_DENIED);
      return new Promise<readonly ApprovalVerdict[]>((resolve) => {
        pending.push({ calls, signal, resolve });
        if (busy) return;
        busy = true;
        setTimeout(() => void flush(), o.gatherMs ?? 25);
      });
    },
  };
}

/**
 * Parses a terminal answer to a batch prompt: `y`/`a` all of these, `n` none, `r` these and the
 * rest of the run, or the numbers to allow (`1 3`, `1,3`, `2-4`). Undefined: not understood.
 */
export function parseBatchAnswer(text: string, calls: readonly ToolSpec[]): BatchAnswer | undefined {
  const t = text.trim().toLowerCase();
  const all = new Set(calls.map((c) => c.id));
  if (t === 'y' || t === 'yes' || t === 'a' || t === 'all') return { allowed: all, allowRest: false };
  if (t === 'n' || t === 'no' || t === 'none' || t === '') return { allowed: new Set(), allowRest: false };
  if (t === 'r' || t === 'rest') return { allowed: all, allowRest: true };
  const allowed = new Set<string>();
  for (const part of t.split(/[\s,]+/).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return undefined;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from < 1 || to > calls.length || from > to) return undefined;
    for (let k = from; k <= to; k++) allowed.add(calls[k - 1].id);
  }
  return { allowed, allowRest: false };
}

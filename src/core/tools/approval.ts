// Approval lanes (README "Approval"): the calls that need approval wait for one prompt per batch
// while the others (read-only MCP calls, simulations) already run. The prompt itself belongs to
// the front end (a terminal in the CLI, a quick pick in VS Code); this module decides what to ask,
// batches the calls that become ready together, and remembers "allow the rest of this run".
// It is the `approve(call)` the engine's approval gate awaits.
import type { ToolKind, ToolSpec } from '../plan/types';
import { DEFAULT_APPROVAL_KINDS, decideWithoutAsking, type ApprovalMode } from '../plan/safety';

export interface BatchAnswer {
  /** Allowed call ids; every other call of the batch is denied. */
  readonly allowed: ReadonlySet<string>;
  /** Allow every later call of this run without asking. */
  readonly allowRest: boolean;
}

export interface ApproverOptions {
  readonly mode: ApprovalMode;
  readonly kinds?: readonly ToolKind[];
  /** Shows one batch of calls and returns the answer. Only called in `prompt` mode. */
  readonly askBatch?: (calls: readonly ToolSpec[]) => Promise<BatchAnswer>;
  /** How long to gather calls into one batch after the first one asks. Default 25 ms. */
  readonly gatherMs?: number;
}

export interface Approver {
  (tool: ToolSpec): Promise<boolean>;
  /** Calls decided so far: id → allowed. */
  readonly decisions: ReadonlyMap<string, boolean>;
}

export function createApprover(o: ApproverOptions): Approver {
  const kinds = o.kinds ?? DEFAULT_APPROVAL_KINDS;
  const decisions = new Map<string, boolean>();
  let allowRest = false;
  let pending: { tool: ToolSpec; resolve: (ok: boolean) => void }[] = [];
  let asking: Promise<void> | null = null;
  let gathering = false;

  const flush = async (): Promise<void> => {
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      if (allowRest) {
        for (const p of batch) settle(p, true);
        continue;
      }
      let answer: BatchAnswer;
      try {
        answer = o.askBatch ? await o.askBatch(batch.map((p) => p.tool)) : { allowed: new Set(), allowRest: false };
      } catch {
        answer = { allowed: new Set(), allowRest: false }; // a prompt that failed allows nothing
      }
      if (answer.allowRest) allowRest = true;
      for (const p of batch) settle(p, answer.allowed.has(p.tool.id));
    }
    asking = null;
  };

  const settle = (p: { tool: ToolSpec; resolve: (ok: boolean) => void }, ok: boolean): void => {
    decisions.set(p.tool.id, ok);
    p.resolve(ok);
  };

  const approve = ((tool: ToolSpec): Promise<boolean> => {
    const quick = decideWithoutAsking(tool, o.mode, kinds);
    if (quick !== 'ask' || allowRest) {
      const ok = quick === 'ask' ? true : quick;
      decisions.set(tool.id, ok);
      return Promise.resolve(ok);
    }
    return new Promise<boolean>((resolve) => {
      pending.push({ tool, resolve });
      // Calls that become ready together (one batch of the agent) share one prompt; a prompt that
      // is open lets new calls gather for the next one.
      if (asking || gathering) return;
      gathering = true;
      setTimeout(() => {
        gathering = false;
        asking = flush();
      }, o.gatherMs ?? 25);
    });
  }) as Approver;
  Object.defineProperty(approve, 'decisions', { value: decisions });
  return approve;
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

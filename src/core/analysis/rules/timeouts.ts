import { makeDiagnostic } from '../../plan/diagnostics';
import type { Diagnostic, ToolKind } from '../../plan/types';
import type { RuleContext } from '../analyze';
import { setToolField } from '../fixes';
import { ms, quickFix, toolRange } from './common';

/** Kinds that wait on something outside the process (network, a shell command, a model): they can hang. */
const CAN_HANG: ReadonlySet<ToolKind> = new Set<ToolKind>(['shell', 'http', 'vscode.lm', 'mcp']);
/** A timeout of 10× the expected duration tolerates slow days but still catches a hung call. */
const TIMEOUT_FACTOR = 10;
/** Never suggest less than 1 s (connection set-up alone can take that) nor more than 2 minutes. */
const MIN_TIMEOUT_MS = 1_000;
const MAX_TIMEOUT_MS = 120_000;

/**
 * missing-timeout: a network or shell tool with no timeoutMs (own or defaults). One hung call holds
 * its slot forever and, worse, everything downstream of it: the batch never finishes.
 */
export function missingTimeoutRule(ctx: RuleContext): Diagnostic[] {
  const { plan, durations } = ctx;
  if (plan.defaults.timeoutMs !== undefined) return [];
  const out: Diagnostic[] = [];
  for (const t of plan.tools) {
    if (!CAN_HANG.has(t.kind) || t.timeoutMs !== undefined) continue;
    const timeout = suggestedTimeout(durations[t.index]);
    const what = t.kind === 'shell' ? 'a shell command' : t.kind === 'http' ? 'an HTTP call' : t.kind === 'mcp' ? 'an MCP tool call' : 'a language-model tool call';
    out.push(makeDiagnostic({
      code: 'missing-timeout',
      range: toolRange(t, 'kind'),
      tools: [t.id],
      message: `Tool '${t.id}' is ${what} with no timeout: if it hangs, it holds its slot and blocks everything that depends on it. Add "timeoutMs": ${timeout}, or set defaults.timeoutMs.`,
      suggestion: `${timeout} ms is ${TIMEOUT_FACTOR}× its estimate of ${ms(durations[t.index])}, rounded up: generous for slow responses, short enough to fail fast.`,
      ...quickFix(`Add timeoutMs: ${timeout}`, ctx.text !== undefined ? setToolField(ctx.text, plan, t, 'timeoutMs', timeout) : undefined),
    }));
  }
  return out;
}

/** 10× the estimate, rounded up to a whole second, within [1 s, 2 min]. */
export function suggestedTimeout(estimateMs: number): number {
  const raw = Math.ceil((TIMEOUT_FACTOR * Math.max(0, estimateMs)) / 1000) * 1000;
  return Math.min(MAX_TIMEOUT_MS, Math.max(MIN_TIMEOUT_MS, raw));
}

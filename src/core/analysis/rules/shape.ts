import { makeDiagnostic } from '../../plan/diagnostics';
import type { Diagnostic } from '../../plan/types';
import type { RuleContext } from '../analyze';
import { median, ms, names, planRange, toolRange } from './common';

/** Two tools in a row are just a dependency; from three on, a chain is a plan shape worth naming. */
export const CHAIN_MIN_TOOLS = 3;
/** A straggler takes at least this share of the critical path: shortening it shortens the batch. */
export const STRAGGLER_SHARE = 0.6;
/** …and at least this many times the median of the tools beside it (same level): an outlier, not the norm. */
export const STRAGGLER_FACTOR = 3;

/** no-parallelism: every tool waits for the previous one, so running "in parallel" gains nothing. */
export function noParallelismRule(ctx: RuleContext): Diagnostic[] {
  const { plan, levels } = ctx;
  if (plan.tools.length < CHAIN_MIN_TOOLS || levels.some((l) => l.length !== 1)) return [];
  const ids = levels.map((l) => plan.tools[l[0]].id);
  return [makeDiagnostic({
    code: 'no-parallelism',
    range: planRange(plan),
    tools: ids,
    message: `The ${ids.length} tools form one chain (${ids.length <= 6 ? ids.join(' → ') : `${ids.slice(0, 3).join(' → ')} → … → ${ids[ids.length - 1]}`}): each needs the one before, so parallel execution saves nothing. Check that every dependency is real; if so, run them in order.`,
    suggestion: 'Remove dependencies that are not real data dependencies, or batch independent lookups up front so they can run together.',
  })];
}

/**
 * straggler: one tool dominates the critical path and is far slower than its peers, so the batch
 * waits on it alone. Info: it is a hint to restructure, not an error.
 */
export function stragglerRule(ctx: RuleContext): Diagnostic[] {
  const { plan, levels, durations, criticalPath } = ctx;
  if (criticalPath.ms <= 0) return [];
  const levelOf = new Int32Array(plan.tools.length);
  levels.forEach((l, k) => { for (const i of l) levelOf[i] = k; });
  for (const i of criticalPath.indices) {
    const d = durations[i];
    if (d < STRAGGLER_SHARE * criticalPath.ms) continue;
    const peers = levels[levelOf[i]].filter((j) => j !== i);
    if (peers.length === 0) continue;
    const typical = median(peers.map((j) => durations[j]));
    if (d < STRAGGLER_FACTOR * typical || d === 0) continue;
    const t = plan.tools[i];
    const share = Math.round((100 * d) / criticalPath.ms);
    const peerIds = peers.map((j) => plan.tools[j].id);
    return [makeDiagnostic({
      code: 'straggler',
      range: toolRange(t, 'args'),
      tools: [t.id],
      message: `Tool '${t.id}' takes ${ms(d)}, ${share}% of the critical path and ${typical > 0 ? `${(d / typical).toFixed(1)}×` : 'far more than'} its peers (${names(peerIds)}, median ${ms(typical)}): the batch mostly waits on it. Start it first, split it into parallel parts, cache it, or give it a timeout.`,
      suggestion: 'Shortening the critical path is the only way to speed this batch up: split or cache the slow call, or bound it with timeoutMs.',
    })];
  }
  return [];
}

import { analysisCores } from '../cores';
import { makeDiagnostic } from '../../plan/diagnostics';
import type { Diagnostic, TextEdit } from '../../plan/types';
import type { RuleContext } from '../analyze';
import { setLimit, setToolField, setTopLevelKey } from '../fixes';
import { ms, names, planRange, quickFix, toolRange } from './common';
import { peakConcurrency } from './timeline';

/**
 * Ten or more calls at once is where an unbounded batch starts to hurt: provider rate limits and
 * per-key concurrency caps are commonly 5–10, browsers and HTTP agents open about 6 connections per
 * host, and a burst of 40 turns into 429s and retries instead of speed.
 */
export const UNBOUNDED_THRESHOLD = 10;
/** The cap we suggest at most: within typical rate limits, and past it the critical path dominates. */
export const SUGGESTED_CAP_MAX = 8;
/** We pick the smallest cap whose predicted makespan stays within this factor of the unbounded one. */
const SLOWDOWN_ALLOWED = 1.1;
/** A resource hit by this many tools at once deserves its own `limits` entry (an info, not a warning). */
export const RESOURCE_THRESHOLD = 5;
/** The per-resource cap we suggest: a handful of requests per API key is safe almost everywhere. */
export const SUGGESTED_RESOURCE_LIMIT = 4;
/** Resource infos per plan: one per resource, but a generated plan could have thousands. */
const MAX_RESOURCE_INFOS = 20;

/**
 * unbounded-concurrency: no maxConcurrency while many tools may run at once (warning), and
 * resources shared by many simultaneous tools without a `limits` entry (info).
 */
export function unboundedConcurrencyRule(ctx: RuleContext): Diagnostic[] {
  const { plan, graph, order, levels, durations } = ctx;
  const out: Diagnostic[] = [];
  const resourceOf = (i: number) => plan.tools[i].resource;
  if (plan.maxConcurrency === undefined) {
    const peak = peakConcurrency(graph, order, levels, durations, () => true, resourceOf, plan.limits);
    if (peak.count >= UNBOUNDED_THRESHOLD) {
      const work = durations.reduce((a, b) => a + b, 0);
      const cp = ctx.criticalPath.ms;
      const cap = suggestedCap(work, cp, peak.count);
      const withCap = Math.max(cp, work / cap);
      const ids = peak.tools.map((i) => plan.tools[i].id);
      out.push(makeDiagnostic({
        code: 'unbounded-concurrency',
        range: planRange(plan),
        tools: ids,
        message: `Up to ${peak.count} tools may run at once (${names(ids)}) and the plan sets no maxConcurrency: a burst like that hits rate limits and gets throttled or rejected. Add "maxConcurrency": ${cap}.`,
        suggestion: `maxConcurrency: ${cap} predicts about ${ms(withCap)} against ${ms(Math.max(cp, work / peak.count))} unbounded ` +
          `(critical path ${ms(cp)}, total work ${ms(work)}), while keeping at most ${cap} calls in flight; raise it if your provider allows more.`,
        ...quickFix(`Add maxConcurrency: ${cap}`, ctx.text !== undefined ? setTopLevelKey(ctx.text, plan, 'maxConcurrency', cap) : undefined),
      }));
    }
  }
  out.push(...resourceInfos(ctx));
  return out;
}

/** The smallest cap within 10% of the unbounded lower bound, clamped to [2, SUGGESTED_CAP_MAX]. */
function suggestedCap(work: number, cp: number, peak: number): number {
  const needed = cp > 0 ? Math.ceil(work / (cp * SLOWDOWN_ALLOWED)) : peak;
  return Math.max(2, Math.min(SUGGESTED_CAP_MAX, needed, peak));
}

function resourceInfos(ctx: RuleContext): Diagnostic[] {
  const { plan, graph, order, levels, durations } = ctx;
  const byResource = new Map<string, number[]>();
  for (const t of plan.tools) {
    if (t.resource === undefined || t.resource in plan.limits) continue;
    const list = byResource.get(t.resource);
    if (list) list.push(t.index);
    else byResource.set(t.resource, [t.index]);
  }
  const out: Diagnostic[] = [];
  const globalCap = plan.maxConcurrency ?? Infinity;
  for (const [resource, members] of byResource) {
    if (members.length < RESOURCE_THRESHOLD || out.length >= MAX_RESOURCE_INFOS) continue;
    const mine = new Set(members);
    const peak = peakConcurrency(graph, order, levels, durations, (i) => mine.has(i), () => undefined, plan.limits);
    const count = Math.min(peak.count, globalCap);
    if (count < RESOURCE_THRESHOLD) continue;
    const ids = peak.tools.map((i) => plan.tools[i].id);
    const first = plan.tools[members[0]];
    out.push(makeDiagnostic({
      code: 'unbounded-concurrency', severity: 'info',
      range: toolRange(first, 'resource'),
      tools: ids,
      message: `${atOnce(count, ids, 'tools', `use resource '${resource}'`)} and it has no entry in limits. If it is a rate-limited API or a shared server, cap it: "limits": { "${resource}": ${SUGGESTED_RESOURCE_LIMIT} }.`,
      suggestion: `A per-resource limit throttles only '${resource}' and leaves other tools free; ${SUGGESTED_RESOURCE_LIMIT} in flight is safe for most APIs, use your provider's documented limit if you know it.`,
      ...quickFix(`Limit '${resource}' to ${SUGGESTED_RESOURCE_LIMIT} at once`, ctx.text !== undefined ? setLimit(ctx.text, plan, resource, SUGGESTED_RESOURCE_LIMIT) : undefined),
    }));
  }
  return out;
}

/**
 * "N tools may … at once ('a', 'b' …)" with numbers that agree: when maxConcurrency caps the
 * overlap below the number of tools that could overlap, both counts are said, so the list of
 * names never outnumbers the count in front of it.
 */
export function atOnce(count: number, ids: readonly string[], subject: string, verb: string): string {
  if (count >= ids.length) return `${count} ${subject} may ${verb} at once (${names(ids)})`;
  return `${ids.length} ${subject} may ${verb} (${names(ids)}), up to ${count} at once under maxConcurrency,`;
}

/** The resource name the cpu-oversubscribed fix gives CPU tools. */
const CPU_RESOURCE = 'cpu';

/**
 * cpu-oversubscribed: more `cpu` tools may run at once than there are cores. CPU-bound work does
 * not overlap like waiting on the network: past the core count the tools time-slice, each gets
 * slower, and the batch is no faster.
 */
export function cpuOversubscribedRule(ctx: RuleContext): Diagnostic[] {
  const { plan, graph, order, levels, durations } = ctx;
  const cores = analysisCores(ctx.options.cores);
  const isCpu = (i: number) => plan.tools[i].kind === 'cpu';
  if (!plan.tools.some((t) => t.kind === 'cpu')) return [];
  const peak = peakConcurrency(graph, order, levels, durations, isCpu, (i) => plan.tools[i].resource, plan.limits);
  const count = Math.min(peak.count, plan.maxConcurrency ?? Infinity);
  if (count <= cores) return [];
  const ids = peak.tools.map((i) => plan.tools[i].id);
  const allCpu = plan.tools.every((t) => t.kind === 'cpu');
  const cpuTools = plan.tools.filter((t) => t.kind === 'cpu');
  let edits: TextEdit[] | undefined;
  let title: string;
  let how: string;
  if (allCpu) {
    title = `Set maxConcurrency to ${cores}`;
    how = `Set "maxConcurrency": ${cores}.`;
    edits = ctx.text !== undefined ? setTopLevelKey(ctx.text, plan, 'maxConcurrency', cores) : undefined;
  } else {
    // Mixed plans: a global cap would also throttle the I/O tools, which do overlap well.
    title = `Put the cpu tools on resource '${CPU_RESOURCE}' limited to ${cores}`;
    how = `Give the cpu tools "resource": "${CPU_RESOURCE}" and add "limits": { "${CPU_RESOURCE}": ${cores} }, so I/O tools stay unthrottled.`;
    const free = cpuTools.every((t) => t.resource === undefined) && !(CPU_RESOURCE in plan.limits);
    if (ctx.text !== undefined && free) {
      const text = ctx.text;
      const parts = [setLimit(text, plan, CPU_RESOURCE, cores), ...cpuTools.map((t) => setToolField(text, plan, t, 'resource', CPU_RESOURCE))];
      edits = parts.every((p) => p !== undefined) ? parts.flat() as TextEdit[] : undefined;
    }
  }
  return [makeDiagnostic({
    code: 'cpu-oversubscribed',
    range: plan.ranges.maxConcurrency ?? planRange(plan),
    tools: ids,
    message: `${atOnce(count, ids, 'cpu tools', 'run')} on ${cores} core${cores === 1 ? '' : 's'}: CPU-bound work past the core count only time-slices, so each tool slows down and the batch is no faster. ${how}`,
    suggestion: `Run at most ${cores} cpu tools at once (one per core); concurrency helps waiting, parallelism needs cores.`,
    ...quickFix(title, edits),
  })];
}

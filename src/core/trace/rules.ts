// The audit's findings on a rebuilt trace (DESIGN §10 codes, plus the plan rules that apply to
// what an agent really did). Each finding names the calls involved, says what it cost when that
// can be measured, and links to the lesson that explains it (plan/lessonIds.ts).
import type { DiagnosticCode, Severity } from '../plan/types';
import { formatMs } from '../render/format';
import type { Counterfactual } from './counterfactual';
import type { FlowFacts } from './dataflow';
import { canonical, type Rebuilt, type ToolCall } from './turns';
import { maxOf } from './values';

export interface Finding {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly suggestion?: string;
  /** Tool indices involved (the first one positions the diagnostic). */
  readonly tools: readonly number[];
  readonly turn?: number;
  /** Time this finding cost, when measured. */
  readonly costMs?: number;
}

export interface RuleOptions {
  readonly maxConcurrency?: number;
}

const MAX_NAMES = 4;

function names(r: Rebuilt, idx: readonly number[], total = idx.length): string {
  const ns = idx.slice(0, MAX_NAMES).map((i) => r.tools[i].name);
  return ns.join(', ') + (total > MAX_NAMES ? `, … (${total} in all)` : '');
}

function turnLabel(r: Rebuilt, k: number): string {
  return `turn ${k + 1}`;
}

export function auditRules(r: Rebuilt, flow: FlowFacts, cf: Counterfactual, options: RuleOptions = {}): Finding[] {
  const out: Finding[] = [];
  serializedBatches(r, cf, options, out);
  missedParallelism(r, flow, out);
  collateralCancellation(r, out);
  duplicateCalls(r, out);
  unsafeRetries(r, flow, out);
  hangs(r, out);
  return out;
}

/** Largest number of the given calls running at one instant (sweep over start/end points). */
/**
 * How much two spans may seem to overlap and still have run one after the other. Spans' clocks
 * disagree by up to a millisecond: the OpenTelemetry JS SDK, for one, gives each span a start
 * anchored to `Date.now()`'s whole milliseconds, so a call started right after another ended was
 * recorded 0.7 ms before that end (test/unit/trace/recorded.test.ts, seen under load).
 */
const CLOCK_SLACK_MS = 1;

function maxOverlap(calls: readonly ToolCall[]): number {
  const pts: [number, number][] = [];
  for (const c of calls) {
    pts.push([c.startedAt, 1]);
    pts.push([Math.max(c.startedAt, c.endedAt - CLOCK_SLACK_MS), -1]); // touching ends are not overlaps
  }
  pts.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cur = 0;
  let best = 0;
  for (const [, d] of pts) {
    cur += d;
    if (cur > best) best = cur;
  }
  return best;
}

function serializedBatches(r: Rebuilt, cf: Counterfactual, options: RuleOptions, out: Finding[]): void {
  const cap = options.maxConcurrency ?? Infinity;
  if (r.synthetic) {
    // A run record: tools that were ready but waited for a slot.
    const waited = r.tools.filter((t) => t.readyAt !== undefined && t.startedAt - t.readyAt > 1);
    if (waited.length === 0 || cf.savings.serializedBatchMs < 1) return;
    const total = waited.reduce((s, t) => s + (t.startedAt - (t.readyAt as number)), 0);
    const width = maxOverlap(r.tools);
    if (width >= cap) return;
    out.push({
      code: 'serialized-batch', severity: 'warning', tools: waited.map((t) => t.index), turn: 0, costMs: cf.savings.serializedBatchMs,
      message: `${waited.length} tool${waited.length === 1 ? '' : 's'} (${names(r, waited.map((t) => t.index))}) ${waited.length === 1 ? 'was' : 'were'} ready but waited for a free slot, ${formatMs(total)} in all, while at most ${width} ran at once: started when ready, the run ends ${formatMs(cf.savings.serializedBatchMs)} sooner.`,
      suggestion: 'Raise maxConcurrency (or the resource limit) to what the tools can take.',
    });
    return;
  }
  for (const turn of r.turns) {
    if (turn.calls.length < 2) continue;
    const calls = turn.calls.map((i) => r.tools[i]);
    const width = maxOverlap(calls);
    const cost = cf.serializedCost[turn.index];
    if (width >= Math.min(calls.length, cap) || cost < 1) continue;
    const asRan = maxOf(calls.map((c) => c.endedAt)) - turn.endedAt;
    const how = width <= 1 ? 'they ran one after another' : `they ran at most ${width} at a time`;
    out.push({
      code: 'serialized-batch', severity: 'warning', tools: turn.calls, turn: turn.index, costMs: cost,
      message: `${capital(turnLabel(r, turn.index))} emitted ${calls.length} calls together (${names(r, turn.calls)}), but ${how}: the batch took ${formatMs(asRan)}, ${formatMs(cost)} more than running them together${cap !== Infinity ? ` (at most ${cap} at once)` : ''}.`,
      suggestion: 'Run the calls of one turn concurrently: Promise.all / Promise.allSettled, asyncio.gather or a TaskGroup, parallel tool execution in the agent framework.',
    });
  }
}

function missedParallelism(r: Rebuilt, flow: FlowFacts, out: Finding[]): void {
  if (!r.contentCaptured || r.synthetic) return;
  const laneTurns = new Map<string, number[]>();
  for (const t of r.turns) {
    const l = laneTurns.get(t.lane);
    if (l) l.push(t.index);
    else laneTurns.set(t.lane, [t.index]);
  }
  // Group by (actual turn, earliest turn): one finding per turn that asked too late.
  // Keyed by turn × number of turns + earliest turn (one number, not a string per call).
  const groups = new Map<number, { turn: number; earliest: number; calls: number[] }>();
  const nT = r.turns.length;
  for (const t of r.tools) {
    if (t.turn < 0 || t.arguments === undefined) continue;
    const step = flow.actualStep[t.index];
    const e = flow.earliestStep[t.index];
    if (e < 0 || e >= step) continue;
    const earliest = (laneTurns.get(r.turns[t.turn].lane) as number[])[e];
    const key = t.turn * nT + earliest;
    const g = groups.get(key);
    if (g) g.calls.push(t.index);
    else groups.set(key, { turn: t.turn, earliest, calls: [t.index] });
  }
  // Calls emitted up to each step of a lane (prefix sums), so a finding counts its turns' calls in O(1).
  const callsUpTo = new Map<string, Float64Array>();
  for (const [lane, ks] of laneTurns) {
    const acc = new Float64Array(ks.length + 1);
    ks.forEach((k, s) => (acc[s + 1] = acc[s] + r.turns[k].calls.length));
    callsUpTo.set(lane, acc);
  }
  for (const g of groups.values()) {
    const laneId = r.turns[g.turn].lane;
    const lane = laneTurns.get(laneId) as number[];
    const from = r.turns[g.earliest].step;
    const to = r.turns[g.turn].step;
    const acc = callsUpTo.get(laneId) as Float64Array;
    const producerCount = acc[to] - acc[from];
    const producers: number[] = [];
    for (let s = from; s < to && producers.length < MAX_NAMES; s++) {
      for (const c of r.turns[lane[s]].calls) if (producers.length < MAX_NAMES) producers.push(c);
    }
    const first = lane[from];
    const last = lane[to - 1];
    const span = to - from === 1 ? turnLabel(r, first) : `turns ${first + 1}–${last + 1}`;
    const alongside = r.turns[g.earliest].calls.filter((c) => flow.earliestStep[c] <= r.turns[g.earliest].step);
    out.push({
      code: 'missed-parallelism', severity: 'info', tools: g.calls, turn: g.turn,
      message: `${capital(turnLabel(r, g.turn))} asked for ${names(r, g.calls)}, but ${g.calls.length === 1 ? 'its arguments use' : 'their arguments use'} nothing produced by ${span}${producers.length > 0 ? ` (no value from the results of ${names(r, producers, producerCount)} appears in them)` : ''}: ${g.calls.length === 1 ? 'it' : 'they'} could have been emitted in ${turnLabel(r, g.earliest)}${alongside.length > 0 ? `, alongside ${names(r, alongside)}` : ''}.`,
      suggestion: 'Ask for every call whose inputs are already known in the same turn (tell the model to batch independent calls; parallel_tool_calls on).',
    });
  }
}

function collateralCancellation(r: Rebuilt, out: Finding[]): void {
  for (const turn of r.turns) {
    if (turn.calls.length < 2) continue;
    const calls = turn.calls.map((i) => r.tools[i]);
    const failures = calls.filter((c) => c.status === 'failed' || c.status === 'timed-out').sort((a, b) => a.endedAt - b.endedAt);
    if (failures.length === 0) continue;
    const f = failures[0];
    // Siblings that were cancelled (or cut off unfinished) once the failure was known.
    const victims = calls.filter((c) => c !== f && (c.status === 'cancelled' || c.status === 'unfinished') && c.endedAt >= f.endedAt - 1 && c.startedAt < f.endedAt + 1);
    if (victims.length === 0) continue;
    const lost = victims.reduce((s, c) => s + Math.max(0, Math.min(c.endedAt, f.endedAt + 1e9) - c.startedAt), 0);
    const within = maxOf(victims.map((c) => c.endedAt - f.endedAt));
    out.push({
      code: 'collateral-cancellation', severity: 'warning', tools: [f.index, ...victims.map((c) => c.index)], turn: turn.index, costMs: lost,
      message: `${f.name} ${f.status === 'timed-out' ? 'timed out' : 'failed'} at ${formatMs(f.endedAt)}${f.error ? ` (${clip(f.error, 80)})` : ''}, and ${victims.length} sibling call${victims.length === 1 ? '' : 's'} of ${turnLabel(r, turn.index)} ${victims.length === 1 ? 'was' : 'were'} cancelled${within > 0 ? ` within ${formatMs(within)}` : ''} (${names(r, victims.map((c) => c.index))}): ${formatMs(lost)} of their work was thrown away.`,
      suggestion: 'Let independent calls finish when one fails (Promise.allSettled; asyncio.gather(return_exceptions=True)) and hand the model every result, the failure included.',
    });
  }
}

function duplicateCalls(r: Rebuilt, out: Finding[]): void {
  // Calls by name, then by arguments (no name + arguments key string per call: 100k of them in a
  // large trace); the groups in order of their first call.
  const byName = new Map<string, Map<string, number[]>>();
  const groups: number[][] = [];
  for (const t of r.tools) {
    if (t.arguments === undefined || t.status !== 'succeeded') continue;
    const key = t.argsKey ?? canonical(t.arguments);
    let byArgs = byName.get(t.name);
    if (!byArgs) byName.set(t.name, (byArgs = new Map()));
    const l = byArgs.get(key);
    if (l) l.push(t.index);
    else {
      const g = [t.index];
      byArgs.set(key, g);
      groups.push(g);
    }
  }
  for (const idx of groups) {
    if (idx.length < 2) continue;
    const first = r.tools[idx[0]];
    const later = idx.slice(1).filter((i) => r.tools[i].startedAt >= first.endedAt - 1);
    if (later.length === 0) continue;
    const wasted = later.reduce((s, i) => s + (r.tools[i].endedAt - r.tools[i].startedAt), 0);
    const turns = [...new Set(idx.map((i) => r.tools[i].turn))].filter((k) => k >= 0).map((k) => k + 1);
    out.push({
      code: 'duplicate-call', severity: 'warning', tools: idx, costMs: wasted,
      message: `${first.name}(${clip(JSON.stringify(first.arguments), 60)}) ran ${idx.length} times with the same arguments${turns.length > 0 ? ` (turn${turns.length === 1 ? '' : 's'} ${turns.join(', ')})` : ''} and succeeded each time: the repeats took ${formatMs(wasted)}.`,
      suggestion: 'Reuse the first result (cache by tool name and arguments) or tell the model what it already has.',
    });
  }
}

const NON_IDEMPOTENT = /(create|send|post|write|delete|insert|update|charge|pay|book|order|submit|transfer|email|publish|upload|remove|refund|deploy|commit|push)/i;

function unsafeRetries(r: Rebuilt, flow: FlowFacts, out: Finding[]): void {
  for (const t of r.tools) {
    const prev = flow.retryOf[t.index];
    if (prev < 0 || !NON_IDEMPOTENT.test(t.name)) continue;
    const p = r.tools[prev];
    out.push({
      code: 'retry-not-idempotent', severity: 'warning', tools: [prev, t.index], turn: t.turn >= 0 ? t.turn : undefined,
      message: `${t.name} ${p.status === 'timed-out' ? 'timed out' : 'failed'} and was called again with the same arguments: a ${p.status === 'timed-out' ? 'timeout' : 'failure'} does not prove the first call had no effect, so it may have happened twice.`,
      suggestion: 'Make the call idempotent (an idempotency key the server checks), or check its effect before calling again.',
    });
  }
}

function hangs(r: Rebuilt, out: Finding[]): void {
  if (r.tools.length === 0) return;
  const byName = new Map<string, number[]>();
  for (const t of r.tools) {
    const l = byName.get(t.name);
    const d = t.endedAt - t.startedAt;
    if (l) l.push(d);
    else byName.set(t.name, [d]);
  }
  const all = r.tools.map((t) => t.endedAt - t.startedAt);
  const overall = median(all);
  const typicalOf = new Map<string, number>();
  for (const [name, ds] of byName) typicalOf.set(name, ds.length >= 3 ? median(ds) : overall);
  for (const t of r.tools) {
    const d = t.endedAt - t.startedAt;
    const peers = byName.get(t.name) as number[];
    const typical = typicalOf.get(t.name) as number;
    const hung = t.status === 'unfinished' || (d >= 10_000 && d >= 10 * typical && r.tools.length >= 3);
    if (!hung) continue;
    const what = t.status === 'unfinished' ? `never ended (still running ${formatMs(d)} after it started, when the trace was written)`
      : t.status === 'timed-out' ? `timed out only after ${formatMs(d)}` : `ran for ${formatMs(d)}`;
    out.push({
      code: 'missing-timeout', severity: 'warning', tools: [t.index], turn: t.turn >= 0 ? t.turn : undefined, costMs: Math.max(0, d - typical),
      message: `${t.name} ${what}, while ${peers.length >= 3 ? `other ${t.name} calls` : 'the trace\'s tool calls'} took ${formatMs(typical)} (median): the agent waited for a hang.`,
      suggestion: 'Give the tool a timeout near its normal latency (a few times the median) and retry or report the failure.',
    });
  }
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  // A typed array sorts numbers natively (no comparator calls): 100k durations in a few ms.
  const s = Float64Array.from(xs).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

// The Race mode's data: plans simulated by the real scheduler on a virtual clock. A sample races
// itself: once with maxConcurrency 1 (one tool after another), once under its own caps. A course
// comparison races its two plans, each under its own caps. No vscode import, so the browser test
// races with the same code.
import { analyze } from '../../core/analysis/analyze';
import { simulate } from '../../core/engine/simulate';
import type { RunRecord } from '../../core/engine/types';
import { parsePlan } from '../../core/plan/parse';
import type { Plan } from '../../core/plan/types';
import type { RaceLane, RaceProblem, ViewComparison, ViewRace } from '../../protocol/lessons';
import { raceKey } from '../../protocol/lessons';
import { formatMs } from '../../core/render/format';
import { simulateStream } from '../../core/stream/run';
import { isStreamable } from '../../core/stream/timing';

export type RaceOutcome = { readonly ok: true; readonly race: ViewRace } | { readonly ok: false; readonly message: string };

function read(path: string, text: string): { plan: Plan } | { message: string } {
  const parsed = parsePlan(text, { fileName: path });
  const e = parsed.diagnostics.find((d) => d.severity === 'error');
  if (!parsed.plan || e) return { message: e ? `${path}:${e.line}:${e.column}: ${e.message}` : `${path} could not be read as a plan.` };
  return { plan: parsed.plan };
}

/** The course's referenceCores: cpu-oversubscribed is judged on it, and the cpu tools share that many cores on the clock. */
export interface RaceOptions {
  readonly cores: number;
}

/** Warnings and errors only: an info note (a chain that cannot overlap) is no reason to distrust a time. */
function problemsOf(plan: Plan, options: RaceOptions): RaceProblem[] {
  const seen = new Set<string>();
  const out: RaceProblem[] = [];
  for (const d of analyze(plan, [], { cores: options.cores }).diagnostics) {
    if (d.severity === 'info' || seen.has(d.code)) continue;
    seen.add(d.code);
    out.push({ code: d.code, message: d.message });
  }
  return out;
}

export async function buildSampleRace(path: string, text: string, options: RaceOptions): Promise<RaceOutcome> {
  const r = read(path, text);
  if ('message' in r) return { ok: false, message: r.message };
  const plan = r.plan;
  const [one, capped] = await Promise.all([simulate(plan, { maxConcurrency: 1, cores: options.cores }), simulate(plan, { cores: options.cores })]);
  const cap = plan.maxConcurrency ?? null;
  const name = path.split('/').pop() ?? path;
  return {
    ok: true,
    race: {
      key: raceKey({ kind: 'sample', path }),
      title: `${plan.name} (${name})`,
      caption: 'The same plan twice: every tool waiting for the one before it, then the scheduler starting each tool as soon as its dependencies are done and a slot is free.',
      lanes: [
        lane('One at a time (maxConcurrency 1)', 1, one, problemsOf({ ...plan, maxConcurrency: 1 }, options)),
        lane(cap === null ? 'Scheduler, no global cap' : `Scheduler, maxConcurrency ${cap}`, cap, capped, problemsOf(plan, options)),
      ],
    },
  };
}

export async function buildComparisonRace(c: ViewComparison, leftText: string, rightText: string, options: RaceOptions): Promise<RaceOutcome> {
  const l = read(c.left.path, leftText);
  if ('message' in l) return { ok: false, message: l.message };
  const r = read(c.right.path, rightText);
  if ('message' in r) return { ok: false, message: r.message };
  const [a, b] = await Promise.all([run(c.left, l.plan, options), run(c.right, r.plan, options)]);
  if ('message' in a) return { ok: false, message: a.message };
  if ('message' in b) return { ok: false, message: b.message };
  const label = (side: ViewComparison['left'], plan: Plan) => `${side.label} — ${side.path.split('/').pop() ?? side.path}${side.stream ? ` (${side.stream})` : ''}${plan.maxConcurrency !== undefined ? ` (maxConcurrency ${plan.maxConcurrency})` : ''}`;
  return {
    ok: true,
    race: {
      key: raceKey({ kind: 'comparison', id: c.id }),
      title: c.title,
      caption: c.caption,
      lanes: [
        lane(label(c.left, l.plan), l.plan.maxConcurrency ?? null, a.record, [...problemsOf(l.plan, options), ...a.problems], a.stream),
        lane(label(c.right, r.plan), r.plan.maxConcurrency ?? null, b.record, [...problemsOf(r.plan, options), ...b.problems], b.stream),
      ],
    },
  };
}

interface SideRun {
  readonly record: RunRecord;
  readonly problems: readonly RaceProblem[];
  readonly stream?: RaceLane['stream'];
}

/**
 * A side on the race's one clock: a streamed side under its policy (the stream starts at 0, as
 * `fanout simulate --stream-policy` runs it), any other under its own caps. Waiting for the end is
 * the habit step 10 teaches against, so its lane carries that as a problem and is drawn flagged.
 */
async function run(side: ViewComparison['left'], plan: Plan, options: RaceOptions): Promise<SideRun | { message: string }> {
  if (!side.stream) return { record: await simulate(plan, { cores: options.cores }), problems: [] };
  if (!isStreamable(plan)) return { message: `${side.path} is not a stream, so it has no stream policy: remove 'stream: ${side.stream}' from its race side.` };
  const record = await simulateStream(plan, { policy: side.stream, cores: options.cores });
  const stream = { endMs: record.stream.endMs, policy: side.stream };
  if (side.stream !== 'wait-for-end') return { record, problems: [], stream };
  const closed = record.tools.map((t) => t.readyAt).filter((x): x is number => typeof x === 'number' && x < record.stream.endMs);
  const who = closed.length === record.tools.length ? 'every call had closed its arguments' : closed.length === 1 ? '1 call had closed its arguments' : `${closed.length} calls had closed their arguments`;
  const first = Math.min(...closed), last = Math.max(...closed);
  const early = closed.length > 0 ? `, though ${who} by ${formatMs(last)}${first < last ? ` (the first at ${formatMs(first)})` : ''}` : '';
  return {
    record, stream,
    problems: [{ code: 'wait-for-end', message: `No call starts before the stream ends at ${formatMs(record.stream.endMs)}${early}: the turn pays for the whole stream, then for the calls.` }],
  };
}

function lane(label: string, cap: number | null, record: RunRecord, problems: readonly RaceProblem[], stream?: RaceLane['stream']): RaceLane {
  return {
    label,
    cap,
    problems,
    ...(stream ? { stream } : {}),
    makespanMs: record.makespanMs,
    bars: record.tools
      .filter((t) => t.startedAt !== null && t.endedAt !== null)
      .map((t) => ({ id: t.id, start: t.startedAt as number, end: t.endedAt as number, status: t.status })),
  };
}

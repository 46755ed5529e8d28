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
  const [a, b] = await Promise.all([simulate(l.plan, { cores: options.cores }), simulate(r.plan, { cores: options.cores })]);
  const label = (side: { label: string; path: string }, plan: Plan) => `${side.label} — ${side.path.split('/').pop() ?? side.path}${plan.maxConcurrency !== undefined ? ` (maxConcurrency ${plan.maxConcurrency})` : ''}`;
  return {
    ok: true,
    race: {
      key: raceKey({ kind: 'comparison', id: c.id }),
      title: c.title,
      caption: c.caption,
      lanes: [
        lane(label(c.left, l.plan), l.plan.maxConcurrency ?? null, a, problemsOf(l.plan, options)),
        lane(label(c.right, r.plan), r.plan.maxConcurrency ?? null, b, problemsOf(r.plan, options)),
      ],
    },
  };
}

function lane(label: string, cap: number | null, record: RunRecord, problems: readonly RaceProblem[]): RaceLane {
  return {
    label,
    cap,
    problems,
    makespanMs: record.makespanMs,
    bars: record.tools
      .filter((t) => t.startedAt !== null && t.endedAt !== null)
      .map((t) => ({ id: t.id, start: t.startedAt as number, end: t.endedAt as number, status: t.status })),
  };
}

// Grading an exercise: the learner's plan text against the exercise's goal, with the analyzer and
// a makespan prediction. Messages are for a learner looking at the editor: what is still wrong and
// where to look, never an internal code alone.
import { toolDuration } from '../analysis/durations';
import { canonical } from '../analysis/rules/duplicates';
import type { Analysis, Graph } from '../analysis/types';
import { parsePlan } from '../plan/parse';
import { referencedIds } from '../plan/references';
import type { Diagnostic, DiagnosticCode, JsonValue, Plan } from '../plan/types';
import { writeTargetKey } from '../plan/writeTarget';
import { analyzeForGrading, predictedMakespanMs } from './makespan';
import type { PlanExercise } from './types';

/** 'test': one hidden test of a code exercise (src/core/lessons/code/run.ts); the others grade plans. */
export type GradeCheckKind = 'valid' | 'keep-tool' | 'keep-writes' | 'keep-args' | 'keep-kinds' | 'keep-resources' | 'keep-durations' | 'remove-tool' | 'no-new-tools' | 'must-not-have' | 'max-concurrency' | 'limit' | 'dependency' | 'timeout' | 'merged-writes' | 'makespan' | 'test';

export interface GradeCheck {
  readonly kind: GradeCheckKind;
  /** What is checked, e.g. "No unbounded-concurrency warning". */
  readonly label: string;
  readonly passed: boolean;
  /** Why it passed or failed, in plain words. */
  readonly message: string;
  /** Where to look, when the check points at a place in the plan. */
  readonly line?: number;
  readonly column?: number;
}

export interface GradeResult {
  readonly passed: boolean;
  readonly checks: readonly GradeCheck[];
  /** The hint to offer next (index into exercise.hints), or null when passed or all are shown. */
  readonly nextHint: number | null;
  /** Predicted makespan of the learner's plan, when it is valid. */
  readonly makespanMs?: number;
  /** Every diagnostic of the learner's plan, for display beside the checks. */
  readonly diagnostics: readonly Pick<Diagnostic, 'code' | 'severity' | 'message' | 'line' | 'column' | 'lesson'>[];
}

export interface GradeOptions {
  /** Shown in messages and used to tell JSON from YAML. Default: the exercise's starting file name. */
  readonly fileName?: string;
  /** How many hints the learner has already seen. */
  readonly hintsRevealed?: number;
  /** Cores assumed for cpu-oversubscribed. Default 4, so grades do not depend on the machine. */
  readonly cores?: number;
}

export async function gradeExercise(exercise: PlanExercise, planText: string, options: GradeOptions = {}): Promise<GradeResult> {
  const fileName = options.fileName ?? exercise.start;
  const nextHintIfFailed = Math.min(Math.max(0, options.hintsRevealed ?? 0), exercise.hints.length);
  const nextHint = (passed: boolean): number | null => (passed || nextHintIfFailed >= exercise.hints.length ? null : nextHintIfFailed);
  const parsed = parsePlan(planText, { fileName });
  const analysis = parsed.plan ? analyzeForGrading(parsed.plan, parsed.diagnostics, { cores: options.cores ?? 4, text: planText }) : undefined;
  const diagnostics = (analysis?.diagnostics ?? parsed.diagnostics).map((d) => ({ code: d.code, severity: d.severity, message: d.message, line: d.line, column: d.column, lesson: d.lesson }));
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!analysis || !analysis.valid || !analysis.graph) {
    const first = errors[0];
    const check: GradeCheck = {
      kind: 'valid', label: 'The plan is valid', passed: false,
      message: first ? `The plan has ${errors.length} error${errors.length > 1 ? 's' : ''}; fix ${errors.length > 1 ? 'them' : 'it'} first. Line ${first.line}: ${first.message}` : 'The plan could not be read.',
      ...(first ? { line: first.line, column: first.column } : {}),
    };
    return { passed: false, checks: [check], nextHint: nextHint(false), diagnostics };
  }
  const { plan, graph } = analysis;
  const checks: GradeCheck[] = [{ kind: 'valid', label: 'The plan is valid', passed: true, message: 'The plan parses and has no errors.' }];
  const goal = exercise.goal;
  const ids = new Set(plan.tools.map((t) => t.id));

  // One check for all the tools to keep (not one line per tool: six identical rows drown the rest).
  if (goal.mustKeepTools.length > 0) {
    const gone = goal.mustKeepTools.filter((id) => !ids.has(id));
    const n = goal.mustKeepTools.length;
    const quoted = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(', ');
    const list = (xs: readonly string[]) => (xs.length <= 6 ? quoted(xs) : `${quoted(xs.slice(0, 5))} and ${xs.length - 5} more`);
    checks.push({
      kind: 'keep-tool', label: n === 1 ? `Tool '${goal.mustKeepTools[0]}' is still in the plan` : `All ${n} tools are still in the plan`, passed: gone.length === 0,
      message: gone.length === 0 ? (n === 1 ? `'${goal.mustKeepTools[0]}' is kept.` : `Kept: ${list(goal.mustKeepTools)}.`)
        : `${list(gone)} ${gone.length === 1 ? 'is' : 'are'} gone. The task is to schedule ${gone.length === 1 ? 'this call' : 'these calls'} safely, not to remove ${gone.length === 1 ? 'it' : 'them'}: put ${gone.length === 1 ? 'it' : 'them'} back.`,
    });
  }
  for (const id of goal.mustKeepWrites ?? []) checks.push(keepWritesCheck(plan, id));
  for (const [id, args] of Object.entries(goal.mustKeepArgs ?? {})) checks.push(keepArgsCheck(plan, id, args));
  for (const [kind, tools] of Object.entries(goal.mustKeepKinds ?? {})) if (tools) checks.push(keepKindsCheck(plan, kind, tools));
  for (const [resource, tools] of Object.entries(goal.mustKeepResources ?? {})) checks.push(keepResourcesCheck(plan, resource, tools));
  for (const id of goal.mustRemoveTools ?? []) checks.push(removeToolCheck(plan, id));
  if (goal.noNewTools && goal.startTools) checks.push(noNewToolsCheck(plan, goal.startTools));
  if (goal.mustKeepDurations && Object.keys(goal.mustKeepDurations).length > 0) checks.push(keepDurationsCheck(plan, goal.mustKeepDurations));
  for (const code of goal.mustNotHave) checks.push(mustNotHave(analysis, code));
  const mh = goal.mustHave;
  if (mh.maxConcurrency) checks.push(maxConcurrencyCheck(plan, mh.maxConcurrency));
  for (const [resource, max] of Object.entries(mh.limits ?? {})) {
    const v = Object.prototype.hasOwnProperty.call(plan.limits, resource) ? plan.limits[resource] : undefined;
    const ok = v !== undefined && v <= max;
    checks.push({
      kind: 'limit', label: `Resource '${resource}' is limited to at most ${max} at once`, passed: ok,
      message: v === undefined ? `There is no limit for '${resource}'. Add "limits": { "${resource}": ${max} } (or lower).`
        : ok ? `'${resource}' is limited to ${v}.` : `'${resource}' is limited to ${v}, more than the ${max} it can take.`,
    });
  }
  for (const [from, to] of mh.dependencies ?? []) {
    const ok = ids.has(from) && ids.has(to) && dependsOn(graph, to, from);
    checks.push({
      kind: 'dependency', label: `'${to}' runs after '${from}'`, passed: ok,
      message: ok ? `'${to}' waits for '${from}'.` : !ids.has(from) || !ids.has(to) ? `Both '${from}' and '${to}' must be in the plan.`
        : `'${to}' may start before '${from}' has finished: nothing in dependsOn orders them.`,
      ...(ids.has(to) ? lineOf(plan, to) : {}),
    });
  }
  for (const id of mh.timeouts ?? []) checks.push(timeoutCheck(plan, id, mh.maxTimeoutMs));
  for (const [target, sources] of Object.entries(mh.mergedWrites ?? {})) checks.push(mergedWritesCheck(plan, graph, target, sources));
  let makespanMs: number | undefined;
  if (goal.maxMakespanMs !== undefined) {
    makespanMs = predictedMakespanMs(analysis);
    const ok = makespanMs <= goal.maxMakespanMs;
    checks.push({
      kind: 'makespan', label: `Finishes within ${goal.maxMakespanMs} ms`, passed: ok,
      message: ok ? `Predicted makespan ${Math.round(makespanMs)} ms, within the ${goal.maxMakespanMs} ms target.`
        : `Predicted makespan ${Math.round(makespanMs)} ms, over the ${goal.maxMakespanMs} ms target (critical path ${Math.round(analysis.criticalPath.ms)} ms: ${analysis.criticalPath.tools.join(' → ')}).`,
    });
  } else {
    makespanMs = predictedMakespanMs(analysis);
  }
  const passed = checks.every((c) => c.passed);
  return { passed, checks, nextHint: nextHint(passed), makespanMs, diagnostics };
}

function mustNotHave(analysis: Analysis, code: DiagnosticCode): GradeCheck {
  const found = analysis.diagnostics.filter((d) => d.code === code);
  if (found.length === 0) return { kind: 'must-not-have', label: `No ${code} diagnostic`, passed: true, message: `No ${code} reported.` };
  const d = found[0];
  return {
    kind: 'must-not-have', label: `No ${code} diagnostic`, passed: false,
    message: `Still reported at line ${d.line}: ${d.message}${found.length > 1 ? ` (and ${found.length - 1} more)` : ''}`,
    line: d.line, column: d.column,
  };
}

function maxConcurrencyCheck(plan: Plan, range: { readonly min?: number; readonly max?: number }): GradeCheck {
  const v = plan.maxConcurrency;
  const want = range.min !== undefined && range.max !== undefined ? `between ${range.min} and ${range.max}` : range.max !== undefined ? `at most ${range.max}` : range.min !== undefined ? `at least ${range.min}` : 'set';
  const label = `maxConcurrency is ${want}`;
  if (v === undefined) return { kind: 'max-concurrency', label, passed: false, message: `The plan sets no maxConcurrency, so every ready tool starts at once. Set it ${want === 'set' ? '' : `to a value ${want}`}.`.replace(' .', '.') };
  const ok = (range.min === undefined || v >= range.min) && (range.max === undefined || v <= range.max);
  return {
    kind: 'max-concurrency', label, passed: ok,
    message: ok ? `maxConcurrency is ${v}.` : range.max !== undefined && v > range.max ? `maxConcurrency ${v} is more than the ${range.max} the downstream service takes.` : `maxConcurrency ${v} is so low the batch barely overlaps; allow at least ${range.min}.`,
  };
}

function timeoutCheck(plan: Plan, id: string, maxTimeoutMs: number | undefined): GradeCheck {
  const t = plan.tools.find((x) => x.id === id);
  const label = `'${id}' has a timeout${maxTimeoutMs !== undefined ? ` of at most ${maxTimeoutMs} ms` : ''}`;
  if (!t) return { kind: 'timeout', label, passed: false, message: `'${id}' is not in the plan.` };
  const v = t.timeoutMs ?? plan.defaults.timeoutMs;
  if (v === undefined) return { kind: 'timeout', label, passed: false, message: `'${id}' can wait forever: give it "timeoutMs" (or set defaults.timeoutMs).`, ...lineOf(plan, id) };
  const ok = maxTimeoutMs === undefined || v <= maxTimeoutMs;
  return {
    kind: 'timeout', label, passed: ok,
    message: ok ? `'${id}' gives up after ${v} ms.` : `'${id}' waits up to ${v} ms; a hung call should be abandoned within ${maxTimeoutMs} ms.`,
    ...lineOf(plan, id),
  };
}

// Deleting a tool's `writes` makes write-conflict go quiet; the tool still writes the same file.
function keepWritesCheck(plan: Plan, id: string): GradeCheck {
  const t = plan.tools.find((x) => x.id === id);
  const label = `'${id}' still declares what it writes`;
  if (!t) return { kind: 'keep-writes', label, passed: false, message: `'${id}' is not in the plan.` };
  const ok = t.writes.length > 0;
  return {
    kind: 'keep-writes', label, passed: ok,
    message: ok ? `'${id}' writes ${t.writes.join(', ')}.`
      : `'${id}' no longer declares "writes", but it still writes a file: deleting the declaration only hides the race from the analyzer. Put "writes" back (its own file, or the shared one with an ordering that merges).`,
    ...lineOf(plan, id),
  };
}

// Changing what a call does (POST → PUT) can silence a warning without making the call safe.
function keepArgsCheck(plan: Plan, id: string, args: Readonly<Record<string, JsonValue>>): GradeCheck {
  const t = plan.tools.find((x) => x.id === id);
  const shown = Object.entries(args).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ');
  const label = `'${id}' keeps ${shown}`;
  if (!t) return { kind: 'keep-args', label, passed: false, message: `'${id}' is not in the plan.` };
  const changed = Object.entries(args).filter(([k, v]) => !sameArg(t.args[k], v));
  if (changed.length === 0) return { kind: 'keep-args', label, passed: true, message: `'${id}' still has ${shown}.`, ...lineOf(plan, id) };
  const [k, v] = changed[0];
  const now = t.args[k];
  return {
    kind: 'keep-args', label, passed: false,
    message: `'${id}' has ${k} ${now === undefined ? 'removed' : `${typeof now === 'string' ? now : JSON.stringify(now)}`} instead of ${typeof v === 'string' ? v : JSON.stringify(v)}. ` +
      `The server decides what a request does, not the plan: the same endpoint still creates one record per request, so changing ${k} only hides the problem from the analyzer. Put it back and make the call safe to repeat, or stop retrying it.`,
    ...lineOf(plan, id),
  };
}

/** "'a', 'b', 'c', 'd', 'e' and 3 more": a long list of tools stays one line. */
function toolList(ids: readonly string[]): string {
  const quoted = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(', ');
  return ids.length <= 6 ? quoted(ids) : `${quoted(ids.slice(0, 5))} and ${ids.length - 5} more`;
}

// Relabelling CPU work as `simulate` makes cpu-oversubscribed go quiet; the work still needs the cores.
function keepKindsCheck(plan: Plan, kind: string, tools: readonly string[]): GradeCheck {
  const byId = new Map(plan.tools.map((t) => [t.id, t]));
  const label = tools.length === 1 ? `'${tools[0]}' is still a ${kind} tool` : `All ${tools.length} ${kind} tools keep kind ${kind}`;
  const gone = tools.filter((id) => !byId.has(id));
  const changed = tools.filter((id) => byId.has(id) && byId.get(id)?.kind !== kind);
  if (gone.length === 0 && changed.length === 0) return { kind: 'keep-kinds', label, passed: true, message: `${toolList(tools)} ${tools.length === 1 ? 'is' : 'are'} still kind ${kind}.` };
  if (changed.length === 0) return { kind: 'keep-kinds', label, passed: false, message: `${toolList(gone)} ${gone.length === 1 ? 'is' : 'are'} not in the plan.` };
  const first = byId.get(changed[0]);
  return {
    kind: 'keep-kinds', label, passed: false,
    message: `${toolList(changed)} ${changed.length === 1 ? 'is' : 'are'} now kind ${first?.kind ?? '?'} instead of ${kind}. The kind says what the work is, and the work is the same: relabelling it only hides it from the analyzer. Put "kind": "${kind}" back and schedule ${changed.length === 1 ? 'it' : 'them'}.`,
    ...lineOf(plan, changed[0]),
  };
}

// A limit applies only to the tools that name its resource: with `resource` removed or renamed on
// some of them, those calls reach the service with no cap at all (README, the `limits` and `resource` rows).
function keepResourcesCheck(plan: Plan, resource: string, tools: readonly string[]): GradeCheck {
  const byId = new Map(plan.tools.map((t) => [t.id, t]));
  const label = tools.length === 1 ? `'${tools[0]}' still names resource '${resource}'` : `All ${tools.length} tools still name resource '${resource}'`;
  const gone = tools.filter((id) => !byId.has(id));
  const off = tools.filter((id) => byId.has(id) && byId.get(id)?.resource !== resource);
  if (gone.length === 0 && off.length === 0) return { kind: 'keep-resources', label, passed: true, message: `${toolList(tools)} ${tools.length === 1 ? 'names' : 'name'} '${resource}', so its limit applies to ${tools.length === 1 ? 'it' : 'all of them'}.` };
  if (off.length === 0) return { kind: 'keep-resources', label, passed: false, message: `${toolList(gone)} ${gone.length === 1 ? 'is' : 'are'} not in the plan.` };
  const renamed = off.filter((id) => byId.get(id)?.resource !== undefined);
  const s = off.length === 1 ? 's' : '';
  const how = renamed.length === off.length
    ? `name${s} ${off.length === 1 ? `'${byId.get(off[0])?.resource}'` : 'other resources'} instead of '${resource}'`
    : `no longer name${s} resource '${resource}'`;
  return {
    kind: 'keep-resources', label, passed: false,
    message: `${toolList(off)} ${how}. A limit applies only to the tools that name its resource, so ${off.length === 1 ? 'this call reaches' : 'these calls reach'} the service with no cap: the limit then holds nothing back. Put "resource": "${resource}" back on ${off.length === 1 ? 'it' : 'them'}.`,
    ...lineOf(plan, off[0]),
  };
}

// The durations are facts of the scenario (how long each service takes): with shorter simulated
// calls any schedule, even a cap of 1, meets the time target.
function keepDurationsCheck(plan: Plan, durations: Readonly<Record<string, number>>): GradeCheck {
  const byId = new Map(plan.tools.map((t) => [t.id, t]));
  const ids = Object.keys(durations);
  const label = ids.length === 1 ? `'${ids[0]}' still takes ${durations[ids[0]]} ms` : `All ${ids.length} tools keep their durations`;
  const shortened = ids.filter((id) => { const t = byId.get(id); return t !== undefined && toolDuration(t) < durations[id]; });
  if (shortened.length === 0) return { kind: 'keep-durations', label, passed: true, message: ids.length === 1 ? `'${ids[0]}' takes ${durations[ids[0]]} ms or more.` : 'Every call takes as long as in the scenario.' };
  const first = byId.get(shortened[0]);
  const each = shortened.slice(0, 3).map((id) => { const t = byId.get(id); return `'${id}' ${t ? toolDuration(t) : 0} ms instead of ${durations[id]} ms`; }).join(', ');
  return {
    kind: 'keep-durations', label, passed: false,
    message: `${shortened.length === 1 ? 'One call is' : `${shortened.length} calls are`} shorter than in the scenario: ${each}${shortened.length > 3 ? ` and ${shortened.length - 3} more` : ''}. How long a service takes is not yours to change; the task is to schedule the calls as they are. Put the durations back.`,
    ...(first ? lineOf(plan, first.id) : {}),
  };
}

// Renaming an argument of a repeated call keeps duplicate-call quiet; the work is still done twice.
function removeToolCheck(plan: Plan, id: string): GradeCheck {
  const t = plan.tools.find((x) => x.id === id);
  const label = `'${id}' is gone (it repeats another call)`;
  if (!t) return { kind: 'remove-tool', label, passed: true, message: `'${id}' is removed.` };
  // Under dedupe an exact twin runs once, sharing the other call's result: the repeat is gone.
  // As the engine decides (engine/execute.ts): simulated and cpu tools are twins only with one label.
  const named = t.kind === 'simulate' || t.kind === 'cpu';
  const twin = plan.dedupe ? plan.tools.find((o) => o !== t && o.kind === t.kind && (!named || o.label === t.label) && canonical(o.args) === canonical(t.args)) : undefined;
  if (twin) return { kind: 'remove-tool', label, passed: true, message: `'${id}' stays, but with "dedupe": true it runs once and shares the result of '${twin.id}'.`, ...lineOf(plan, id) };
  return {
    kind: 'remove-tool', label, passed: false,
    message: `'${id}' is still in the plan, and it repeats another tool's call, so the work is done twice (an argument spelled differently would only hide the repeat from the analyzer). Remove it and point what depends on it at the call it repeats.`,
    ...lineOf(plan, id),
  };
}

/** Every tool id must be one of the starting plan's: a renamed copy of a call escapes mustRemoveTools. */
function noNewToolsCheck(plan: Plan, startTools: readonly string[]): GradeCheck {
  const start = new Set(startTools);
  const added = plan.tools.filter((t) => !start.has(t.id));
  const label = 'Every tool comes from the starting plan';
  if (added.length === 0) return { kind: 'no-new-tools', label, passed: true, message: 'No tool was added or renamed.' };
  const names = added.map((t) => `'${t.id}'`).join(', ');
  const one = added.length === 1;
  return {
    kind: 'no-new-tools', label, passed: false,
    message: `${names} ${one ? 'is' : 'are'} not in the starting plan. Fix the calls that are there rather than adding new ones: a renamed copy of a call (with an argument changed) still does the work again. Remove ${one ? 'it' : 'them'}, or give back the original id.`,
    ...lineOf(plan, added[0].id),
  };
}

function sameArg(a: JsonValue | undefined, b: JsonValue): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.trim().toLowerCase() === b.trim().toLowerCase();
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The target must end up holding every source's output. Its last writer (no other writer of the
 * target waits for it) decides the content: it must be a source or carry the sources' outputs
 * through `${id.output}` references (directly or via the tools it references). Two writers in a
 * chain that each overwrite the file are race-free and still lose the first update.
 */
function mergedWritesCheck(plan: Plan, graph: Graph, target: string, sources: readonly string[]): GradeCheck {
  const label = `${target} ends up with the output of ${sources.map((s) => `'${s}'`).join(' and ')}`;
  const key = writeTargetKey(target);
  const writers = plan.tools.filter((t) => t.writes.some((w) => writeTargetKey(w) === key));
  if (writers.length === 0) {
    return { kind: 'merged-writes', label, passed: false, message: `No tool declares that it writes ${target} any more, but the file is still what the plan produces. Keep a tool that writes it.` };
  }
  const last = writers.filter((w) => !writers.some((o) => o !== w && dependsOn(graph, o.id, w.id)));
  if (last.length > 1) {
    return {
      kind: 'merged-writes', label, passed: false,
      message: `${last.map((w) => `'${w.id}'`).join(' and ')} may each write ${target} last: nothing orders them, so the file holds whichever finishes last. Order them, or give each its own file and merge.`,
      ...lineOf(plan, last[0].id),
    };
  }
  const final = last[0];
  const carried = carriedOutputs(plan, final.id);
  const lost = sources.filter((s) => !carried.has(s));
  if (lost.length === 0) return { kind: 'merged-writes', label, passed: true, message: `'${final.id}' writes ${target} last, with the output of ${sources.map((s) => `'${s}'`).join(' and ')}.`, ...lineOf(plan, final.id) };
  const overwritten = lost.filter((s) => writers.some((w) => w.id === s));
  return {
    kind: 'merged-writes', label, passed: false,
    message: overwritten.length > 0
      ? `'${final.id}' writes ${target} after ${overwritten.map((s) => `'${s}'`).join(' and ')} and replaces what ${overwritten.length === 1 ? 'it' : 'they'} wrote: the order is fixed, but the update is still lost. Make the later writer append or merge — use \${${overwritten[0]}.output} in what it writes — or write separate files and merge them in one step.`
      : `'${final.id}' writes ${target} last, but nothing of ${lost.map((s) => `'${s}'`).join(' and ')} reaches it: ${target} would not contain ${lost.length === 1 ? 'its' : 'their'} output. Have the last writer use \${${lost[0]}.output}.`,
    ...lineOf(plan, final.id),
  };
}

/** The tools whose output flows into `id`'s own output: itself and, through references, transitively. */
function carriedOutputs(plan: Plan, id: string): Set<string> {
  const byId = new Map(plan.tools.map((t) => [t.id, t]));
  const out = new Set<string>();
  const stack = [id];
  while (stack.length > 0) {
    const v = stack.pop() as string;
    if (out.has(v)) continue;
    out.add(v);
    const t = byId.get(v);
    if (t) for (const r of referencedIds(t.args)) if (!out.has(r)) stack.push(r);
  }
  return out;
}

function lineOf(plan: Plan, id: string): { line?: number; column?: number } {
  const t = plan.tools.find((x) => x.id === id);
  return t ? { line: t.ranges.tool.line, column: t.ranges.tool.column } : {};
}

/** Does `to` (transitively) depend on `from`? Walks predecessors from `to`. */
function dependsOn(graph: Graph, to: string, from: string): boolean {
  const target = graph.indexOf.get(from);
  const start = graph.indexOf.get(to);
  if (target === undefined || start === undefined) return false;
  const seen = new Uint8Array(graph.ids.length);
  const stack = [start];
  while (stack.length > 0) {
    const v = stack.pop() as number;
    for (const p of graph.preds[v]) {
      if (p === target) return true;
      if (!seen[p]) {
        seen[p] = 1;
        stack.push(p);
      }
    }
  }
  return false;
}

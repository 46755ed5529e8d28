// Cross-checks over the whole course: ids unique, links resolve, every sample plan parses and shows
// exactly the diagnostics it is meant to show, every diagnostic code has its lesson, and every
// exercise is solvable (its reference solution passes, its starting plan does not). Pure: works on
// the file texts the loader read.
import { analyze } from '../analysis/analyze';
import { parsePlan } from '../plan/parse';
import { isStreamable } from '../stream/timing';
import { DIAGNOSTIC_LESSONS } from '../plan/lessonIds';
import { bodySections, DIAGNOSTIC_SECTIONS, sectionText } from './sections';
import { gradeExercise } from './grade';
import type { Course, CourseError, CourseFiles, SourceLocation } from './types';

/** `[text](step:id)`: how course Markdown links to another step. */
export const STEP_LINK = /\]\(step:([^)\s]*)\)/g;
/** Any Markdown link target; only step:, https: and http: links make sense inside a webview. */
const ANY_LINK = /\]\(([^)\s]*)\)/g;
const ALLOWED_LINK = /^(step:|https?:\/\/)/;
const PLAN_FILE = /\.toolplan\.(json|ya?ml)$/i;

export async function validateCourse(course: Course, files: CourseFiles): Promise<CourseError[]> {
  const errors: CourseError[] = [];
  const err = (at: SourceLocation | { file: string }, message: string): void => {
    errors.push({ ...at, message });
  };
  const stepIds = new Set(course.steps.map((s) => s.id));

  unique(course.steps.map((s) => ({ id: s.id, at: s.at })), 'step', err);
  unique(course.quiz.map((q) => ({ id: q.id, at: q.at })), 'question', err);
  unique(course.exercises.map((e) => ({ id: e.id, at: e.at })), 'exercise', err);
  unique(course.flashcards.map((f) => ({ id: f.id, at: f.at })), 'flashcard', err);
  unique(course.comparisons.map((c) => ({ id: c.id, at: c.at })), 'comparison', err);

  for (const [code, stepId] of Object.entries(DIAGNOSTIC_LESSONS)) {
    if (!stepIds.has(stepId)) err({ file: `${course.dir}/course.yaml` }, `diagnostic '${code}' links to step '${stepId}' (src/core/plan/lessonIds.ts), but no step has that id: add the step or fix the mapping`);
    const step = course.steps.find((s) => s.id === stepId);
    const section = DIAGNOSTIC_SECTIONS[code as keyof typeof DIAGNOSTIC_SECTIONS];
    if (step && !bodySections(step.body).has(section)) {
      err({ file: step.file }, `diagnostic '${code}' lands on section '${section}' (src/core/lessons/sections.ts), but step '${stepId}' has no heading with that slug: fix the slug or the heading (slugs: ${[...bodySections(step.body)].join(', ')})`);
    } else if (step && !(sectionText(step.body, section) ?? '').includes(`\`${code}\``)) {
      // "Learn why" must land on text that explains the code, not merely on an existing heading.
      err({ file: step.file }, `diagnostic '${code}' lands on section '${section}' of step '${stepId}', but that section never names \`${code}\`: explain the code there, or point it at the section that does (src/core/lessons/sections.ts)`);
    }
  }

  const links = (text: string, at: SourceLocation, firstLine = at.line): void => {
    for (const m of text.matchAll(ANY_LINK)) {
      if (ALLOWED_LINK.test(m[1])) continue;
      const line = firstLine + countLines(text, m.index ?? 0);
      err({ file: at.file, line, column: 1 }, `link '${m[1]}' cannot be followed in the lessons view: link to another step with (step:id), or to the web with https://`);
    }
    for (const m of text.matchAll(STEP_LINK)) {
      const target = m[1];
      if (stepIds.has(target)) continue;
      const line = firstLine + countLines(text, m.index ?? 0);
      err({ file: at.file, line, column: 1 }, `link to step '${target}' does not resolve: no step has that id${suggest(target, stepIds)}`);
    }
  };

  for (const step of course.steps) {
    links(step.body, step.at, step.bodyLine);
    links(step.predict.prompt, step.predict.at);
    links(step.predict.explanation, step.predict.at);
    for (const sample of step.samples) checkSample(course, files, sample, err);
  }
  for (const q of course.quiz) {
    if (!stepIds.has(q.step)) err(q.at, `question '${q.id}' belongs to step '${q.step}', which does not exist${suggest(q.step, stepIds)}`);
    for (const t of [q.prompt, q.explanation, q.hint]) links(t, q.at);
  }
  for (const f of course.flashcards) {
    if (!stepIds.has(f.step)) err(f.at, `flashcard '${f.id}' belongs to step '${f.step}', which does not exist${suggest(f.step, stepIds)}`);
    links(f.back, f.at);
  }
  const samplePaths = new Set(course.steps.flatMap((s) => s.samples.map((x) => x.path)));
  for (const c of course.comparisons) {
    if (!stepIds.has(c.step)) err(c.at, `comparison '${c.id}' belongs to step '${c.step}', which does not exist${suggest(c.step, stepIds)}`);
    for (const side of [c.left, c.right]) {
      // Only step samples: they are the plans whose diagnostics the validator has pinned down.
      if (!samplePaths.has(side.path)) err(c.at, `comparison '${c.id}' races '${side.path}', which is not a sample of any step; list it under a step's samples first`);
      // A policy says when a stream's calls start: a plan that is not a stream has no such choice.
      const text = side.stream ? files.get(side.path) : undefined;
      const plan = text !== undefined ? parsePlan(text, { fileName: side.path }).plan : undefined;
      if (side.stream && plan && !isStreamable(plan)) err(c.at, `comparison '${c.id}' runs '${side.path}' under stream: ${side.stream}, but that plan is not a stream (a recorded *-stream file or an LLMCompiler plan); remove 'stream' or race a streamed sample`);
    }
    if (c.left.path === c.right.path && c.left.stream === c.right.stream) err(c.at, `comparison '${c.id}' races a plan against itself${c.left.stream ? ' under one stream policy' : ''}`);
  }
  for (const ex of course.exercises) {
    if (!stepIds.has(ex.step)) err(ex.at, `exercise '${ex.id}' belongs to step '${ex.step}', which does not exist${suggest(ex.step, stepIds)}`);
    links(ex.brief, ex.at);
    if (ex.kind === 'code') {
      // The tests run in a child process (node, python3): the unit tests run every reference and
      // wrong solution (test/unit/lessons/codeExercises.test.ts); here, what needs no process.
      const start = files.get(ex.start);
      if (start !== undefined && start === files.get(ex.solution)) err({ file: ex.start }, `the starting file of exercise '${ex.id}' is its reference solution: give the learner something to write`);
      for (const w of ex.wrong) if (files.get(w) === files.get(ex.solution)) err({ file: w }, `the wrong solution '${w}' of exercise '${ex.id}' is the reference solution itself`);
      if (ex.wrong.length === 0) err(ex.at, `exercise '${ex.id}' lists no 'wrong' solutions: add at least one typical mistake the tests must catch`);
      continue;
    }
    const start = files.get(ex.start);
    const solution = files.get(ex.solution);
    if (start === undefined || solution === undefined) continue; // reported by the parser
    const solved = await gradeExercise(ex, solution, { fileName: ex.solution, cores: course.referenceCores });
    if (!solved.passed) {
      const failing = solved.checks.filter((c) => !c.passed).map((c) => `${c.label}: ${c.message}`).join('; ');
      err({ file: ex.solution }, `the reference solution of exercise '${ex.id}' does not pass its own goal: ${failing}`);
    }
    const unsolved = await gradeExercise(ex, start, { fileName: ex.start, cores: course.referenceCores });
    if (unsolved.passed) err({ file: ex.start }, `the starting plan of exercise '${ex.id}' already passes its goal: there is nothing for the learner to fix`);
    else if (!unsolved.checks[0].passed) err({ file: ex.start }, `the starting plan of exercise '${ex.id}' is not a valid plan (${unsolved.checks[0].message}); start from a plan that runs but is wrong or slow`);
    // A tool to remove that the start lacks is a typo: its check would pass for every plan.
    const startIds = new Set(parsePlan(start, { fileName: ex.start }).plan?.tools.map((t) => t.id) ?? []);
    for (const id of ex.goal.mustRemoveTools ?? []) {
      if (!startIds.has(id)) err(ex.at, `exercise '${ex.id}' must remove '${id}', but its starting plan has no tool '${id}'${suggest(id, startIds)}`);
    }
  }
  return errors;
}

function checkSample(course: Course, files: CourseFiles, sample: Course['steps'][number]['samples'][number], err: (at: SourceLocation, message: string) => void): void {
  const text = files.get(sample.path);
  if (!PLAN_FILE.test(sample.path)) {
    err(sample.at, `sample '${sample.path}' must be a plan file named *.toolplan.json or *.toolplan.yaml`);
    return;
  }
  if (text === undefined) {
    err(sample.at, `sample '${sample.path}' does not exist`);
    return;
  }
  const parsed = parsePlan(text, { fileName: sample.path });
  if (!parsed.plan) {
    const d = parsed.diagnostics[0];
    err(sample.at, `sample '${sample.path}' does not parse: ${d ? `line ${d.line}: ${d.message}` : 'unknown error'}`);
    return;
  }
  const analysis = analyze(parsed.plan, parsed.diagnostics, { cores: course.referenceCores });
  const got = [...new Set(analysis.diagnostics.map((d) => d.code))].sort();
  const want = sample.expect;
  const unexpected = got.filter((c) => !want.includes(c));
  const missing = want.filter((c) => !got.includes(c));
  if (unexpected.length === 0 && missing.length === 0) return;
  const parts: string[] = [];
  for (const c of unexpected) {
    const d = analysis.diagnostics.find((x) => x.code === c);
    parts.push(`it reports ${c} (line ${d?.line}: ${d?.message}) which is not in its 'expect' list`);
  }
  if (missing.length > 0) parts.push(`it is declared to show ${missing.join(', ')} but analysis does not report ${missing.length > 1 ? 'them' : 'it'}`);
  err(sample.at, `sample '${sample.path}' (analysed with ${course.referenceCores} cores): ${parts.join('; ')}`);
}

function unique(items: readonly { id: string; at: SourceLocation }[], what: string, err: (at: SourceLocation, message: string) => void): void {
  const seen = new Map<string, SourceLocation>();
  for (const { id, at } of items) {
    const first = seen.get(id);
    if (first) err(at, `duplicate ${what} id '${id}' (first used at ${first.file}:${first.line})`);
    else seen.set(id, at);
  }
}

function countLines(text: string, upTo: number): number {
  let n = 0;
  for (let i = 0; i < upTo; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** ", did you mean 'x'?" for a near miss (shared prefix or one edit away), else "". */
function suggest(id: string, known: ReadonlySet<string>): string {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const k of known) {
    const d = distance(id, k);
    if (d < bestScore) {
      bestScore = d;
      best = k;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(id.length / 4)) ? `; did you mean '${best}'?` : '';
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

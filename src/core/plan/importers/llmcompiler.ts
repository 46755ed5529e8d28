import { makeDiagnostic } from '../diagnostics';
import type { Diagnostic, JsonObject, JsonValue, SourceRange, ToolRanges } from '../types';
import { capPerCode, importedPlan, importedTool, rangeOf } from './common';
import { parseCallArgs, PyParseError, type PyCall, type PyValue, type StepRef } from './pycall';
import type { ImportContext, ImportedToolSpec, ImportResult, TextImporter } from './types';

/**
 * A numbered step: `3. math("$1 / $2")`. Linear: anchored, and no quantified group can match the
 * same text two ways.
 */
const STEP = /^[ \t]*(\d{1,9})[ \t]*\.[ \t]*([A-Za-z_][A-Za-z0-9_.]*)[ \t]*\(/;
const THOUGHT = /^[ \t]*Thought[ \t]*:[ \t]*/i;
const END_OF_PLAN = '<END_OF_PLAN>';

interface Step {
  readonly number: number;
  readonly name: string;
  readonly call: PyCall;
  readonly start: number;
  readonly numberOffset: number;
  readonly numberLength: number;
  readonly open: number;
  readonly description?: string;
}

/**
 * LLMCompiler plans (Kim et al., "An LLM Compiler for Parallel Function Calling"; LangGraph's
 * planner prompt): numbered Python-style calls, `$N` / `${N}` for the output of step N,
 * `Thought:` lines, and `join()` to end the plan, optionally followed by `<END_OF_PLAN>`.
 *
 * - Step N becomes tool `sN` (a step number used twice: `sN_2`, with a duplicate-id error).
 * - Positional arguments are keyed by position, keyword arguments by name:
 *   `search("x", k=3)` → args `{ "0": "x", "k": 3 }`. The keys cannot collide (names are
 *   identifiers, positions are digits) and do not depend on the function's signature.
 * - `$N` inside a string becomes `${sN.output}` (bare `$N` becomes the string "${sN.output}"), and
 *   step N is also declared in dependsOn, so the engine passes the output and nothing is implicit.
 * - A `Thought:` line is the description of the step that follows it.
 */
export const llmCompilerImporter: TextImporter = {
  format: 'llmcompiler',
  detect(text) {
    let first = true;
    for (const { line } of lines(text)) {
      const t = line.trimStart();
      if (t === '' || t.startsWith('```') || t.startsWith('~~~')) continue;
      if (STEP.test(line) && (first || !/^[ \t]/.test(line))) return true;
      if (!THOUGHT.test(line) && !/^[ \t]*Question[ \t]*:/i.test(line)) first = false;
    }
    return false;
  },
  import: importLlmCompiler,
};

function importLlmCompiler(ctx: ImportContext): ImportResult {
  const text = ctx.text;
  const diagnostics: Diagnostic[] = [];
  // A whole few-shot prompt (tool list, then example after example: Question / Thought / steps):
  // the plan is the last Question's steps. Earlier text (tool signatures, other examples) is not.
  const from = lastPlanStart(text);
  const failed = new Set<number>();
  const steps: Step[] = [];
  let thought: string | undefined;
  let joined: { offset: number } | undefined;
  let warnedAfterJoin = false;
  let resumeAt = 0;
  let endOfPlan = false;
  for (const whole of lines(text)) {
    const { start } = whole;
    if (start < from) continue;
    if (endOfPlan) break;
    if (start < resumeAt) continue;
    // `4. join()<END_OF_PLAN>`: the marker may share a line with the last step.
    const marker = whole.line.indexOf(END_OF_PLAN);
    const line = marker === -1 ? whole.line : whole.line.slice(0, marker);
    if (marker !== -1) endOfPlan = true;
    const t = THOUGHT.exec(line);
    if (t) {
      if (!joined) thought = line.slice(t[0].length).trim() || undefined;
      continue;
    }
    const m = STEP.exec(line);
    if (!m) continue;
    const numberOffset = start + line.indexOf(m[1]);
    const name = m[2];
    if (joined) {
      if (!warnedAfterJoin && name !== 'join') {
        warnedAfterJoin = true;
        diagnostics.push(makeDiagnostic({ code: 'parse-error', severity: 'warning', range: ctx.lines.range(numberOffset, line.length - (numberOffset - start)),
          message: `Step ${m[1]} comes after join(), which ends the plan, so it is ignored. Move it before join(), or remove it.` }));
      }
      continue;
    }
    if (name === 'join') {
      joined = { offset: numberOffset };
      continue;
    }
    const open = start + m[0].length - 1;
    try {
      const call = parseCallArgs(text, open);
      steps.push({ number: Number(m[1]), name, call, start: numberOffset, numberOffset, numberLength: m[1].length, open, ...(thought !== undefined ? { description: thought } : {}) });
      resumeAt = call.end;
    } catch (err) {
      if (!(err instanceof PyParseError)) throw err;
      failed.add(Number(m[1]));
      const lineEnd = start + line.length;
      if (err.offset > lineEnd && STEP.test(lineAt(text, err.offset))) {
        // Ran into the next step: this call was never closed. Say so on its own line.
        diagnostics.push(makeDiagnostic({ code: 'parse-error', range: ctx.lines.range(Math.max(start, lineEnd - 1), lineEnd > start ? 1 : 0),
          message: `Step ${m[1]} (${name}) is not closed: add ')' at the end of this line.` }));
      } else {
        diagnostics.push(makeDiagnostic({ code: 'parse-error', range: ctx.lines.range(err.offset, err.offset < text.length ? 1 : 0),
          message: `Step ${m[1]} (${name}): ${err.message}` }));
        if (err.offset > lineEnd) resumeAt = err.offset;
      }
    }
    thought = undefined;
  }

  if (steps.length === 0) {
    const at = joined?.offset ?? 0;
    return { diagnostics: [...capPerCode(diagnostics), makeDiagnostic({ code: 'parse-error', range: ctx.lines.range(at, 0),
      message: 'This LLMCompiler plan has no tool steps. Write numbered calls such as 1. search("Nvidia revenue 2023"), then join().' })] };
  }

  // Ids: step N → sN. The first step with a number owns it; references go there.
  const idOf = new Map<number, string>();
  const firstLine = new Map<number, number>();
  const used = new Set<string>(steps.map((s) => `s${s.number}`));
  const nextSuffix = new Map<string, number>();
  const ids = steps.map((s) => {
    const base = `s${s.number}`;
    if (!idOf.has(s.number)) {
      idOf.set(s.number, base);
      firstLine.set(s.number, ctx.lines.position(s.numberOffset).line);
      return base;
    }
    let k = nextSuffix.get(base) ?? 2;
    while (used.has(`${base}_${k}`)) k++;
    nextSuffix.set(base, k + 1);
    const id = `${base}_${k}`;
    used.add(id);
    diagnostics.push(makeDiagnostic({ code: 'duplicate-id', range: ctx.lines.range(s.numberOffset, s.numberLength), tools: [id],
      message: `Step number ${s.number} is used twice (first at line ${firstLine.get(s.number)}). Renumber the steps: $${s.number} refers to the first one. Fanout calls this one '${id}' for now.` }));
    return id;
  });

  let knownText: string | undefined; // only needed for a bad reference
  const sorted = () => (knownText ??= [...idOf.keys()].sort((a, b) => a - b).slice(0, 21).join(','));
  const known = (self: number): string => sorted().split(',').filter((n) => n !== '' && Number(n) !== self).slice(0, 20).map((n) => `$${n}`).join(', ');
  const tools: ImportedToolSpec[] = steps.map((s, index) => {
    const id = ids[index];
    const unknown = (ref: StepRef) => {
      // Step N exists but could not be read: its own error says so; a second one here would only confuse.
      if (failed.has(ref.step)) return;
      const others = known(s.number);
      diagnostics.push(makeDiagnostic({ code: 'unknown-reference', range: ctx.lines.range(ref.offset, ref.length), tools: [id],
        message: `Step ${s.number} (${s.name}) uses $${ref.step}, but the plan has no step ${ref.step}. In LLMCompiler plans $N is the output of step N: ${others ? `refer to another step (${others})` : 'this plan has no other step to refer to'}, or write the value itself.` }));
    };
    for (const raw of s.call.raws) {
      diagnostics.push(makeDiagnostic({ code: 'parse-error', severity: 'info', range: ctx.lines.range(raw.offset, raw.length), tools: [id],
        message: `Step ${s.number} (${s.name}): ${raw.text.length > 60 ? `${raw.text.slice(0, 60)}…` : raw.text} is not a Python literal. LLMCompiler's parser keeps such an argument as raw text, and so does Fanout (the string "${raw.text.length > 40 ? `${raw.text.slice(0, 40)}…` : raw.text}"); quote it to say so explicitly.` }));
    }
    const resolve = (ref: StepRef): string | undefined => idOf.get(ref.step);
    const args = Object.create(null) as Record<string, JsonValue>;
    s.call.positional.forEach((v, i) => { args[String(i)] = toJson(v, resolve); });
    for (const [k, v] of s.call.keywords) args[k] = toJson(v, resolve);
    const dependsOn: string[] = [];
    const dependsOnItems: SourceRange[] = [];
    for (const ref of s.call.refs) {
      const dep = resolve(ref);
      if (dep === undefined) { unknown(ref); continue; }
      if (dep === id) {
        diagnostics.push(makeDiagnostic({ code: 'self-dependency', range: ctx.lines.range(ref.offset, ref.length), tools: [id],
          message: `Step ${s.number} (${s.name}) uses $${ref.step}, its own output, so it could never start. In LLMCompiler plans $N refers to an earlier step: use another step's $N, or write the value itself.` }));
        continue;
      }
      if (dependsOn.includes(dep)) continue;
      dependsOn.push(dep);
      dependsOnItems.push(ctx.lines.range(ref.offset, ref.length));
    }
    const argsRange = ctx.lines.range(s.open, s.call.end - s.open);
    const ranges: ToolRanges = {
      tool: ctx.lines.range(s.start, s.call.end - s.start),
      id: ctx.lines.range(s.numberOffset, s.numberLength),
      args: argsRange,
      ...(dependsOn.length ? { dependsOn: argsRange, dependsOnItems } : {}),
    };
    return importedTool({ id, label: s.name, args: args as JsonObject, index, ranges, estimateMs: ctx.defaultEstimateMs, dependsOn,
      ...(s.description !== undefined ? { description: s.description } : {}) });
  });
  const plan = importedPlan('llmcompiler', `LLMCompiler plan (${steps.length} step${steps.length === 1 ? '' : 's'})`, tools, rangeOf(ctx, { offset: 0, length: text.length }));
  return { plan, diagnostics: capPerCode(diagnostics) };
}

function toJson(v: PyValue, resolve: (r: StepRef) => string | undefined): JsonValue {
  switch (v.k) {
    case 'str': return v.parts.map((p) => (typeof p === 'string' ? p : refText(p, resolve))).join('');
    case 'ref': return refText(v.ref, resolve);
    case 'num': return v.v;
    case 'bool': return v.v;
    case 'none': return null;
    case 'list': return v.items.map((i) => toJson(i, resolve));
    case 'dict': {
      const o = Object.create(null) as Record<string, JsonValue>;
      for (const [k, x] of v.entries) o[k] = toJson(x, resolve);
      return o;
    }
  }
}

/** `${sN.output}` for a known step; an unknown one stays as written (and is reported). */
function refText(ref: StepRef, resolve: (r: StepRef) => string | undefined): string {
  const id = resolve(ref);
  return id === undefined ? `$${ref.step}` : `\${${id}.output}`;
}

/** Lines with their start offsets, without line terminators. */
function* lines(text: string): Generator<{ start: number; line: string }> {
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end > start && text[end - 1] === '\r' ? end - 1 : end);
    yield { start, line };
    start = end + 1;
  }
}

function lineAt(text: string, offset: number): string {
  const s = text.lastIndexOf('\n', offset - 1) + 1;
  const e = text.indexOf('\n', offset);
  return text.slice(s, e === -1 ? text.length : e);
}

/**
 * Where the plan to import starts: after the last `Question:` line that is followed by steps (a
 * few-shot prompt holds one plan per example; the last is the one being asked for), else 0.
 */
function lastPlanStart(text: string): number {
  let from = 0;
  let questionAt = -1;
  for (const { start, line } of lines(text)) {
    if (/^[ \t]*Question[ \t]*:/i.test(line)) questionAt = start;
    else if (questionAt !== -1 && STEP.test(line)) { from = questionAt; questionAt = -1; }
  }
  return from;
}

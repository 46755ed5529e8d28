// `fanout audit`: read a trace, rebuild its turns, find what cost time, and schedule the same
// work with Fanout. auditTrace() is the one entry point the CLI and the editor use; auditJson()
// is the DESIGN §10 object (plus the fields the README documents).
import { makeDiagnostic } from '../plan/diagnostics';
import { START_RANGE } from '../plan/positions';
import type { Diagnostic, SourceRange } from '../plan/types';
import { diagnosticJson, type DiagnosticJson } from '../render/report';
import { counterfactual, type Counterfactual, type PlacedSpan } from './counterfactual';
import { dataFlow, type FlowFacts } from './dataflow';
import type { NormalisedTrace, TraceFormat, Writable } from './model';
import { readTrace } from './read';
import { auditRules, type Finding } from './rules';
import { rebuildTurns, type Rebuilt } from './turns';

export interface AuditOptions {
  /** Cap on tool calls at once in the counterfactual (and what counts as idle concurrency). */
  readonly maxConcurrency?: number;
  /**
   * Called as each stage ends, with its name (read, rebuild, dataflow, counterfactual, rules,
   * positions): how the CLI accounts for a whole audit's time (FANOUT_AUDIT_TIMES, docs/audit.md).
   */
  readonly onStage?: (stage: AuditStage) => void;
}

export type AuditStage = 'read' | 'rebuild' | 'dataflow' | 'counterfactual' | 'rules' | 'positions';

export interface AuditResult {
  readonly trace: NormalisedTrace;
  readonly rebuilt: Rebuilt;
  readonly flow: FlowFacts;
  readonly counterfactual: Counterfactual;
  readonly findings: readonly Finding[];
  /** Findings as positioned diagnostics (the span's id in the trace text), sorted by time. */
  readonly diagnostics: readonly Diagnostic[];
}

export function auditTrace(text: string, options: AuditOptions = {}): AuditResult {
  const trace = readTrace(text);
  options.onStage?.('read');
  return auditNormalised(trace, text, options);
}

export function auditNormalised(trace: NormalisedTrace, text: string, options: AuditOptions = {}): AuditResult {
  const stage = options.onStage ?? ((): void => undefined);
  const rebuilt = rebuildTurns(trace);
  stage('rebuild');
  const flow = dataFlow(rebuilt);
  stage('dataflow');
  const cf = counterfactual(rebuilt, flow, options);
  stage('counterfactual');
  const findings = auditRules(rebuilt, flow, cf, options);
  stage('rules');
  const wanted = new Set<string>();
  for (const f of findings) {
    const id = f.tools[0] !== undefined ? rebuilt.tools[f.tools[0]].span.locate : undefined;
    if (id) wanted.add(id);
  }
  const locator = new Locator(text, wanted);
  const ordered = [...findings].sort((a, b) => at(rebuilt, a) - at(rebuilt, b));
  const diagnostics = ordered.map((f) => {
    const first = f.tools[0];
    const range = first !== undefined ? locator.find(rebuilt.tools[first].span.locate) : START_RANGE;
    return makeDiagnostic({
      code: f.code, severity: f.severity, message: f.message, range,
      tools: f.tools.map((i) => rebuilt.tools[i].id),
      ...(f.suggestion ? { suggestion: f.suggestion } : {}),
    });
  });
  stage('positions');
  return { trace, rebuilt, flow, counterfactual: cf, findings: ordered, diagnostics };
}

/**
 * Where each tool call's span stands in the trace text (its id), for "reveal in the trace": the
 * start of the text for a span without a locatable id.
 */
export function toolRanges(a: AuditResult, text: string): SourceRange[] {
  const ids = a.rebuilt.tools.map((t) => t.span.locate);
  const locator = new Locator(text, new Set(ids.filter((id): id is string => id !== undefined)));
  return ids.map((id) => locator.find(id));
}

function at(r: Rebuilt, f: Finding): number {
  const i = f.tools[0];
  return i === undefined ? 0 : r.tools[i].startedAt;
}

/**
 * Finds where a span stands in the text: where its id is the value of an id key (spanId, span_id,
 * id), not a parent's reference. One pass per key over the text, with indexOf (a regex over an
 * 80 MB trace cost more than the rules), on the first lookup; only the ids asked for are kept.
 */
class Locator {
  private lines?: FastLines;
  private index?: Map<string, number>;
  constructor(private readonly text: string, private readonly wanted: ReadonlySet<string>) {}

  find(id: string | undefined): SourceRange {
    if (!id) return START_RANGE;
    this.index ??= this.build();
    const at = this.index.get(id);
    return at === undefined ? START_RANGE : this.range(at, JSON.stringify(id).length);
  }

  private build(): Map<string, number> {
    const index = new Map<string, number>();
    const t = this.text;
    // One pass for the three keys: each ends in `d"`, so every `d"` is checked for being the end
    // of one of them (the same places three indexOf passes found, in one walk over the text).
    for (let d = t.indexOf('d"'); d >= 0; d = t.indexOf('d"', d + 2)) {
      const after = d + 2;
      if (!(endsWithKey(t, after, '"spanId"') || endsWithKey(t, after, '"span_id"') || endsWithKey(t, after, '"id"'))) continue;
      let i = skipSpace(t, after);
      if (t.charCodeAt(i) !== 0x3a) continue; // a value that happens to read "id", not a key
      i = skipSpace(t, i + 1);
      if (t.charCodeAt(i) !== 0x22) continue;
      let j = t.indexOf('"', i + 1);
      while (j > 0 && t.charCodeAt(j - 1) === 0x5c && !evenBackslashes(t, j)) j = t.indexOf('"', j + 1);
      if (j < 0) break;
      let value = t.slice(i + 1, j);
      if (value.includes('\\')) {
        try {
          value = JSON.parse(t.slice(i, j + 1)) as string;
        } catch {
          continue;
        }
      }
      if (!this.wanted.has(value)) continue;
      const prev = index.get(value);
      if (prev === undefined || i < prev) index.set(value, i);
    }
    return index;
  }

  private range(offset: number, length: number): SourceRange {
    this.lines ??= new FastLines(this.text);
    const a = this.lines.position(offset);
    const b = this.lines.position(offset + length);
    return { offset, length, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }
}

/** Whether `key` ends at `end` in `t`. */
function endsWithKey(t: string, end: number, key: string): boolean {
  return end >= key.length && t.startsWith(key, end - key.length);
}

function skipSpace(t: string, i: number): number {
  for (let c = t.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = t.charCodeAt(++i));
  return i;
}

/** Whether the quote at j is preceded by an even number of backslashes (so it closes the string). */
function evenBackslashes(t: string, j: number): boolean {
  let k = j - 1;
  while (t.charCodeAt(k) === 0x5c) k--;
  return (j - 1 - k) % 2 === 0;
}

/**
 * Line starts found with indexOf (a trace is often one 80 MB line: scanning it char by char for
 * line breaks costs more than the audit). Lines end at \n; columns count UTF-16 units.
 */
class FastLines {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
}

/** The DESIGN §10 JSON object, plus `file`, `notes`, `contentCaptured`, `savings`, `counterfactual`. */
export interface AuditJson {
  readonly file: string;
  readonly format: TraceFormat;
  readonly turns: readonly { readonly id: string; readonly startedAt: number; readonly endedAt: number; readonly calls: readonly number[]; readonly model?: string; readonly lane: string }[];
  readonly tools: readonly {
    readonly id: string; readonly name: string; readonly turn: number | null; readonly startedAt: number; readonly endedAt: number; readonly status: string;
    readonly matchedBy: string; readonly error?: string; readonly readyAt?: number;
  }[];
  readonly diagnostics: readonly (DiagnosticJson & { readonly costMs?: number; readonly turn?: number })[];
  readonly actualMs: number;
  readonly counterfactualMs: number;
  readonly speedup: number;
  readonly savings: Counterfactual['savings'];
  readonly contentCaptured: boolean;
  readonly notes: readonly string[];
  readonly counterfactual: {
    readonly turns: readonly ({ readonly startedAt: number; readonly endedAt: number } | null)[];
    readonly tools: readonly { readonly startedAt: number; readonly endedAt: number; readonly turn: number | null }[];
  };
}

const r1 = (x: number): number => Math.round(x * 10) / 10;

export function auditJson(file: string, a: AuditResult): AuditJson {
  const { rebuilt: r, counterfactual: cf } = a;
  return {
    file,
    format: r.format,
    turns: r.turns.map(turnJson),
    tools: r.tools.map(toolJson),
    diagnostics: a.diagnostics.map((_d, k) => findingJson(a, k)),
    ...auditJsonFigures(a),
    counterfactual: {
      turns: cf.turns.map(cfTurnJson),
      tools: cf.tools.map(cfToolJson),
    },
  };
}

/**
 * `JSON.stringify(auditJson(file, a))` (no indentation), handed to `write` in pieces of about
 * 64 Ki characters: each turn's, call's and finding's object is built, written and dropped in
 * turn, so a 100k-span audit neither keeps 200k output objects alive for the garbage collector to
 * copy nor builds one 40 MB string (docs/audit.md, "Cost").
 */
export function writeAuditJson(file: string, a: AuditResult, write: (text: string) => void): void {
  const { rebuilt: r, counterfactual: cf } = a;
  let buf = '';
  const put = (text: string): void => {
    buf += text;
    if (buf.length >= 65_536) {
      write(buf);
      buf = '';
    }
  };
  // Elements stringified 512 at a time (one JSON.stringify per element costs twice as much), the
  // brackets of each chunk's array dropped: the same text as the whole array's.
  const list = <T>(xs: readonly T[], json: (x: T, k: number) => unknown): void => {
    put('[');
    for (let k = 0; k < xs.length; k += 512) {
      const chunk: unknown[] = [];
      for (let j = k; j < xs.length && j < k + 512; j++) chunk.push(json(xs[j], j));
      const text = JSON.stringify(chunk);
      put(k === 0 ? text.slice(1, -1) : `,${text.slice(1, -1)}`);
    }
    put(']');
  };
  put(`{"file":${JSON.stringify(file)},"format":${JSON.stringify(r.format)},"turns":`);
  list(r.turns, turnJson);
  put(',"tools":');
  list(r.tools, toolJson);
  put(',"diagnostics":');
  list(a.diagnostics, (_d, k) => findingJson(a, k));
  for (const [key, value] of Object.entries(auditJsonFigures(a))) put(`,${JSON.stringify(key)}:${JSON.stringify(value)}`);
  put(',"counterfactual":{"turns":');
  list(cf.turns, cfTurnJson);
  put(',"tools":');
  list(cf.tools, cfToolJson);
  put('}}');
  if (buf !== '') write(buf);
}

// The pieces of the JSON object, shared by auditJson and writeAuditJson (one shape, one place).

function turnJson(t: Rebuilt['turns'][number]): AuditJson['turns'][number] {
  return { id: t.id, startedAt: r1(t.startedAt), endedAt: r1(t.endedAt), calls: t.calls, ...(t.span?.model ? { model: t.span.model } : {}), lane: t.lane };
}

function toolJson(t: Rebuilt['tools'][number]): AuditJson['tools'][number] {
  const o: Writable<AuditJson['tools'][number]> = { id: t.id, name: t.name, turn: t.turn >= 0 ? t.turn : null, startedAt: r1(t.startedAt), endedAt: r1(t.endedAt), status: t.status, matchedBy: t.matchedBy };
  if (t.error) o.error = t.error;
  if (t.readyAt !== undefined) o.readyAt = r1(t.readyAt);
  return o;
}

function findingJson(a: AuditResult, k: number): AuditJson['diagnostics'][number] {
  const f = a.findings[k];
  return { ...diagnosticJson(a.diagnostics[k]), ...(f.costMs !== undefined ? { costMs: r1(f.costMs) } : {}), ...(f.turn !== undefined ? { turn: f.turn } : {}) };
}

/** The fields between the diagnostics and the counterfactual, in their order. */
function auditJsonFigures(a: AuditResult): Pick<AuditJson, 'actualMs' | 'counterfactualMs' | 'speedup' | 'savings' | 'contentCaptured' | 'notes'> {
  const { rebuilt: r, counterfactual: cf } = a;
  return {
    actualMs: r1(cf.actualMs),
    counterfactualMs: r1(cf.counterfactualMs),
    speedup: cf.counterfactualMs > 0 ? Math.round((cf.actualMs / cf.counterfactualMs) * 100) / 100 : 1,
    savings: { serializedBatchMs: r1(cf.savings.serializedBatchMs), missedParallelismMs: r1(cf.savings.missedParallelismMs), turnsRemoved: cf.savings.turnsRemoved, turnsRemovedMs: r1(cf.savings.turnsRemovedMs) },
    contentCaptured: r.contentCaptured,
    notes: r.notes,
  };
}

function cfTurnJson(t: PlacedSpan | null): AuditJson['counterfactual']['turns'][number] {
  return t ? { startedAt: r1(t.startedAt), endedAt: r1(t.endedAt) } : null;
}

function cfToolJson(t: Counterfactual['tools'][number]): AuditJson['counterfactual']['tools'][number] {
  return { startedAt: r1(t.startedAt), endedAt: r1(t.endedAt), turn: t.turn >= 0 ? t.turn : null };
}

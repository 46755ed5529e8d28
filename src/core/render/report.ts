// The `fanout analyze` outputs: the §3 JSON object and the human-readable report. Pure functions
// of an analysis, so the CLI command stays a thin shell and tests need no process.

import type { Analysis } from '../analysis/types';
import type { Diagnostic, PlanFormat, PlanStreamInfo, Severity, ToolSpec, ToolStreamPosition } from '../plan/types';
import { formatMs, formatSpeedup } from './format';
import { renderMermaid } from './mermaid';
import { makeStyle, safeText, truncate, type Style } from './style';

/** What was analysed: an input that may not even have been readable. */
export interface ReportSubject {
  /** As given on the command line, or `<stdin>`: the `file` in `file:line:column`. */
  readonly file: string;
  /** Absent when the text could not be read as a plan at all. */
  readonly analysis?: Analysis;
  readonly diagnostics: readonly Diagnostic[];
  readonly valid: boolean;
  /** The format detected when the input was recognised but not imported (ParseResult.format). */
  readonly format?: PlanFormat;
}

export interface DiagnosticJson {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly tools: readonly string[];
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly lesson: string;
  readonly suggestion?: string;
  /** Title of the quick fix the editor offers, when there is one. */
  readonly fix?: string;
}

/** The `fanout analyze --json` object (DESIGN.md §3), plus `file`, diagnostics' extra fields and `estimate.lowerBoundMs`. */
export interface AnalyzeJson {
  readonly file: string;
  readonly plan: { readonly name: string; readonly format: PlanFormat; readonly tools: number; readonly edges: number; readonly stream?: PlanStreamInfo };
  readonly valid: boolean;
  readonly diagnostics: readonly DiagnosticJson[];
  readonly levels: readonly (readonly string[])[];
  readonly criticalPath: { readonly tools: readonly string[]; readonly ms: number };
  readonly estimate: { readonly sequentialMs: number; readonly parallelMs: number; readonly speedup: number; readonly maxWidth: number; readonly lowerBoundMs: number };
  readonly mermaid: string;
  /** DESIGN §6: every tool in plan order; label = the imported function/tool name, or the id. */
  readonly tools: readonly ToolJson[];
}

/** One entry of analyze --json `tools`; `callId` and `stream` only for imported calls that have them. */
export interface ToolJson {
  readonly id: string;
  readonly label: string;
  readonly kind: string;
  readonly dependsOn: readonly string[];
  readonly callId?: string;
  readonly stream?: ToolStreamPosition;
}

function toolJson(t: ToolSpec): ToolJson {
  return {
    id: t.id, label: t.label, kind: t.kind, dependsOn: t.dependsOn,
    ...(t.callId !== undefined ? { callId: t.callId } : {}),
    ...(t.stream ? { stream: t.stream } : {}),
  };
}

export function diagnosticJson(d: Diagnostic): DiagnosticJson {
  return {
    code: d.code, severity: d.severity, message: d.message, tools: d.tools, line: d.line, column: d.column,
    endLine: d.range.endLine, endColumn: d.range.endColumn, lesson: d.lesson,
    ...(d.suggestion !== undefined ? { suggestion: d.suggestion } : {}),
    ...(d.fix !== undefined ? { fix: d.fix.title } : {}),
  };
}

/** Edges drawn from the graph; for a plan without one (errors), the declared dependencies. */
function edgeCount(a: Analysis): number {
  if (a.graph) return a.graph.edges.length;
  return a.plan.tools.reduce((n, t) => n + t.dependsOn.length, 0);
}

const UNREADABLE_MERMAID = 'flowchart LR\n  %% The input could not be read as a plan.\n';

export function analyzeJson(subject: ReportSubject): AnalyzeJson {
  const a = subject.analysis;
  const diagnostics = subject.diagnostics.map(diagnosticJson);
  if (!a) {
    return {
      file: subject.file, plan: { name: '', format: subject.format ?? 'native', tools: 0, edges: 0 }, valid: false, diagnostics, levels: [],
      criticalPath: { tools: [], ms: 0 }, estimate: { sequentialMs: 0, parallelMs: 0, speedup: 1, maxWidth: 0, lowerBoundMs: 0 },
      mermaid: UNREADABLE_MERMAID, tools: [],
    };
  }
  const e = a.estimate;
  return {
    file: subject.file,
    plan: { name: a.plan.name, format: a.plan.format, tools: a.plan.tools.length, edges: edgeCount(a), ...(a.plan.stream ? { stream: a.plan.stream } : {}) },
    valid: subject.valid,
    diagnostics,
    levels: a.levels,
    criticalPath: { tools: a.criticalPath.tools, ms: a.criticalPath.ms },
    estimate: { sequentialMs: e.sequentialMs, parallelMs: e.parallelMs, speedup: e.speedup, maxWidth: e.maxWidth, lowerBoundMs: e.lowerBoundMs },
    mermaid: renderMermaid(a).text,
    tools: a.plan.tools.map(toolJson),
  };
}

export interface ReportOptions {
  readonly color?: boolean;
  /** Terminal width for wrapping level lists. Default 100. */
  readonly width?: number;
  /** The predicted parallel time came from the engine's simulation (else it is the lower bound). */
  readonly simulated?: boolean;
  /** At most this many diagnostics are printed (the rest are counted). Default 200. */
  readonly maxDiagnostics?: number;
}

const MAX_LEVEL_ROWS = 30;

/** `file:line:column severity code message`, then an indented suggestion and `learn: <lesson>`. */
export function formatDiagnostic(file: string, d: Diagnostic, style: Style = makeStyle(false)): string {
  const sev = d.severity === 'error' ? style.red(d.severity) : d.severity === 'warning' ? style.yellow(d.severity) : style.cyan(d.severity);
  const lines = [`${style.bold(`${safeText(file)}:${d.line}:${d.column}`)} ${sev} ${style.dim(d.code)} ${safeText(d.message)}`];
  if (d.suggestion) lines.push(`    ${style.dim('suggestion:')} ${safeText(d.suggestion)}`);
  if (d.fix) lines.push(`    ${style.dim('quick fix:')} ${safeText(d.fix.title)}`);
  lines.push(`    ${style.dim('learn:')} ${d.lesson}`);
  return lines.join('\n');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function counts(diagnostics: readonly Diagnostic[]): string {
  const by = (s: Severity): number => diagnostics.filter((d) => d.severity === s).length;
  return `${plural(by('error'), 'error')}, ${plural(by('warning'), 'warning')}, ${by('info')} info`;
}

/** The human-readable `fanout analyze` report. */
export function renderReport(subject: ReportSubject, options: ReportOptions = {}): string {
  const style = makeStyle(options.color ?? false);
  const width = Math.max(40, options.width ?? 100);
  const out: string[] = [];
  const a = subject.analysis;
  if (!a) {
    out.push(`${style.bold(safeText(subject.file))}: ${style.red('✗ not a readable plan')}${subject.format && subject.format !== 'native' ? style.dim(` (${subject.format})`) : ''}`);
  } else {
    const plan = a.plan;
    out.push(`${style.bold(safeText(plan.name) || 'Untitled plan')} ${style.dim(`— ${safeText(subject.file)} (${plan.format})`)}`);
    const facts = [
      plural(plan.tools.length, 'tool'),
      `${edgeCount(a)} ${edgeCount(a) === 1 ? 'dependency' : 'dependencies'}`,
    ];
    if (a.graph) facts.push(plural(a.levels.length, 'level'), `max width ${a.estimate.maxWidth}`);
    facts.push(plan.maxConcurrency !== undefined ? `cap ${plan.maxConcurrency}` : 'no cap');
    const limits = Object.keys(plan.limits);
    if (limits.length > 0) facts.push(`limits ${limits.slice(0, 4).map((k) => `${safeText(k)}=${plan.limits[k]}`).join(', ')}${limits.length > 4 ? ', …' : ''}`);
    const verdict = subject.valid ? style.green('✓ valid') : style.red('✗ invalid');
    out.push(`${verdict} · ${facts.join(' · ')}`);
    if (a.graph && subject.valid) {
      const e = a.estimate;
      const path = a.criticalPath.tools.join(' → ');
      out.push(`${style.bold('Critical path')}  ${formatMs(a.criticalPath.ms)}  ${truncate(path, Math.max(20, width - 30))}`);
      const predicted = options.simulated ? 'predicted parallel' : 'parallel (lower bound)';
      const lb = options.simulated ? ` · lower bound ${formatMs(e.lowerBoundMs)}` : '';
      out.push(`${style.bold('Estimate')}  sequential ${formatMs(e.sequentialMs)} → ${predicted} ${formatMs(e.parallelMs)} · speedup ${style.bold(formatSpeedup(e.speedup))}${lb}`);
      out.push('', style.bold('Levels'));
      const pad = String(a.levels.length).length;
      a.levels.slice(0, MAX_LEVEL_ROWS).forEach((ids, k) => {
        const head = `  ${String(k + 1).padStart(pad)}  `;
        const count = style.dim(`(${ids.length})`);
        out.push(`${head}${truncate(ids.join(', '), Math.max(10, width - head.length - 8))} ${count}`);
      });
      if (a.levels.length > MAX_LEVEL_ROWS) out.push(style.dim(`  … ${a.levels.length - MAX_LEVEL_ROWS} more levels (see --json)`));
    }
  }
  const ds = subject.diagnostics;
  out.push('');
  if (ds.length === 0) {
    out.push(style.green('No problems found.'));
  } else {
    out.push(`${style.bold('Diagnostics')} ${style.dim(`(${counts(ds)})`)}`);
    const max = options.maxDiagnostics ?? 200;
    for (const d of ds.slice(0, max)) out.push(formatDiagnostic(subject.file, d, style));
    if (ds.length > max) out.push(style.dim(`… ${ds.length - max} more diagnostics (see --json)`));
  }
  return out.join('\n') + '\n';
}

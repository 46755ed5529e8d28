// Core results → plan view protocol shapes. Pure (no vscode): unit-tested in plain Node.
// The webview only ever sees these shapes, so anything it does not need (tool outputs, quick-fix
// edits, source ranges) is dropped here rather than shipped across the postMessage boundary.
import { summariseArgs } from '../../core/render/argsSummary';
import { analyze, type AnalyzeOptions } from '../../core/analysis/analyze';
import type { Analysis } from '../../core/analysis/types';
import type { RunEvent, RunRecord, ToolRecord } from '../../core/engine/types';
import { formatName } from '../../core/plan/formatNames';
import { parsePlan } from '../../core/plan/parse';
import type { Diagnostic, ParseOptions } from '../../core/plan/types';
import { mermaidNodeId, renderMermaid, type MermaidOptions } from '../../core/render/mermaid';
import { VIEW_PROGRESS_MESSAGE_MAX, type RunSummary, type ViewAnalysis, type ViewDiagnostic, type ViewProgress, type ViewRunEvent, type ViewRunRecord, type ViewStream, type ViewTool } from '../../protocol/planView';
import { isStreamable, streamTiming } from '../../core/stream/timing';
import { boundText } from '../../core/engine/valueSize';
import type { Plan } from '../../core/plan/types';
import type { StreamRunInfo } from '../../core/stream/run';
import type { StoredRunSummary } from '../runBus';
import type { SourceAnalysis } from '../plans/analyzeSource';

export interface ViewSource {
  /** Document URI as a string: the panel's identity. */
  readonly uri: string;
  /** Short name for the file (basename), shown when the plan has no name. */
  readonly fileLabel: string;
}

/**
 * Above these the plan view draws the per-level summary instead of one node per tool. Mermaid's
 * layout runs on the webview's main thread and grows faster than linearly: measured in headless
 * Chromium, about 1.2 s for 100 tools, 2-3 s for 200, 6.5 s for 400 and 23 s for 800 (the CLI's
 * threshold). The timeline always shows every tool.
 */
export const VIEW_MERMAID_LIMITS: MermaidOptions = { maxNodes: 150, maxEdges: 400 };

export interface AnalyzeForViewOptions {
  readonly parse?: ParseOptions;
  readonly analyze?: AnalyzeOptions;
  /** Default VIEW_MERMAID_LIMITS. */
  readonly mermaid?: MermaidOptions;
  /** The cap a run would use when the plan sets none (the fanout.maxConcurrency setting). */
  readonly defaultMaxConcurrency?: number | null;
}

/** Parses, analyses and renders a document's text into what the plan view shows. Never throws. */
export function analyzeForView(text: string, source: ViewSource, options: AnalyzeForViewOptions = {}): ViewAnalysis {
  const parsed = parsePlan(text, { fileName: source.fileLabel, ...options.parse });
  if (!parsed.plan) return unreadableView(source, parsed.diagnostics, parsed.format);
  const analysis = analyze(parsed.plan, parsed.diagnostics, { text, ...options.analyze });
  const view = toViewAnalysis(analysis, source, { ...VIEW_MERMAID_LIMITS, ...options.mermaid });
  return view.maxConcurrency === null && options.defaultMaxConcurrency ? { ...view, maxConcurrency: options.defaultMaxConcurrency } : view;
}

/**
 * A session's analysis (the editor's, with learned estimates) as the plan view shows it: the
 * plan view never parses or analyses on its own, so it always agrees with the CodeLens.
 */
export function viewOfSource(src: SourceAnalysis, source: ViewSource, defaultMaxConcurrency: number | null, mermaidOptions?: MermaidOptions): ViewAnalysis {
  if (!src.analysis) return unreadableView(source, src.parsed.diagnostics, src.parsed.format);
  const view = toViewAnalysis(src.analysis, source, { ...VIEW_MERMAID_LIMITS, ...mermaidOptions });
  return view.maxConcurrency === null && defaultMaxConcurrency ? { ...view, maxConcurrency: defaultMaxConcurrency } : view;
}

/** An Analysis (with its Mermaid graph) as the webview's ViewAnalysis. */
export function toViewAnalysis(analysis: Analysis, source: ViewSource, mermaidOptions?: MermaidOptions): ViewAnalysis {
  const plan = analysis.plan;
  const mermaid = renderMermaid(analysis, mermaidOptions);
  const full = mermaid.mode === 'full';
  const tools: ViewTool[] = plan.tools.map((t) => {
    const at = t.ranges.id ?? t.ranges.tool;
    return {
      id: t.id,
      label: t.label,
      kind: t.kind,
      durationMs: analysis.durations[t.index] ?? 0,
      dependsOn: dependenciesOf(analysis, t.index, t.dependsOn),
      ...(t.resource !== undefined ? { resource: t.resource } : {}),
      ...(Object.keys(t.args).length > 0 ? { args: summariseArgs(t.args) } : {}),
      line: at.line,
      column: at.column,
      ...(full ? { nodeId: mermaidNodeId(t.index) } : {}),
    };
  });
  return {
    planName: plan.name,
    uri: source.uri,
    fileLabel: source.fileLabel,
    format: plan.format,
    formatName: formatName(plan.format),
    valid: analysis.valid,
    tools,
    levels: analysis.levels,
    criticalPath: { tools: analysis.criticalPath.tools, ms: analysis.criticalPath.ms },
    estimate: { ...analysis.estimate },
    maxConcurrency: plan.maxConcurrency ?? null,
    diagnostics: analysis.diagnostics.map(toViewDiagnostic),
    mermaid: mermaid.text,
    mermaidConfig: { ...mermaid.config, securityLevel: 'strict' },
    mermaidMode: mermaid.mode,
    ...streamOf(plan),
  };
}

/** The model lane's data for a streamed plan (DESIGN §9), at the default token rate when untimed. */
function streamOf(plan: Plan): { stream?: ViewStream } {
  if (!isStreamable(plan) || plan.tools.length === 0) return {};
  try {
    const t = streamTiming(plan);
    return { stream: { closeMs: t.closeMs, endMs: t.endMs, timing: t.source, ...(t.tokensPerSecond !== undefined ? { tokensPerSecond: t.tokensPerSecond } : {}) } };
  } catch {
    return {};
  }
}

/** Dependencies as the graph sees them (declared and implied by references), else as declared. */
function dependenciesOf(analysis: Analysis, index: number, declared: readonly string[]): readonly string[] {
  const graph = analysis.graph;
  if (!graph) return declared;
  return graph.preds[index].map((p) => graph.ids[p]);
}

/**
 * A document that is not a plan at all (empty, binary, not JSON/YAML), or a payload that was
 * rejected: errors, no tools, and the format that was detected when there was one (DESIGN §6).
 */
function unreadableView(source: ViewSource, diagnostics: readonly Diagnostic[], detected?: string): ViewAnalysis {
  const format = detected ?? 'unknown';
  return {
    planName: source.fileLabel,
    uri: source.uri,
    fileLabel: source.fileLabel,
    format,
    formatName: formatName(format),
    valid: false,
    tools: [],
    levels: [],
    criticalPath: { tools: [], ms: 0 },
    estimate: { sequentialMs: 0, parallelMs: 0, speedup: 1, maxWidth: 0, lowerBoundMs: 0 },
    maxConcurrency: null,
    diagnostics: diagnostics.map(toViewDiagnostic),
    mermaid: '',
    mermaidConfig: { securityLevel: 'strict', startOnLoad: false },
    mermaidMode: 'empty',
  };
}

export function toViewDiagnostic(d: Diagnostic): ViewDiagnostic {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    tools: d.tools,
    line: d.line,
    column: d.column,
    lesson: d.lesson,
    ...(d.suggestion !== undefined ? { suggestion: d.suggestion } : {}),
  };
}

/**
 * Run events without their payloads: a succeeded event's output can be megabytes, and the view
 * draws only times and states. `run-started` is dropped (the run-started message carries it).
 * Progress notifications are coalesced: the view shows only a call's latest, so of several for
 * one attempt in a batch only the last is kept (in the place of the first: a server sending
 * thousands a second costs one event per call per batch).
 */
export function toViewEvents(events: readonly RunEvent[]): ViewRunEvent[] {
  const out: ViewRunEvent[] = [];
  let progressAt: Map<string, number> | undefined;
  for (const e of events) {
    switch (e.type) {
      case 'run-started':
        break;
      case 'progress': {
        const v: ViewRunEvent = { type: e.type, at: e.at, id: e.id, attempt: e.attempt, progress: e.progress, ...viewProgressExtras(e) };
        const key = `${e.attempt}\u0000${e.id}`;
        const k = (progressAt ??= new Map()).get(key);
        if (k === undefined) {
          progressAt.set(key, out.length);
          out.push(v);
        } else {
          out[k] = v;
        }
        break;
      }
      case 'succeeded':
        out.push({ type: e.type, at: e.at, id: e.id });
        break;
      case 'queued':
        out.push({ type: e.type, at: e.at, id: e.id });
        break;
      case 'started':
        out.push({ type: e.type, at: e.at, id: e.id, attempt: e.attempt });
        break;
      case 'attempt-failed':
        out.push({ type: e.type, at: e.at, id: e.id, attempt: e.attempt, error: boundText(e.error), timedOut: e.timedOut });
        break;
      case 'retrying':
        out.push({ type: e.type, at: e.at, id: e.id, attempt: e.attempt, delayMs: e.delayMs });
        break;
      case 'failed':
      case 'timed-out':
        out.push({ type: e.type, at: e.at, id: e.id, error: boundText(e.error) });
        break;
      case 'awaiting-approval':
      case 'approved':
        out.push({ type: e.type, at: e.at, id: e.id });
        break;
      case 'skipped':
      case 'cancelled':
      case 'denied':
        out.push({ type: e.type, at: e.at, id: e.id, reason: boundText(e.reason) });
        break;
      case 'run-ended':
        out.push({ type: e.type, at: e.at, status: e.status });
        break;
    }
  }
  return out;
}

function viewProgressExtras(p: { readonly total?: number; readonly message?: string }): { total?: number; message?: string } {
  return {
    ...(p.total !== undefined ? { total: p.total } : {}),
    ...(p.message !== undefined ? { message: p.message.length > VIEW_PROGRESS_MESSAGE_MAX ? `${p.message.slice(0, VIEW_PROGRESS_MESSAGE_MAX - 1)}…` : p.message } : {}),
  };
}

/** The last progress notification of the tool's last attempt, as its timeline row shows it. */
function lastProgress(t: ToolRecord): ViewProgress | undefined {
  const p = t.progress?.[t.progress.length - 1];
  const attempt = t.attempts[t.attempts.length - 1];
  if (!p || (attempt && p.at < attempt.startedAt)) return undefined;
  return { progress: p.progress, ...viewProgressExtras(p) };
}

/** A run record without tool outputs. */
export function toViewRecord(record: RunRecord): ViewRunRecord {
  return {
    status: record.status,
    makespanMs: record.makespanMs,
    sequentialMs: record.sequentialMs,
    criticalPathMs: record.criticalPathMs,
    lowerBoundMs: record.lowerBoundMs,
    maxObservedConcurrency: record.maxObservedConcurrency,
    tools: record.tools.map((t) => ({
      id: t.id,
      status: t.status,
      queuedAt: t.queuedAt,
      startedAt: t.startedAt,
      endedAt: t.endedAt,
      attempts: t.attempts.map((a) => {
        const error = a.error === null ? null : boundText(a.error);
        return a.timedOut ? { startedAt: a.startedAt, endedAt: a.endedAt, error, timedOut: true } : { startedAt: a.startedAt, endedAt: a.endedAt, error };
      }),
      error: t.error === null ? null : boundText(t.error),
      ...withProgress(t),
    })),
    ...streamRecordOf(record),
  };
}

function withProgress(t: ToolRecord): { progress?: ViewProgress } {
  const p = lastProgress(t);
  return p ? { progress: p } : {};
}

function streamRecordOf(record: RunRecord): Pick<ViewRunRecord, 'stream'> {
  const s = (record as RunRecord & { stream?: StreamRunInfo }).stream;
  return s ? { stream: { endMs: s.endMs, waitForEndMakespanMs: s.waitForEndMakespanMs, policy: s.policy } } : {};
}

export function toRunSummaries(runs: readonly StoredRunSummary[], limit = 20): RunSummary[] {
  return runs.slice(0, limit).map((r) => ({ runId: r.runId, mode: r.mode, startedAt: r.startedAt, status: r.status, makespanMs: r.makespanMs }));
}

/** The panel title: "Fanout: <plan name>", kept short for the tab. */
export function panelTitle(planName: string | undefined, fileLabel: string): string {
  const name = (planName ?? '').trim() || fileLabel;
  const short = [...name].length > 40 ? `${[...name].slice(0, 39).join('')}…` : name;
  return `Fanout: ${short}`;
}

// Messages between the extension host and the plan view webview. Discriminated unions both ways;
// both sides import these types, so a renamed field breaks the build, not the panel.
// This module is shared by Node and browser code: plain data types only (type imports from the
// core's pure type modules are erased).
import type { AttemptRecord, RunEvent, RunRecord, RunStatus, ToolRecord, ToolStatus } from '../core/engine/types';

export type ToolKindName = 'simulate' | 'shell' | 'http' | 'cpu' | 'vscode.command' | 'vscode.lm' | 'mcp' | 'function';
export type SeverityName = 'error' | 'warning' | 'info';
export type ToolStatusName = ToolStatus;
// 'approval': ready, waiting for the user's approval (ExecuteOptions.approve) without holding a slot.
export type LiveStatus = 'pending' | 'queued' | 'approval' | 'running' | 'retrying' | ToolStatusName;

export interface ViewTool {
  readonly id: string;
  readonly label: string;
  readonly kind: ToolKindName;
  readonly durationMs: number;
  readonly dependsOn: readonly string[];
  readonly resource?: string;
  /** 1-based line of the tool in its document, for "reveal in editor". */
  readonly line: number;
  /** 1-based column of the tool in its document. */
  readonly column?: number;
  /** The call's arguments as one line of compact JSON, cut at 200 characters (core/render/argsSummary). */
  readonly args?: string;
  /** Mermaid node id of this tool (core/render/mermaid mermaidNodeId) when the graph draws one node per tool. */
  readonly nodeId?: string;
}

export interface ViewDiagnostic {
  readonly code: string;
  readonly severity: SeverityName;
  readonly message: string;
  readonly tools: readonly string[];
  readonly line: number;
  readonly column: number;
  readonly lesson: string;
  readonly suggestion?: string;
}

/**
 * A streamed plan (a recorded stream, an LLMCompiler plan: DESIGN §9): when the model closed each
 * call's arguments and when it stopped, on the run's clock. The timeline draws it as the model lane.
 */
export interface ViewStream {
  /** Per tool, in the order of `tools`: ms from the stream's first event. */
  readonly closeMs: readonly number[];
  readonly endMs: number;
  /** `recorded`: the recording's own timestamps; `token-rate`: replayed at `tokensPerSecond`. */
  readonly timing: 'recorded' | 'token-rate';
  readonly tokensPerSecond?: number;
  /**
   * The stream simulated by the engine (simulateStream) under the fanout.streamPolicy setting,
   * with the analysis's durations and the run's cap: the plan's prediction for a streamed turn.
   * The analysis's own `estimate.parallelMs` ignores when the calls close. Absent until the host
   * has simulated it (a moment after the analysis).
   */
  readonly predicted?: ViewStreamPrediction;
}

/** A streamed plan's predicted turn, from the stream's first event (ms). */
export interface ViewStreamPrediction {
  readonly policy: 'dispatch-on-close' | 'wait-for-end';
  /** The makespan under `policy`: from the stream's first event to the last call's end. */
  readonly makespanMs: number;
  /** The same calls all started at the stream's end. */
  readonly waitForEndMakespanMs: number;
}

/** What a streamed run measured: the stream's end and what waiting for it would have cost. */
export interface ViewRunStream {
  readonly endMs: number;
  readonly waitForEndMakespanMs: number;
  readonly policy: 'dispatch-on-close' | 'wait-for-end';
}

export interface ViewAnalysis {
  readonly planName: string;
  /** Document URI as a string (also the panel's identity for restore). */
  readonly uri: string;
  readonly fileLabel: string;
  /** The plan.format id (DESIGN §6), or 'unknown' for text that is not a plan. */
  readonly format: string;
  /** The format as the badge names it ("OpenAI Chat", "Bedrock Converse"): core/plan/formatNames. */
  readonly formatName: string;
  readonly valid: boolean;
  readonly tools: readonly ViewTool[];
  readonly levels: readonly (readonly string[])[];
  readonly criticalPath: { readonly tools: readonly string[]; readonly ms: number };
  readonly estimate: { readonly sequentialMs: number; readonly parallelMs: number; readonly speedup: number; readonly maxWidth: number; readonly lowerBoundMs: number };
  readonly maxConcurrency: number | null;
  readonly diagnostics: readonly ViewDiagnostic[];
  /** Mermaid flowchart text, generated in the host (core/render/mermaid) with every label escaped. */
  readonly mermaid: string;
  /** Mermaid config chosen for this graph (securityLevel is always 'strict'). */
  readonly mermaidConfig: Readonly<Record<string, unknown>>;
  /** 'full': one node per tool (ViewTool.nodeId); 'summary': one node per level band (too big to draw); 'empty': no tools. */
  readonly mermaidMode?: 'full' | 'summary' | 'empty';
  /** Present for streamed plans: they run with each call arriving when its arguments close. */
  readonly stream?: ViewStream;
}

/**
 * A run event as the webview sees it: the core's RunEvent without payloads (outputs can be
 * megabytes; the view draws times and states) and without the events the view does not draw.
 * Derived from the core's types, so the engine, the session and the webview share one set.
 */
export type ViewRunEvent = WithoutPayload<Exclude<RunEvent, { readonly type: 'run-started' | 'connected' | 'limit-changed' }>>;
type WithoutPayload<E> = E extends unknown ? Omit<E, 'output' | 'dedupedFrom'> : never;

/** An attempt as recorded by the core (`timedOut` survives run-ended). */
export type ViewAttempt = AttemptRecord;

/** The latest MCP progress notification of a call (its timeline row shows it: "3/10" and a fill). */
export interface ViewProgress {
  readonly progress: number;
  readonly total?: number;
  /** The server's message, cut to VIEW_PROGRESS_MESSAGE_MAX characters. */
  readonly message?: string;
}

/** Longest progress message the host sends to the view (a server may send a paragraph per step). */
export const VIEW_PROGRESS_MESSAGE_MAX = 120;

export type ViewToolRecord = Pick<ToolRecord, 'id' | 'status' | 'queuedAt' | 'startedAt' | 'endedAt' | 'attempts' | 'error'> & {
  /** The last progress notification of the last attempt (MCP calls that reported progress). */
  readonly progress?: ViewProgress;
};

export interface ViewRunRecord extends Pick<RunRecord, 'status' | 'makespanMs' | 'sequentialMs' | 'criticalPathMs' | 'lowerBoundMs' | 'maxObservedConcurrency'> {
  readonly tools: readonly ViewToolRecord[];
  /** Streamed runs only. */
  readonly stream?: ViewRunStream;
}

export interface RunSummary {
  readonly runId: string;
  readonly mode: 'run' | 'simulate';
  readonly startedAt: string;
  readonly status: RunStatus;
  readonly makespanMs: number;
}

/** A model turn placed on a timeline (ms from the trace start). */
export interface ViewTurnSpan {
  readonly startedAt: number;
  readonly endedAt: number;
}

/** One way the traced work ran: as it happened, or as Fanout would schedule it. */
export interface ViewAuditSchedule {
  /** Per turn (ViewAudit.turns order): where it ran, or null when this schedule drops it. */
  readonly turns: readonly (ViewTurnSpan | null)[];
  /** The tool calls as a finished run (ids are ViewAudit.tools ids), drawn by the plan view's timeline. */
  readonly record: ViewRunRecord;
}

/**
 * An audited agent trace (DESIGN §10, docs/audit.md) as the plan view draws it: model lanes and tool
 * rows as they happened, the counterfactual schedule to toggle against it, the findings.
 */
export interface ViewAudit {
  /** The trace file's URI (the panel's identity for restore). */
  readonly uri: string;
  readonly fileLabel: string;
  readonly format: string;
  /** Agent lanes (one conversation each): "model", or "model 1", "model 2"… */
  readonly lanes: readonly string[];
  readonly turns: readonly { readonly id: string; readonly lane: number; readonly label: string; readonly model?: string; readonly calls: number }[];
  /** One row per tool call: label, and where its span stands in the trace (1-based). */
  readonly tools: readonly { readonly id: string; readonly label: string; readonly line: number; readonly column: number }[];
  readonly actual: ViewAuditSchedule;
  readonly counterfactual: ViewAuditSchedule;
  readonly actualMs: number;
  readonly counterfactualMs: number;
  readonly savings: { readonly serializedBatchMs: number; readonly missedParallelismMs: number; readonly turnsRemoved: number; readonly turnsRemovedMs: number };
  readonly contentCaptured: boolean;
  readonly synthetic: boolean;
  readonly notes: readonly string[];
  readonly diagnostics: readonly ViewDiagnostic[];
}

export type HostToView =
  | { readonly type: 'analysis'; readonly analysis: ViewAnalysis }
  /** An audited trace: the view shows the trace instead of a plan (no graph, no run controls). */
  | { readonly type: 'audit'; readonly audit: ViewAudit }
  | { readonly type: 'run-started'; readonly runId: string; readonly mode: 'run' | 'simulate'; readonly tools: readonly string[]; readonly slots: number | null }
  /** Batched: the host coalesces events (every ~50 ms) so a 1,000-tool run stays smooth. */
  | { readonly type: 'run-events'; readonly runId: string; readonly events: readonly ViewRunEvent[] }
  | { readonly type: 'run-ended'; readonly runId: string; readonly record: ViewRunRecord }
  /** Show a past run (history) without live events. */
  | { readonly type: 'show-record'; readonly runId: string; readonly mode: 'run' | 'simulate'; readonly record: ViewRunRecord }
  | { readonly type: 'history'; readonly runs: readonly RunSummary[] }
  /**
   * Bring one section into view under the sticky header (Show Graph: the graph; Run: the
   * timeline). A section already showing its top is left where the reader scrolled it. With
   * `focus`, the graph also takes keyboard focus so its zoom and pan keys work at once; without it
   * (the host was asked to preserve the editor's focus: Run, a sample opened with its view) the
   * focus stays where it is, since focusing anything in the webview takes it from the editor.
   */
  | { readonly type: 'reveal'; readonly section: ViewSection; readonly focus: boolean };

/** The sections of the plan view a host can bring into view (HostToView 'reveal'). */
export type ViewSection = 'graph' | 'timeline' | 'problems';

export type ViewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'run'; readonly mode: 'run' | 'simulate' }
  | { readonly type: 'cancel' }
  /** `code`: the diagnostic whose Learn why was pressed (opens its lesson section). */
  | { readonly type: 'open-lesson'; readonly lesson: string; readonly code?: string }
  | { readonly type: 'reveal'; readonly line: number; readonly column: number }
  | { readonly type: 'export-trace' }
  | { readonly type: 'open-run'; readonly runId: string }
  /** An audited trace: open the text report (`fanout audit`'s) beside the view. */
  | { readonly type: 'open-audit-report' }
  /** Errors inside the webview are reported to the host's output channel, not swallowed. */
  | { readonly type: 'error'; readonly message: string };

/** What the webview persists with setState, so the serializer can restore the panel after reload. */
export interface PlanViewState {
  readonly uri: string;
}

export const PLAN_VIEW_TYPE = 'fanout.planView';
/** The plan view showing an audited trace (src/extension/audit/panel.ts). */
export const AUDIT_VIEW_TYPE = 'fanout.auditView';

// The plan model shared by every part of Fanout. Everything here is readonly data:
// parsing produces it, analysis and the engine only read it.

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type JsonObject = { readonly [key: string]: JsonValue };

export const TOOL_KINDS = ['simulate', 'shell', 'http', 'cpu', 'vscode.command', 'vscode.lm', 'mcp', 'function'] as const;
export type ToolKind = (typeof TOOL_KINDS)[number];

export const PLAN_FORMATS = [
  'native', 'openai', 'openai-responses', 'anthropic', 'llmcompiler',
  // DESIGN §6: more providers and frameworks, and recorded streams (README "Imported formats").
  'gemini', 'bedrock', 'vercel-ai', 'langchain', 'mcp', 'ollama', 'cohere',
  'openai-stream', 'openai-responses-stream', 'anthropic-stream',
] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

export type FailurePolicy = 'skip-dependents' | 'fail-fast';

/** A span of source text. Lines and columns are 1-based; the end is exclusive. */
export interface SourceRange {
  readonly offset: number;
  readonly length: number;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface ToolDefaults {
  readonly timeoutMs?: number;
  readonly retries?: number;
  readonly retryDelayMs?: number;
}

/** Where the pieces of one tool stand in the source, for diagnostics and quick fixes. */
export interface ToolRanges {
  /** The whole tool object (or the imported call). */
  readonly tool: SourceRange;
  readonly id?: SourceRange;
  readonly dependsOn?: SourceRange;
  /** One range per `dependsOn` entry, parallel to ToolSpec.dependsOn. */
  readonly dependsOnItems?: readonly SourceRange[];
  readonly args?: SourceRange;
  /** Each `${id.output…}` reference in args, in document order (native plans). */
  readonly references?: readonly ToolReferenceRange[];
  /** Other fields of the tool object by key (timeoutMs, retries, writes, kind…). */
  readonly fields?: Readonly<Record<string, SourceRange>>;
}

export interface ToolReferenceRange {
  /** The referenced tool id. */
  readonly id: string;
  readonly range: SourceRange;
}

export interface ToolSpec {
  /** Unique, [A-Za-z_][A-Za-z0-9_-]*. Imported calls get ids derived from the call. */
  readonly id: string;
  readonly kind: ToolKind;
  /** Human label: the imported function name, or the id for native tools. */
  readonly label: string;
  /** Free text: the native `description`, or an LLMCompiler planner's `Thought:` for this call. */
  readonly description?: string;
  readonly args: JsonObject;
  /** Dependencies declared with `dependsOn`, in source order. */
  readonly dependsOn: readonly string[];
  readonly resource?: string;
  readonly timeoutMs?: number;
  readonly retries?: number;
  readonly retryDelayMs?: number;
  readonly writes: readonly string[];
  /** Duration estimate for tools without args.durationMs (native `estimateMs`, or the import default). */
  readonly estimateMs?: number;
  /** Position in `plan.tools`: results are always reported in this order. */
  readonly index: number;
  /**
   * Safety facts about the call, named as MCP tool annotations (README "Safety classes"): stated in
   * the plan, or filled in from the server's tools/list when its tools are known.
   */
  readonly annotations?: ToolAnnotations;
  /** Imported calls: the provider's own call id as written (`call_…`, `toolu_…`), even when the tool id had to differ. */
  readonly callId?: string;
  /** Calls assembled from a recorded stream: where in the stream their arguments closed (README "Streams"). */
  readonly stream?: ToolStreamPosition;
  readonly ranges: ToolRanges;
}

/**
 * When a streamed call became runnable: the 0-based index of the event that closed its arguments
 * (and the time of that event, ms from the first event, when the recording has timestamps).
 */
export interface ToolStreamPosition {
  /** The event that started the call (its name or id arrived). */
  readonly openedAtEvent: number;
  readonly closedAtEvent: number;
  readonly closedAtMs?: number;
  /**
   * Characters the model had generated when the arguments closed (deltas only: text, argument
   * JSON, names), for replaying a recording without timestamps at a token rate (src/core/stream).
   */
  readonly outputChars?: number;
}

/** A plan assembled from a recorded stream: how long the stream was (README "Streams"). */
export interface PlanStreamInfo {
  /** Events read (SSE events or JSON lines), including ones that carry no call. */
  readonly events: number;
  /** Time of the last event, ms from the first, when the recording has timestamps. */
  readonly endMs?: number;
  /** The stream ended normally (a finish/stop event, `[DONE]`), rather than being cut off. */
  readonly complete: boolean;
  /** Characters the model generated in the whole stream (see ToolStreamPosition.outputChars). */
  readonly outputChars?: number;
  /** Calls whose arguments never closed (a stream cut at the token limit): reported, left out of the plan, never run. */
  readonly unclosed?: readonly UnclosedCall[];
}

export interface UnclosedCall {
  readonly name: string;
  readonly callId?: string;
  /** The event that opened the call. */
  readonly openedAtEvent: number;
}

/** The MCP tool annotations (readOnlyHint…), also stated per tool in plans and on functions. */
export interface ToolAnnotations {
  readonly readOnlyHint?: boolean;
  readonly destructiveHint?: boolean;
  readonly idempotentHint?: boolean;
  readonly openWorldHint?: boolean;
}

/** One MCP server (DESIGN §7): a command over stdio, or a Streamable HTTP endpoint. */
export type McpServerConfig =
  | { readonly command: string; readonly args?: readonly string[]; readonly env?: Readonly<Record<string, string>>; readonly cwd?: string }
  | { readonly url: string; readonly headers?: Readonly<Record<string, string>> };

export interface PlanRanges {
  /** The root object/document (quick fixes insert top-level keys here). */
  readonly root?: SourceRange;
  readonly name?: SourceRange;
  readonly maxConcurrency?: SourceRange;
  readonly limits?: SourceRange;
  readonly tools?: SourceRange;
}

export interface Plan {
  readonly name: string;
  readonly format: PlanFormat;
  /** Source text syntax, for quick fixes: 'json' | 'yaml' for native plans, 'text' for imports. */
  readonly syntax: 'json' | 'yaml' | 'text';
  readonly maxConcurrency?: number;
  /** Per-resource caps. A null-prototype record: resource names are plan text. */
  readonly limits: Readonly<Record<string, number>>;
  /**
   * `limits: { api: { max: 8, adaptive: true, min? } }`: resources whose limit adapts (AIMD) to
   * 429/503 answers, starting at `limits[resource]` (README "Adaptive limits"). Null-prototype.
   */
  readonly adaptiveLimits?: Readonly<Record<string, { readonly min?: number }>>;
  readonly failurePolicy: FailurePolicy;
  readonly defaults: ToolDefaults;
  /** Opt-in: identical calls (same kind and args) run once and share the result. */
  readonly dedupe: boolean;
  readonly tools: readonly ToolSpec[];
  /** `mcpServers`: servers the plan's `mcp` tools call, by name (null-prototype record). */
  readonly mcpServers?: Readonly<Record<string, McpServerConfig>>;
  /**
   * `serialWrites`: read-only calls run concurrently, calls that may write run one at a time per
   * server (README "Safety classes").
   */
  readonly serialWrites?: boolean;
  /**
   * Ids of tools left out because the schema rejected them (e.g. an unknown kind). A dependency on
   * one is not reported again as unknown: the schema error already says what is wrong.
   */
  readonly unreadIds?: readonly string[];
  /** Present when the plan was assembled from a recorded stream (the *-stream formats). */
  readonly stream?: PlanStreamInfo;
  readonly ranges: PlanRanges;
}

export const ERROR_CODES = [
  'parse-error', 'schema', 'duplicate-id', 'unknown-dependency', 'self-dependency', 'cycle', 'unknown-reference',
] as const;
export const PITFALL_CODES = [
  'undeclared-dependency', 'unbounded-concurrency', 'write-conflict', 'no-parallelism', 'cpu-oversubscribed',
  'duplicate-call', 'missing-timeout', 'retry-not-idempotent', 'straggler',
] as const;
/** Findings of `fanout audit` on a recorded trace (DESIGN §10); the pitfall codes apply there too. */
export const AUDIT_CODES = ['serialized-batch', 'missed-parallelism', 'collateral-cancellation'] as const;
/** Real-tool checks (DESIGN §7), made when the servers' tools are known (README "Real tools"). */
export const TOOL_CHECK_CODES = ['unknown-tool', 'invalid-arguments', 'ambiguous-tool'] as const;
export type DiagnosticCode = (typeof ERROR_CODES)[number] | (typeof PITFALL_CODES)[number] | (typeof AUDIT_CODES)[number] | (typeof TOOL_CHECK_CODES)[number];
export type Severity = 'error' | 'warning' | 'info';

/** A text replacement on the original source: offsets are UTF-16 code units, as in VS Code. */
export interface TextEdit {
  readonly offset: number;
  readonly length: number;
  readonly newText: string;
}

export interface QuickFix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** What is wrong and how to fix it, in one or two sentences. */
  readonly message: string;
  readonly tools: readonly string[];
  /** 1-based start (contract fields), plus the full range for editors. */
  readonly line: number;
  readonly column: number;
  readonly range: SourceRange;
  /** The lesson step id that explains this diagnostic. */
  readonly lesson: string;
  /** A one-line suggestion, when the fix is not mechanical. */
  readonly suggestion?: string;
  /** A mechanical fix, when one exists. */
  readonly fix?: QuickFix;
}

export interface ParseOptions {
  /** Shown in messages; also decides JSON vs YAML for native files. */
  readonly fileName?: string;
  /** Duration assumed for imported calls and tools without durationMs/estimateMs. Default 1000. */
  readonly defaultEstimateMs?: number;
}

export interface ParseResult {
  /** Present whenever the text could be read as a plan, even when it has errors. */
  readonly plan?: Plan;
  readonly diagnostics: readonly Diagnostic[];
  /** The original text (quick fixes and positions refer to it). */
  readonly text: string;
  /**
   * The format the input was recognised as, also when it could not be imported (no plan): a
   * Gemini request without model turns is still reported as `gemini` (DESIGN §6).
   */
  readonly format?: PlanFormat;
}

export const DEFAULT_ESTIMATE_MS = 1000;

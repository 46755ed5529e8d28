import { parsePlan } from '../parse';
import type { Diagnostic, JsonObject, PlanFormat } from '../types';

// The importers as plain functions for the library (DESIGN §8 `fromOpenAI`, `fromGemini`, …):
// a payload in, the calls it asks for out, with the provider's own ids, names and arguments.
// They run the same detection and importers as `fanout analyze`, so a payload reads the same way
// in the CLI, the editor and the library.

/** One call a model asked for: the provider's call id (or a stable derived one), the function name, its arguments. */
export interface ToolCall {
  readonly id: string;
  readonly name: string;
  readonly args: JsonObject;
}

export interface ReadCallsResult {
  /** The detected format (also when no calls could be imported). */
  readonly format?: PlanFormat;
  readonly calls: readonly ToolCall[];
  /** Everything the importer said: broken arguments, duplicate ids, calls left out. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Thrown by importCalls when the payload holds no calls of the format asked for; the diagnostics say why. */
export class ImportCallsError extends Error {
  constructor(message: string, readonly format: PlanFormat | undefined, readonly diagnostics: readonly Diagnostic[]) {
    super(message);
    this.name = 'ImportCallsError';
  }
}

/**
 * The calls in a payload of any supported format, detected as `fanout analyze` does. `input` is
 * the payload as a value (a response object, a message, a list of chunks…) or as text (JSON,
 * YAML, an SSE recording, JSON lines, an LLMCompiler plan).
 */
export function readCalls(input: unknown): ReadCallsResult {
  const text = toText(input);
  if (text === undefined) return { calls: [], diagnostics: [] };
  const parsed = parsePlan(text);
  const calls = parsed.plan && parsed.plan.format !== 'native'
    ? parsed.plan.tools.map((t): ToolCall => ({ id: t.callId ?? t.id, name: t.label, args: t.args }))
    : [];
  return { ...(parsed.format ? { format: parsed.format } : {}), calls, diagnostics: parsed.diagnostics };
}

/**
 * The calls of a payload that must be of `format` (or of its stream form: `openai` accepts an
 * `openai-stream` recording). Throws ImportCallsError, naming what was found, otherwise.
 */
export function importCalls(format: PlanFormat, input: unknown): ToolCall[] {
  const r = readCalls(input);
  const accepted = r.format === format || r.format === `${format}-stream`;
  if (!accepted || r.calls.length === 0) {
    const firstError = r.diagnostics.find((d) => d.severity === 'error');
    const found = r.format === undefined ? 'no recognisable payload' : r.format === format ? `a ${format} payload without calls` : `a ${r.format} payload`;
    throw new ImportCallsError(`Expected ${format} tool calls, found ${found}${firstError ? `: ${firstError.message}` : '.'}`, r.format, r.diagnostics);
  }
  return [...r.calls];
}

function toText(input: unknown): string | undefined {
  if (typeof input === 'string') return input;
  if (input === undefined || typeof input === 'function' || typeof input === 'symbol') return undefined;
  try {
    return JSON.stringify(input, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
  } catch (err) {
    throw new ImportCallsError(`The payload cannot be read as JSON (${err instanceof Error ? err.message : String(err)}). Pass the response object or its JSON text.`, undefined, []);
  }
}

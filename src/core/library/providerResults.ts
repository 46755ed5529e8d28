// Results the providers accept (DESIGN §8; README "Use it in your agent"). Every call gets exactly
// one result whatever its status, because every provider rejects (or silently mis-pairs) a turn in
// which a tool call goes unanswered. Texts are built once here so all four providers say the same.
import type { JsonValue } from '../plan/types';
import type { BatchResult, CallResult } from './results';

/**
 * Default cap on one result's text, in characters (about 25k tokens): a model's context is finite
 * and one runaway tool must not crowd out the rest of the turn. Override with `maxOutputChars`.
 */
export const DEFAULT_MAX_OUTPUT_CHARS = 100_000;

export interface ResultTextOptions {
  /** Longer texts are cut and end with a visible marker. Default DEFAULT_MAX_OUTPUT_CHARS; Infinity turns it off. */
  readonly maxOutputChars?: number;
}

type Results = BatchResult | readonly CallResult[];

function resultsOf(r: Results): readonly CallResult[] {
  return Array.isArray(r) ? (r as readonly CallResult[]) : (r as BatchResult).results;
}

/**
 * The text a model is shown for one call. Succeeded: a string output as it is, anything else as
 * compact JSON (`null` for no output). Any other status: `Error: …` saying what happened, so the
 * model can tell a failure from an output.
 */
export function resultText(result: CallResult, options: ResultTextOptions = {}): string {
  return truncate(result.status === 'succeeded' ? outputText(result.output) : errorText(result), options.maxOutputChars);
}

function outputText(output: JsonValue): string {
  if (typeof output === 'string') return output;
  return JSON.stringify(output ?? null);
}

function errorText(r: CallResult): string {
  const why = r.error ? `: ${r.error}` : '';
  switch (r.status) {
    case 'failed': return `Error: the tool ${r.name} failed${why}`;
    case 'timed-out': return `Error: the tool ${r.name} timed out${why}`;
    case 'cancelled': return `Error: the call to ${r.name} was cancelled before it finished${why}`;
    case 'skipped': return `Error: the call to ${r.name} was skipped${why}`;
    case 'denied': return `Error: the call to ${r.name} was denied by the user or the approval policy; it did not run${why}`;
    default: return `Error: the call to ${r.name} ended ${String(r.status)}${why}`;
  }
}

/** Cuts `text` to `max` characters including the marker, which states how much was dropped. */
export function truncate(text: string, max: number = DEFAULT_MAX_OUTPUT_CHARS): string {
  if (!(max >= 0) || text.length <= max) return text;
  const marker = (n: number): string => `\n…[truncated by fanout: ${n} of ${text.length} characters dropped]`;
  let keep = Math.max(0, max - marker(text.length).length);
  // Do not split a surrogate pair: the cut text must stay valid UTF-16.
  const code = text.charCodeAt(keep - 1);
  if (keep > 0 && code >= 0xd800 && code <= 0xdbff) keep -= 1;
  return text.slice(0, keep) + marker(text.length - keep);
}

export interface OpenAIToolMessage {
  readonly role: 'tool';
  readonly tool_call_id: string;
  readonly content: string;
}

/**
 * Chat Completions tool messages, one per call in call order: append them after the assistant
 * message that holds the `tool_calls`.
 *
 * @example
 * const calls = fromOpenAI(completion);
 * const batch = await runToolCalls(calls, handlers);
 * messages.push(completion.choices[0].message, ...toOpenAIToolMessages(batch));
 */
export function toOpenAIToolMessages(result: Results, options: ResultTextOptions = {}): OpenAIToolMessage[] {
  return resultsOf(result).map((r) => ({ role: 'tool', tool_call_id: r.id, content: resultText(r, options) }));
}

export interface ResponsesOutput {
  readonly type: 'function_call_output';
  readonly call_id: string;
  readonly output: string;
}

/**
 * Responses API input items, one `function_call_output` per call in call order.
 *
 * @example
 * const batch = await runToolCalls(fromResponses(response), handlers);
 * await client.responses.create({ model, previous_response_id: response.id, input: toResponsesOutputs(batch) });
 */
export function toResponsesOutputs(result: Results, options: ResultTextOptions = {}): ResponsesOutput[] {
  return resultsOf(result).map((r) => ({ type: 'function_call_output', call_id: r.id, output: resultText(r, options) }));
}

export interface AnthropicToolResultBlock {
  readonly type: 'tool_result';
  readonly tool_use_id: string;
  readonly content: string;
  readonly is_error?: true;
}

export interface AnthropicTextBlock {
  readonly type: 'text';
  readonly text: string;
}

export interface AnthropicToolResultMessage {
  readonly role: 'user';
  readonly content: readonly (AnthropicToolResultBlock | AnthropicTextBlock)[];
}

export interface AnthropicResultOptions extends ResultTextOptions {
  /** Text to send in the same user turn; it goes after every tool_result block, as Anthropic requires. */
  readonly text?: string;
}

/**
 * One Anthropic user message answering every `tool_use` of the assistant turn: the tool_result
 * blocks in call order, first, then `options.text` if given. A call that did not succeed has
 * `is_error: true`.
 *
 * @example
 * const batch = await runToolCalls(fromAnthropic(message), handlers);
 * messages.push({ role: 'assistant', content: message.content }, toAnthropicToolResults(batch));
 */
export function toAnthropicToolResults(result: Results, options: AnthropicResultOptions = {}): AnthropicToolResultMessage {
  const blocks: (AnthropicToolResultBlock | AnthropicTextBlock)[] = resultsOf(result).map((r) =>
    r.status === 'succeeded'
      ? { type: 'tool_result', tool_use_id: r.id, content: resultText(r, options) }
      : { type: 'tool_result', tool_use_id: r.id, content: resultText(r, options), is_error: true });
  if (options.text !== undefined && options.text !== '') blocks.push({ type: 'text', text: options.text });
  return { role: 'user', content: blocks };
}

export interface GeminiFunctionResponsePart {
  readonly functionResponse: {
    readonly id: string;
    readonly name: string;
    /** `{ output }` for a success, `{ error }` otherwise (Gemini's documented convention). */
    readonly response: { readonly output: JsonValue } | { readonly error: string };
  };
}

/**
 * Gemini `functionResponse` parts, one per call in call order: send them as the parts of one
 * `{ role: 'user', parts }` content. Structured outputs stay structured unless their JSON is longer
 * than `maxOutputChars`, when they become the truncated JSON text.
 *
 * @example
 * const batch = await runToolCalls(fromGemini(response), handlers);
 * contents.push(response.candidates[0].content, { role: 'user', parts: toGeminiFunctionResponses(batch) });
 */
export function toGeminiFunctionResponses(result: Results, options: ResultTextOptions = {}): GeminiFunctionResponsePart[] {
  return resultsOf(result).map((r) => {
    if (r.status !== 'succeeded') return { functionResponse: { id: r.id, name: r.name, response: { error: resultText(r, options) } } };
    const text = outputText(r.output);
    const max = options.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS;
    const output: JsonValue = text.length > max ? truncate(text, max) : (r.output ?? null);
    return { functionResponse: { id: r.id, name: r.name, response: { output } } };
  });
}

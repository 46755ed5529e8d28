// The importers as the library's `from*` functions (DESIGN §8): the same detection and importers
// as `fanout analyze` (src/core/plan/importers/calls.ts), one name per provider.
import { importCalls, type ToolCall } from '../plan/importers/calls';

/**
 * The calls of an OpenAI Chat Completions response, its assistant message, a conversation, or a
 * recorded stream. Throws ImportCallsError (with the importer's diagnostics) when there are none.
 *
 * @example
 * const calls = fromOpenAI(await client.chat.completions.create({ model, messages, tools }));
 * // [{ id: 'call_abc', name: 'get_weather', args: { city: 'Paris' } }, …]
 */
export function fromOpenAI(x: unknown): ToolCall[] {
  return importCalls('openai', x);
}

/**
 * The `function_call` items of an OpenAI Responses API response (or its `output` list, or a stream).
 *
 * @example
 * const calls = fromResponses(await client.responses.create({ model, input, tools }));
 */
export function fromResponses(x: unknown): ToolCall[] {
  return importCalls('openai-responses', x);
}

/**
 * The `tool_use` blocks of an Anthropic Messages response (or its message, a conversation, a stream).
 *
 * @example
 * const calls = fromAnthropic(await client.messages.create({ model, max_tokens, messages, tools }));
 */
export function fromAnthropic(x: unknown): ToolCall[] {
  return importCalls('anthropic', x);
}

/**
 * The `functionCall` parts of a Gemini generateContent response (or its content).
 *
 * @example
 * const calls = fromGemini(await ai.models.generateContent({ model, contents, config: { tools } }));
 */
export function fromGemini(x: unknown): ToolCall[] {
  return importCalls('gemini', x);
}

// One recorded payload of every plan.format (DESIGN §6), for the tests and benches that go over all
// of them: the plan view's badge, selection analysis, per-format import speed. Paths from the repo
// root; each file's source is named in test/fixtures/payloads/README.md or
// test/unit/importers/fixtures (the unit tests of each importer).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanFormat } from '../../../src/core/plan/types';

export interface FormatSample {
  readonly format: PlanFormat;
  /** The badge's text for it (core/plan/formatNames.ts). */
  readonly name: string;
  readonly file: string;
  /** Every imported call: its tool id (the provider's id when it has one), its name and its args. */
  readonly calls: readonly { readonly id: string; readonly label: string; readonly args: Readonly<Record<string, unknown>> }[];
}

export const REPO_ROOT = join(__dirname, '..', '..', '..');

export const FORMAT_SAMPLES: readonly FormatSample[] = [
  { format: 'native', name: 'Fanout plan', file: 'lessons/samples/parallel-trip.toolplan.json', calls: [] },
  {
    format: 'openai', name: 'OpenAI Chat', file: 'test/unit/importers/fixtures/openai-chat-response.json', calls: [
      { id: 'call_k2Xh7aQz9VbL1mN3pR5tW8yE', label: 'get_weather', args: { city: 'Paris', unit: 'celsius' } },
      { id: 'call_P4sD6fG8hJ0kL2zX4cV6bN8m', label: 'get_weather', args: { city: 'Tokyo', unit: 'celsius' } },
      { id: 'call_Q1wE3rT5yU7iO9pA1sD3fG5h', label: 'search_flights', args: { from: 'CDG', to: 'HND', date: '2025-03-14', passengers: 2 } },
    ],
  },
  {
    format: 'openai-responses', name: 'OpenAI Responses', file: 'test/unit/importers/fixtures/responses-output.json', calls: [
      { id: 'call_12345xyz', label: 'get_weather', args: { location: 'Paris, France' } },
      { id: 'call_67890abc', label: 'get_weather', args: { location: 'Bogotá, Colombia' } },
    ],
  },
  {
    format: 'anthropic', name: 'Anthropic', file: 'test/unit/importers/fixtures/anthropic-response.json', calls: [
      { id: 'toolu_01A09q90qw90lq917835lq9', label: 'get_weather', args: { location: 'San Francisco, CA', unit: 'fahrenheit' } },
      { id: 'toolu_01B19r01rx01mr028946mr0', label: 'get_weather', args: { location: 'New York, NY', unit: 'fahrenheit' } },
      { id: 'toolu_01C29s12sy12ns139057ns1', label: 'get_time', args: { timezone: 'America/New_York' } },
    ],
  },
  {
    format: 'llmcompiler', name: 'LLMCompiler', file: 'test/unit/importers/fixtures/llmcompiler-paper.txt', calls: [
      { id: 's1', label: 'search', args: { 0: 'Microsoft Market Cap' } },
      { id: 's2', label: 'search', args: { 0: 'Apple Market Cap' } },
      { id: 's3', label: 'math', args: { 0: '${s2.output} / ${s1.output}' } },
    ],
  },
  {
    format: 'gemini', name: 'Gemini', file: 'test/fixtures/payloads/gemini/response-parallel.json', calls: [
      { id: 'print', label: 'print', args: { text: 'Hello World', color: 'red' } },
      { id: 'beep', label: 'beep', args: {} },
    ],
  },
  {
    format: 'bedrock', name: 'Bedrock Converse', file: 'test/fixtures/payloads/bedrock/converse-response.json', calls: [
      { id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', label: 'top_song', args: { sign: 'WZPZ' } },
    ],
  },
  {
    format: 'vercel-ai', name: 'Vercel AI SDK', file: 'test/fixtures/payloads/vercel-ai/generate-text-tool-calls.json', calls: [
      { id: 'lpndqlku', label: 'get_weather', args: { city: 'Paris' } },
      { id: 'm6rogicj', label: 'get_weather', args: { city: 'Tokyo' } },
    ],
  },
  {
    format: 'langchain', name: 'LangChain', file: 'test/fixtures/payloads/langchain/ai-message.json', calls: [
      { id: 'call_1fyhJAbJHuKQe6n0PacubGsL', label: 'multiply', args: { a: 3, b: 12 } },
      { id: 'call_fc2jVkKzwuPWyU7kS9qn1hyG', label: 'add', args: { a: 11, b: 49 } },
    ],
  },
  {
    format: 'mcp', name: 'MCP', file: 'test/fixtures/payloads/mcp/client-log.jsonl', calls: [
      { id: 'call_2', label: 'get_weather', args: { location: 'New York' } },
      { id: 'call_3', label: 'get_weather', args: { location: 'London' } },
    ],
  },
  {
    format: 'ollama', name: 'Ollama', file: 'test/fixtures/payloads/ollama/chat-tool-call.json', calls: [
      { id: 'get_current_weather', label: 'get_current_weather', args: { format: 'celsius', location: 'Paris, FR' } },
    ],
  },
  {
    format: 'cohere', name: 'Cohere', file: 'test/fixtures/payloads/cohere/chat-v2-tool-call.json', calls: [
      { id: 'search_emails_wmqb4gyz1a3j', label: 'search_emails', args: { query: 'IT setup' } },
    ],
  },
  {
    format: 'openai-stream', name: 'OpenAI Chat stream', file: 'test/fixtures/payloads/streams/openai-chat-tool-call.sse', calls: [
      { id: 'call_9ctHOJqO3bYrpm2A6S7nHd5k', label: 'get_current_weather', args: { location: 'Boston, MA' } },
    ],
  },
  {
    format: 'openai-responses-stream', name: 'OpenAI Responses stream', file: 'test/fixtures/payloads/streams/responses-tool-call.jsonl', calls: [
      { id: 'call_2FQdm3Br7Qb35YUBSkDR7kue', label: 'get_weather', args: { city: 'Beijing' } },
    ],
  },
  {
    format: 'anthropic-stream', name: 'Anthropic stream', file: 'test/fixtures/payloads/streams/anthropic-tool-use.sse', calls: [
      { id: 'toolu_01VqG2jCdyjoB9HMTFnCKeo2', label: 'google_search', args: { query: 'Foo Fighters' } },
    ],
  },
];

export function sampleText(s: FormatSample): string {
  return readFileSync(join(REPO_ROOT, s.file), 'utf8');
}

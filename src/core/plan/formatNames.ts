// What each plan.format is called where a person reads it (the plan view's badge, the block
// picker): the provider or framework as its own docs name it. The id stays the contract (DESIGN §6,
// `analyze --json`); this is the one table of display names, so the host and every view agree.
import { PLAN_FORMATS, type PlanFormat } from './types';

export const FORMAT_NAMES: Readonly<Record<PlanFormat, string>> = {
  native: 'Fanout plan',
  openai: 'OpenAI Chat',
  'openai-responses': 'OpenAI Responses',
  anthropic: 'Anthropic',
  llmcompiler: 'LLMCompiler',
  gemini: 'Gemini',
  bedrock: 'Bedrock Converse',
  'vercel-ai': 'Vercel AI SDK',
  langchain: 'LangChain',
  mcp: 'MCP',
  ollama: 'Ollama',
  cohere: 'Cohere',
  'openai-stream': 'OpenAI Chat stream',
  'openai-responses-stream': 'OpenAI Responses stream',
  'anthropic-stream': 'Anthropic stream',
};

const KNOWN: ReadonlySet<string> = new Set(PLAN_FORMATS);

/** The display name of a format id; an id Fanout does not know (a view of unreadable text) as is. */
export function formatName(format: string): string {
  return KNOWN.has(format) ? FORMAT_NAMES[format as PlanFormat] : format === 'unknown' ? 'Not a plan' : format;
}

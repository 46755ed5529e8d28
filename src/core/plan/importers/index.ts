import { anthropicImporter } from './anthropic';
import { bedrockImporter } from './bedrock';
import { cohereImporter } from './cohere';
import { langchainImporter } from './langchain';
import { mcpImporter } from './mcp';
import { ollamaImporter } from './ollama';
import { vercelAiImporter } from './vercelAi';
import { geminiImporter } from './gemini';
import { llmCompilerImporter } from './llmcompiler';
import { openaiImporter } from './openai';
import { openaiResponsesImporter } from './openaiResponses';
import type { TextImporter, TreeImporter } from './types';

// Order matters: the first importer whose detect() accepts the input handles it.
// Responses items and Anthropic blocks carry distinctive `type`s; OpenAI Chat goes last because it
// also claims plain role/content conversations (to explain that they have no tool calls).
// Gemini contents and AI SDK UI messages carry a `role` too, so they go before OpenAI's catch-all
// for role lists; LangChain (tool_calls of {name, args}), Ollama (object arguments) and Cohere
// (tool_plan, upper-case finish_reason) have tool_calls that OpenAI would misread.
export const TREE_IMPORTERS: readonly TreeImporter[] = [
  mcpImporter, openaiResponsesImporter, anthropicImporter, bedrockImporter, vercelAiImporter, geminiImporter,
  langchainImporter, cohereImporter, ollamaImporter, openaiImporter,
];
export const TEXT_IMPORTERS: readonly TextImporter[] = [llmCompilerImporter];

export type { ImportContext, ImportedToolSpec, ImportResult, TextImporter, TreeImporter } from './types';

import { anthropicImporter } from './anthropic';
import { geminiImporter } from './gemini';
import { llmCompilerImporter } from './llmcompiler';
import { openaiImporter } from './openai';
import { openaiResponsesImporter } from './openaiResponses';
import type { TextImporter, TreeImporter } from './types';

// Order matters: the first importer whose detect() accepts the input handles it.
// Responses items and Anthropic blocks carry distinctive `type`s; OpenAI Chat goes last because it
// also claims plain role/content conversations (to explain that they have no tool calls).
// Gemini contents carry a `role` too, so they go before OpenAI's catch-all for role lists.
export const TREE_IMPORTERS: readonly TreeImporter[] = [openaiResponsesImporter, anthropicImporter, geminiImporter, openaiImporter];
export const TEXT_IMPORTERS: readonly TextImporter[] = [llmCompilerImporter];

export type { ImportContext, ImportedToolSpec, ImportResult, TextImporter, TreeImporter } from './types';

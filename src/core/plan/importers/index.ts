import { openaiImporter } from './openai';
import type { TextImporter, TreeImporter } from './types';

// Order matters: the first importer whose detect() accepts the input handles it.
export const TREE_IMPORTERS: readonly TreeImporter[] = [openaiImporter];
export const TEXT_IMPORTERS: readonly TextImporter[] = [];

export type { ImportContext, ImportedToolSpec, ImportResult, TextImporter, TreeImporter } from './types';

import type { TextImporter, TreeImporter } from './types';

// Order matters: the first importer whose detect() accepts the input handles it.
export const TREE_IMPORTERS: readonly TreeImporter[] = [];
export const TEXT_IMPORTERS: readonly TextImporter[] = [];

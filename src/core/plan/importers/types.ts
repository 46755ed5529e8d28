import type { LineIndex } from '../positions';
import type { PNode } from '../tree';
import type { Diagnostic, Plan, PlanFormat, ToolSpec } from '../types';

export interface ImportContext {
  readonly text: string;
  readonly lines: LineIndex;
  /** Duration given to every imported call (they carry no timing of their own). */
  readonly defaultEstimateMs: number;
  readonly fallbackName: string;
}

export interface ImportResult {
  readonly plan?: Plan;
  readonly diagnostics: readonly Diagnostic[];
  /** The format recognised, when it is not the importer's own (a stream reader finds which stream). */
  readonly format?: PlanFormat;
}

/** A tool made from an imported call (LLMCompiler's `Thought:` line lands in ToolSpec.description). */
export type ImportedToolSpec = ToolSpec;

/** Imports a provider payload that arrived as JSON or YAML (OpenAI, Anthropic…). */
export interface TreeImporter {
  readonly format: PlanFormat;
  /** Cheap structural check on the parsed tree; the first importer that claims a tree gets it. */
  detect(root: PNode): boolean;
  import(root: PNode, ctx: ImportContext): ImportResult;
}

/** Imports a plan written as text (LLMCompiler's numbered calls). */
export interface TextImporter {
  readonly format: PlanFormat;
  detect(text: string): boolean;
  import(ctx: ImportContext): ImportResult;
}

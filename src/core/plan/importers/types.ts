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
}

/**
 * A tool made from an imported call. `description` is the planner's reasoning for the call when the
 * format carries one (LLMCompiler's `Thought:` line before a step); it is an added field, so an
 * ImportedToolSpec is a ToolSpec everywhere.
 */
export interface ImportedToolSpec extends ToolSpec {
  readonly description?: string;
}

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

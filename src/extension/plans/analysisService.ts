// Parse/analyze results per document version, so diagnostics, CodeLens, code actions and runs
// share one analysis instead of each re-parsing the text.
import * as vscode from 'vscode';
import type { EstimateTable } from '../../core/analysis/durations';
import { predictMakespan } from '../../core/engine/simulate';
import { Disposable } from '../disposable';
import { getSettings } from '../settings';
import { analyzeSource, type SourceAnalysis } from './analyzeSource';
import type { Diagnostic } from '../../core/plan/types';
import { DOCUMENT_START, type TextBase } from './offsets';
import { isPlanFileName } from './planFiles';
import { SELECTION_SCHEME } from './selectionDocument';

export interface DocumentAnalysis extends SourceAnalysis {
  readonly uri: vscode.Uri;
  readonly version: number;
  /** True when only a selection was analysed (Analyze command). */
  readonly selection: boolean;
}

export interface AnalysisInputs {
  /** Durations learned from earlier runs (history). */
  estimates(): EstimateTable | undefined;
}

export function isPlanDocument(doc: vscode.TextDocument): boolean {
  return isPlanFileName(doc.uri.path) || isPlanFileName(doc.fileName);
}

export class AnalysisService extends Disposable {
  private readonly cache = new Map<string, DocumentAnalysis>();
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri | undefined>());
  /** Fires with a document whose cached analysis changed, or undefined when all are stale. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly inputs: AnalysisInputs) {
    super();
    this.onDispose(() => this.cache.clear());
  }

  /** The whole document's analysis at its current version (computed on demand, then cached). */
  forDocument(doc: vscode.TextDocument): DocumentAnalysis {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version && !hit.selection) return hit;
    const result = this.compute(doc, doc.getText(), { offset: 0, line: 1, column: 1 }, false);
    this.cache.set(key, result);
    return result;
  }

  /** A selection's analysis (not cached: the next edit or whole-document analysis replaces it). */
  forSelection(doc: vscode.TextDocument, selection: vscode.Range): DocumentAnalysis {
    const start = selection.start;
    const base: TextBase = { offset: doc.offsetAt(start), line: start.line + 1, column: start.character + 1 };
    return this.compute(doc, doc.getText(selection), base, true);
  }

  /** The last whole-document analysis, even if the document changed since (CodeLens between edits). */
  peek(uri: vscode.Uri): DocumentAnalysis | undefined {
    return this.cache.get(uri.toString());
  }

  /** Tells listeners (CodeLens) that a document's analysis was refreshed. Not fired by forDocument, which providers call. */
  notify(uri: vscode.Uri): void {
    this.changed.fire(uri);
  }

  /** A document that cannot be read (closed, deleted): no plan, one error saying what to do. */
  unavailable(uri: vscode.Uri, message: string): DocumentAnalysis {
    const range = { offset: 0, length: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
    const diagnostic: Diagnostic = { code: 'parse-error', severity: 'error', message, tools: [], line: 1, column: 1, range, lesson: 'plan-format' };
    return { base: DOCUMENT_START, parsed: { diagnostics: [diagnostic], text: '' }, diagnostics: [diagnostic], uri, version: -1, selection: false };
  }

  forget(uri: vscode.Uri): void {
    this.cache.delete(uri.toString());
  }

  /** Settings or learned estimates changed: every cached result is stale. */
  invalidateAll(): void {
    this.cache.clear();
    this.changed.fire(undefined);
  }

  private compute(doc: vscode.TextDocument, text: string, base: TextBase, selection: boolean): DocumentAnalysis {
    const settings = getSettings(doc.uri);
    const estimates = this.inputs.estimates();
    // The core decides JSON vs YAML from the name; a selection in a Markdown file gets no hint.
    // Neither does a virtual selection document (its path is the source file's, e.g. notes.md).
    const fileName = (selection || doc.uri.scheme === SELECTION_SCHEME) && !isPlanDocument(doc) ? '' : doc.uri.path;
    const src = analyzeSource(text, {
      fileName,
      defaultEstimateMs: settings.defaultEstimateMs,
      ...(estimates ? { estimates } : {}),
      // The engine's own schedule under the caps a run would use (the setting applies when the plan has none).
      predictMakespan: (plan, graph, durations, cores) =>
        predictMakespan(plan, graph, durations, plan.maxConcurrency === undefined ? settings.maxConcurrency ?? undefined : undefined, cores),
    }, base);
    return { ...src, uri: doc.uri, version: doc.version, selection };
  }

}

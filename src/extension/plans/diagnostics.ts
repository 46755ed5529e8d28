// Core diagnostics → the Problems panel: ranges from offsets (UTF-16, as VS Code counts), a code
// that links to the lesson ("Learn why"), severities, related tools.
import * as vscode from 'vscode';
import type { Diagnostic } from '../../core/plan/types';
import { Disposable } from '../disposable';
import { COMMANDS } from '../runBus';
import { messageWithCount, relatedTools, relationText } from './analyzeSource';
import type { DocumentAnalysis } from './analysisService';

export const DIAGNOSTIC_SOURCE = 'Fanout';

const SEVERITY: Record<Diagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** Opens the lesson step; with the diagnostic's code, at the section that explains it. */
export function lessonCommandUri(step: string, code?: string): vscode.Uri {
  return vscode.Uri.parse(`command:${COMMANDS.openLessons}?${encodeURIComponent(JSON.stringify(code ? [step, code] : [step]))}`);
}

export function rangeAt(doc: vscode.TextDocument, offset: number, length: number): vscode.Range {
  return new vscode.Range(doc.positionAt(offset), doc.positionAt(offset + Math.max(0, length)));
}

/** One published diagnostic and the core diagnostic it came from (for quick fixes). */
export interface Published {
  readonly vs: vscode.Diagnostic;
  readonly core: Diagnostic;
}

export function toVscodeDiagnostic(doc: vscode.TextDocument, src: DocumentAnalysis, d: Diagnostic): vscode.Diagnostic {
  const related = relatedTools(src, d);
  const vs = new vscode.Diagnostic(rangeAt(doc, d.range.offset, d.range.length), messageWithCount(d, related), SEVERITY[d.severity]);
  vs.source = DIAGNOSTIC_SOURCE;
  vs.code = { value: d.code, target: lessonCommandUri(d.lesson, d.code) };
  if (d.code === 'duplicate-call') vs.tags = [vscode.DiagnosticTag.Unnecessary];
  if (related.shown.length > 0) {
    vs.relatedInformation = related.shown.map((r) => new vscode.DiagnosticRelatedInformation(
      new vscode.Location(doc.uri, rangeAt(doc, r.offset, r.length)), relationText(d, r.id)));
  }
  return vs;
}

export class DiagnosticsPublisher extends Disposable {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('fanout'));
  private readonly published = new Map<string, { version: number; items: readonly Published[]; selection: boolean }>();

  constructor() {
    super();
    this.onDispose(() => this.published.clear());
  }

  publish(doc: vscode.TextDocument, src: DocumentAnalysis): void {
    const items = src.diagnostics.map((core) => ({ core, vs: toVscodeDiagnostic(doc, src, core) }));
    this.published.set(doc.uri.toString(), { version: src.version, items, selection: src.selection });
    this.collection.set(doc.uri, items.map((i) => i.vs));
  }

  /** What was published for a document, and at which version. */
  get(uri: vscode.Uri): { version: number; items: readonly Published[]; selection: boolean } | undefined {
    return this.published.get(uri.toString());
  }

  clear(uri: vscode.Uri): void {
    this.published.delete(uri.toString());
    this.collection.delete(uri);
  }

}

// Quick fixes: the core's mechanical fixes (text edits) as WorkspaceEdits, plus "Learn why".
import * as vscode from 'vscode';
import type { Diagnostic } from '../../core/plan/types';
import { COMMANDS } from '../runBus';
import type { AnalysisService } from './analysisService';
import { DIAGNOSTIC_SOURCE, rangeAt, type DiagnosticsPublisher } from './diagnostics';

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (typeof c === 'object' && c !== null) return String(c.value);
  return c === undefined ? undefined : String(c);
}

export class PlanCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly publisher: DiagnosticsPublisher, private readonly analyses: AnalysisService) {}

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (ours.length === 0) return [];
    const actions: vscode.CodeAction[] = [];
    const lessons = new Set<string>();
    for (const vs of ours) {
      const core = this.find(doc, vs, range);
      if (!core) continue;
      if (core.fix && core.fix.edits.length > 0) {
        const action = new vscode.CodeAction(core.fix.title, vscode.CodeActionKind.QuickFix);
        const edit = new vscode.WorkspaceEdit();
        for (const e of core.fix.edits) edit.replace(doc.uri, rangeAt(doc, e.offset, e.length), e.newText);
        action.edit = edit;
        action.diagnostics = [vs];
        // Each core diagnostic carries at most one fix, and it is the mechanical one: prefer it.
        action.isPreferred = true;
        actions.push(action);
      }
      if (!lessons.has(core.lesson)) {
        lessons.add(core.lesson);
        const learn = new vscode.CodeAction(`Learn why: ${core.lesson.replace(/-/g, ' ')}`, vscode.CodeActionKind.QuickFix);
        learn.command = { command: COMMANDS.openLessons, title: 'Open lesson', arguments: [core.lesson] };
        learn.diagnostics = [vs];
        actions.push(learn);
      }
    }
    return actions;
  }

  /** The core diagnostic behind a shown one. Edits are only offered against the text they were computed for. */
  private find(doc: vscode.TextDocument, vs: vscode.Diagnostic, range: vscode.Range): Diagnostic | undefined {
    const code = codeOf(vs);
    const published = this.publisher.get(doc.uri);
    if (published && published.version === doc.version) {
      const hit = published.items.find((p) => p.core.code === code && p.vs.message === vs.message && p.vs.range.isEqual(vs.range));
      if (hit) return hit.core;
    }
    // The document moved on since the diagnostics were published: re-analyse the current text.
    if (published?.selection) return undefined;
    const fresh = this.analyses.forDocument(doc);
    const candidates = fresh.diagnostics.filter((d) => d.code === code && d.message === vs.message);
    return candidates.find((d) => rangeAt(doc, d.range.offset, d.range.length).intersection(range) !== undefined) ?? candidates[0];
  }
}

// Quick fixes: the core's mechanical fixes (text edits) as WorkspaceEdits, plus "Learn why".
import * as vscode from 'vscode';
import { DIAGNOSTIC_LESSONS, lessonFor } from '../../core/plan/lessonIds';
import type { DiagnosticCode } from '../../core/plan/types';
import { COMMANDS } from '../runBus';
import { DIAGNOSTIC_SOURCE, rangeAt, type DiagnosticsPublisher } from './diagnostics';

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (typeof c === 'object' && c !== null) return String(c.value);
  return c === undefined ? undefined : String(c);
}

export class PlanCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly publisher: DiagnosticsPublisher) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (ours.length === 0) return [];
    // Fixes are edits on the text they were computed from: while the user types, the published
    // diagnostics lag behind (debounced) and only "Learn why" is offered until they catch up.
    const published = this.publisher.get(doc.uri);
    const current = published && published.version === doc.version ? published.items : [];
    const actions: vscode.CodeAction[] = [];
    const lessons = new Set<string>();
    for (const vs of ours) {
      const code = codeOf(vs);
      const core = current.find((p) => p.core.code === code && p.vs.message === vs.message && p.vs.range.isEqual(vs.range))?.core;
      if (core?.fix && core.fix.edits.length > 0) {
        const action = new vscode.CodeAction(core.fix.title, vscode.CodeActionKind.QuickFix);
        const edit = new vscode.WorkspaceEdit();
        for (const e of core.fix.edits) edit.replace(doc.uri, rangeAt(doc, e.offset, e.length), e.newText);
        action.edit = edit;
        action.diagnostics = [vs];
        // Each core diagnostic carries at most one fix, and it is the mechanical one: prefer it.
        action.isPreferred = true;
        actions.push(action);
      }
      const lesson = core?.lesson ?? (isDiagnosticCode(code) ? lessonFor(code) : undefined);
      if (lesson !== undefined && !lessons.has(lesson)) {
        lessons.add(lesson);
        const learn = new vscode.CodeAction(`Learn why: ${lesson.replace(/-/g, ' ')}`, vscode.CodeActionKind.QuickFix);
        learn.command = { command: COMMANDS.openLessons, title: 'Open lesson', arguments: code !== undefined ? [lesson, code] : [lesson] };
        learn.diagnostics = [vs];
        actions.push(learn);
      }
    }
    return actions;
  }
}

function isDiagnosticCode(code: string | undefined): code is DiagnosticCode {
  return code !== undefined && Object.prototype.hasOwnProperty.call(DIAGNOSTIC_LESSONS, code);
}

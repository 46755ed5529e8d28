// What Analyze and Run act on. A plan file (or a selection document) is used whole; a selection
// is used in any document; a Markdown note offers its fenced plans and payloads; any other
// document is used only when the importers recognise it as a payload. Whatever else is open is
// never parsed into diagnostics: the command says what it needs instead (README, "In VS Code").
import * as vscode from 'vscode';
import { isPlanDocument, type AnalysisService } from './analysisService';
import { fileLabel, resolveTarget } from './documents';
import { lastLine, planBlocks, stripSelectionFences, type PlanBlock } from './fencedBlocks';
import type { TextBase } from './offsets';
import { SELECTION_SCHEME } from './selectionDocument';
import { getSettings } from '../settings';
import { formatName } from '../../core/plan/formatNames';

export const NEEDS_PLAN_MESSAGE = 'select a plan or a tool-call payload, or open a *.toolplan.* file (try "Fanout: Open Sample Plan…")';

export type PlanTarget =
  /** Use the whole document: a plan file, a selection document or a recognised payload. */
  | { readonly kind: 'document'; readonly doc: vscode.TextDocument }
  /** Use part of a document (a selection, fences stripped, or a fenced block the user picked). */
  | { readonly kind: 'part'; readonly doc: vscode.TextDocument; readonly range: vscode.Range; readonly base: TextBase; readonly text: string; readonly first: number; readonly last: number };

export interface TargetOptions {
  /** 'Analyze' or 'Run' / 'Simulate': the words of the messages and the quick pick. */
  readonly verb: string;
  /** Analyze reads a selection even in a plan file; Run runs a plan file whole. */
  readonly selectionInPlanFiles: boolean;
}

export function isMarkdown(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'markdown' || /\.(md|markdown|mdx)$/i.test(doc.uri.path);
}

/** Undefined when there is nothing to act on; the user has then been told why (or dismissed a pick). */
export async function choosePlanTarget(arg: unknown, analyses: AnalysisService, options: TargetOptions): Promise<PlanTarget | undefined> {
  const target = await resolveTarget(arg);
  if (!target) {
    // With an argument, resolveTarget has already said what went wrong.
    if (arg === undefined) void vscode.window.showInformationMessage(`Fanout: nothing to ${options.verb.toLowerCase()}: ${NEEDS_PLAN_MESSAGE}.`);
    return undefined;
  }
  const { doc, editor } = target;
  const planFile = isPlanDocument(doc) || doc.uri.scheme === SELECTION_SCHEME;
  const sel = editor && !editor.selection.isEmpty ? editor.selection : undefined;
  if (sel && (!planFile || options.selectionInPlanFiles) && doc.uri.scheme !== SELECTION_SCHEME) {
    return partOf(doc, doc.getText(sel), { offset: doc.offsetAt(sel.start), line: sel.start.line + 1, column: sel.start.character + 1 });
  }
  if (planFile) return { kind: 'document', doc };
  if (isMarkdown(doc)) return pickBlock(doc, options);
  // JSON, YAML, a log…: a payload the importers recognise is analysed whole; anything else is left alone.
  if (analyses.forDocument(doc).analysis) return { kind: 'document', doc };
  void vscode.window.showInformationMessage(`Fanout: ${fileLabel(doc.uri)} is not a tool plan. To ${options.verb.toLowerCase()}, ${NEEDS_PLAN_MESSAGE}.`);
  return undefined;
}

function partOf(doc: vscode.TextDocument, selected: string, base: TextBase): PlanTarget {
  const { text, base: inner } = stripSelectionFences(selected, base);
  const range = new vscode.Range(doc.positionAt(inner.offset), doc.positionAt(inner.offset + text.length));
  return { kind: 'part', doc, range, base: inner, text, first: inner.line, last: Math.max(inner.line, lastLine(text, inner)) };
}

async function pickBlock(doc: vscode.TextDocument, options: TargetOptions): Promise<PlanTarget | undefined> {
  const blocks = planBlocks(doc.getText(), getSettings(doc.uri).defaultEstimateMs);
  if (blocks.length === 0) {
    void vscode.window.showInformationMessage(`Fanout: no fenced block in ${fileLabel(doc.uri)} holds a tool plan or a tool-call payload. To ${options.verb.toLowerCase()}, ${NEEDS_PLAN_MESSAGE}.`);
    return undefined;
  }
  type Item = vscode.QuickPickItem & { readonly block: PlanBlock };
  const items: Item[] = blocks.map((b) => ({
    label: `$(code) ${b.planName}`,
    description: `lines ${b.openLine}–${b.closeLine} · ${b.tools} tool${b.tools === 1 ? '' : 's'} · ${formatName(b.format)}`,
    detail: firstLine(b.text),
    block: b,
  }));
  const pick = await vscode.window.showQuickPick(items, {
    title: `${options.verb}: which block of ${fileLabel(doc.uri)}?`,
    placeHolder: `${plural(blocks.length)} in this note hold${blocks.length === 1 ? 's' : ''} a plan or tool calls; pick one to ${options.verb.toLowerCase()}`,
    matchOnDescription: true,
  });
  return pick ? partOf(doc, pick.block.text, pick.block.base) : undefined;
}

function plural(n: number): string {
  return n === 1 ? 'One fenced block' : `${n} fenced blocks`;
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line.trim();
}

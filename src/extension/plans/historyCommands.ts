// fanout.showHistory (re-open a past run in the plan view) and fanout.exportTrace (Chrome trace
// of the last or a chosen run, for Perfetto / chrome://tracing).
import * as vscode from 'vscode';
import { parsePlan } from '../../core/plan/parse';
import type { Plan } from '../../core/plan/types';
import { toChromeTrace } from '../../core/render/trace';
import { COMMANDS } from '../runBus';
import { getSettings } from '../settings';
import { fileLabel, toUri } from './documents';
import type { HistoryStore } from './history';
import { historyPickItem, type HistoryEntry } from './historyIndex';
import { traceFileName } from './planFiles';

type PickItem = vscode.QuickPickItem & { readonly runId: string };

async function pickRun(history: HistoryStore, title: string, uri?: string): Promise<HistoryEntry | undefined> {
  const entries = history.entries(uri);
  if (entries.length === 0) {
    void vscode.window.showInformationMessage('Fanout: no runs yet. Run or simulate a plan first (CodeLens "▶ Run" above a plan).');
    return undefined;
  }
  const now = new Date();
  const items: PickItem[] = entries.map((e) => ({ ...historyPickItem(e, now, fileLabel(e.uri)) }));
  const pick = await vscode.window.showQuickPick(items, { title, placeHolder: 'Newest first', matchOnDescription: true, matchOnDetail: true });
  return pick ? entries.find((e) => e.runId === pick.runId) : undefined;
}

export function createShowHistoryCommand(history: HistoryStore) {
  return async (arg?: unknown): Promise<string | undefined> => {
    const uri = toUri(arg)?.toString();
    const entry = await pickRun(history, uri ? `Run History: ${fileLabel(uri)}` : 'Fanout Run History', uri);
    if (!entry) return undefined;
    try {
      // The plan view loads the record through services.history.get(runId).
      await vscode.commands.executeCommand(COMMANDS.showGraph, vscode.Uri.parse(entry.uri), { runId: entry.runId });
    } catch (err) {
      void vscode.window.showErrorMessage(`Fanout: could not open the run: ${err instanceof Error ? err.message : String(err)}`);
    }
    return entry.runId;
  };
}

/**
 * Argument: a run id (from the plan view), a document URI (its latest run), or nothing (the
 * active plan's latest run, else the latest run of all). Resolves with the written file's URI.
 */
export function createExportTraceCommand(history: HistoryStore) {
  return async (arg?: unknown, target?: unknown): Promise<vscode.Uri | undefined> => {
    const entry = await chooseEntry(history, arg);
    if (!entry) return undefined;
    const stored = await history.get(entry.runId);
    if (!stored) {
      void vscode.window.showErrorMessage(`Fanout: the record of that run is no longer stored (history keeps ${getSettings().historySize} runs).`);
      return undefined;
    }
    const docUri = vscode.Uri.parse(entry.uri);
    const plan = await planOf(docUri);
    const dest = toUri(target) ?? await vscode.window.showSaveDialog({
      title: 'Export Run Trace (Chrome Trace Event JSON)',
      defaultUri: defaultTraceUri(docUri),
      filters: { 'Chrome trace': ['json'] },
      saveLabel: 'Export Trace',
    });
    if (!dest) return undefined;
    const trace = toChromeTrace(stored.record, plan);
    await vscode.workspace.fs.writeFile(dest, new TextEncoder().encode(JSON.stringify(trace)));
    const reveal = 'Open File';
    void vscode.window.showInformationMessage(`Fanout: trace written to ${fileLabel(dest)}. Open it in https://ui.perfetto.dev or chrome://tracing.`, reveal).then((c) => {
      if (c === reveal) void vscode.window.showTextDocument(dest);
    });
    return dest;
  };
}

async function chooseEntry(history: HistoryStore, arg: unknown): Promise<HistoryEntry | undefined> {
  if (typeof arg === 'string' && !arg.includes(':')) {
    const byId = history.entries().find((e) => e.runId === arg);
    if (byId) return byId;
  }
  const uri = toUri(arg)?.toString() ?? vscode.window.activeTextEditor?.document.uri.toString();
  const latest = (uri !== undefined ? history.latest(uri) : undefined) ?? (arg === undefined ? history.latest() : undefined);
  if (latest) return latest;
  return pickRun(history, 'Export Trace of Which Run?');
}

/** The plan a record came from, for tool names and kinds in the trace; absent when the document is gone. */
async function planOf(uri: vscode.Uri): Promise<Plan | undefined> {
  try {
    const doc = await vscode.workspace.openTextDocument(uri);
    return parsePlan(doc.getText(), { fileName: uri.path }).plan;
  } catch {
    return undefined;
  }
}

function defaultTraceUri(doc: vscode.Uri): vscode.Uri | undefined {
  const name = traceFileName(doc.path);
  if (doc.scheme === 'file') return vscode.Uri.joinPath(doc, '..', name);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, name) : undefined;
}

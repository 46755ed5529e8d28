// `Fanout: Open Run Record` (README "Run records"): a `*.fanoutrun.json` written by runToolCalls
// ({ recordFile }) or `fanout run --json` opens in the plan view with its timeline, so a run in
// production code can be looked at in the editor. The record becomes a read-only virtual plan
// (RUN_RECORD_SCHEME; core/library/runFilePlan.ts: one simulate tool per call, as long as the call
// took) whose plan session holds the recorded run; the plan view shows it as it shows a run of
// its own. The file is checked as `fanout show` checks it: a bad one is an error at its line.
import * as vscode from 'vscode';
import { readRunFile, RUN_FILE_SUFFIX } from '../../core/library/runFile';
import { runFilePlan } from '../../core/library/runFilePlan';
import { Disposable } from '../disposable';
import { toViewRecord } from '../planView/toView';
import { COMMANDS } from '../runBus';
import { fileLabel } from './documents';
import type { PlanSessions } from './planSessions';

export const OPEN_RUN_RECORD_COMMAND = 'fanout.openRunRecord';
export const RUN_RECORD_SCHEME = 'fanout-run';
/** Records larger than this are refused (the plan view draws every call of the run). */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;
const RUN_FILE_NAME = /\.fanoutrun\.json$/i;

/** What the command did (returned for tests and other extensions). */
export interface OpenRunRecordResult {
  readonly uri: vscode.Uri;
  /** The virtual plan the plan view shows. */
  readonly planUri?: vscode.Uri;
  /** The tool ids of the shown run, in call order. */
  readonly tools?: readonly string[];
  readonly error?: string;
}

export class RunRecordDocuments extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;

  constructor() {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(RUN_RECORD_SCHEME, this));
    this.onDispose(() => this.texts.clear());
  }

  /** The virtual plan of the record at `source` (one per file: opening it again updates it). */
  put(source: vscode.Uri, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: RUN_RECORD_SCHEME, path: `/${fileLabel(source).replace(/[\\/]/g, '∕')}`, query: new URLSearchParams({ source: source.toString() }).toString() });
    const before = this.texts.get(uri.toString());
    this.texts.set(uri.toString(), text);
    if (before !== undefined && before !== text) this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }
}

export function createOpenRunRecordCommand(sessions: PlanSessions, documents: RunRecordDocuments): (arg?: unknown) => Promise<OpenRunRecordResult | undefined> {
  return async (arg?: unknown) => {
    const uri = await recordUri(arg);
    if (!uri) return undefined;
    const name = fileLabel(uri);
    const fail = (error: string): OpenRunRecordResult => {
      void vscode.window.showErrorMessage(`Fanout: ${error}`);
      return { uri, error };
    };
    let text: string;
    try {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (open) text = open.getText();
      else {
        const stat = await vscode.workspace.fs.stat(uri);
        if (stat.size > MAX_RECORD_BYTES) return fail(`${name} is ${Math.round(stat.size / 1048576)} MB; run records are opened up to ${MAX_RECORD_BYTES / 1048576} MB.`);
        text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      }
    } catch (err) {
      return fail(`cannot read ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const read = readRunFile(text);
    if (!read.ok) {
      const first = read.errors[0]!;
      const more = read.errors.length > 1 ? ` (and ${read.errors.length - 1} more problem${read.errors.length > 2 ? 's' : ''}; \`fanout show ${name}\` lists them)` : '';
      return fail(`${name} is not a run record: line ${first.line}, column ${first.column}: ${first.message}${more}`);
    }
    const { planText, record } = runFilePlan(read.run, name.replace(/\.fanoutrun\.json$|\.json$/i, ''));
    const planUri = documents.put(uri, planText);
    // The session holds the recorded run before the view opens, so the view's first replay shows it.
    const runId = `record:${uri.toString()}:${read.run.recordedAt ?? ''}`;
    sessions.get(planUri).runEnded(runId, 'run', toViewRecord(record));
    await vscode.commands.executeCommand(COMMANDS.showGraph, planUri);
    return { uri, planUri, tools: record.tools.map((t) => t.id) };
  };
}

/** The record: the argument (explorer, editor title), the active `.json` editor, else a file picker. */
async function recordUri(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const o = arg as { resourceUri?: unknown } | null | undefined;
  if (o && o.resourceUri instanceof vscode.Uri) return o.resourceUri;
  const active = vscode.window.activeTextEditor?.document;
  if (active && active.uri.scheme !== RUN_RECORD_SCHEME && /\.json$/i.test(active.fileName)) return active.uri;
  // No active text editor (focus in a panel or a webview): the active tab, else the one visible
  // run record.
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (tab instanceof vscode.TabInputText && RUN_FILE_NAME.test(tab.uri.path)) return tab.uri;
  const shown = vscode.window.visibleTextEditors.filter((e) => RUN_FILE_NAME.test(e.document.uri.path));
  if (shown.length === 1) return shown[0]!.document.uri;
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false, openLabel: 'Open Run Record', title: `Open a run record (${RUN_FILE_SUFFIX}, fanout run --json)`,
    filters: { 'Run records': ['json'] },
  });
  return picked?.[0];
}

// Read-only virtual documents holding a selection or a fenced block of another document
// (SELECTION_SCHEME), so Analyze opens the plan view for it and Run runs it like a plan file.
// One URI per source document and line range: analysing the same block again updates the same
// document, plan view and history.
import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import { SELECTION_SCHEME } from './selectionDocument';
import { fileLabel } from './documents';

/** Older snapshots are dropped past this many (each is one selection's text). */
const MAX_DOCUMENTS = 50;

export class SelectionDocuments extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;

  constructor() {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(SELECTION_SCHEME, this));
    this.onDispose(() => this.texts.clear());
  }

  /**
   * The URI of a snapshot of `text`, taken from lines `first`–`last` of `source`. The path names
   * the source and the lines (titles, Problems); it has no `.toolplan.*` suffix, so the parser
   * reads the syntax from the text itself, as it does for any selection.
   */
  put(source: vscode.Uri, first: number, last: number, text: string): vscode.Uri {
    const name = fileLabel(source).replace(/[\\/]/g, '∕');
    const uri = vscode.Uri.from({
      scheme: SELECTION_SCHEME,
      path: `/${name} lines ${first}–${last}`,
      query: new URLSearchParams({ source: source.toString(), lines: `${first}-${last}` }).toString(),
    });
    const key = uri.toString();
    const before = this.texts.get(key);
    this.texts.delete(key);
    this.texts.set(key, text);
    while (this.texts.size > MAX_DOCUMENTS) this.texts.delete(this.texts.keys().next().value as string);
    if (before !== undefined && before !== text) this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    // After a reload the snapshot is gone; an empty plan explains itself ("The plan is empty …").
    return this.texts.get(uri.toString()) ?? '';
  }

  /** The document a snapshot was taken from. */
  static sourceOf(uri: vscode.Uri): vscode.Uri | undefined {
    if (uri.scheme !== SELECTION_SCHEME) return undefined;
    const source = new URLSearchParams(uri.query).get('source');
    try {
      return source ? vscode.Uri.parse(source, true) : undefined;
    } catch {
      return undefined;
    }
  }

}

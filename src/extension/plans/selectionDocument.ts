// The URI scheme of read-only virtual documents that hold a selection (or a fenced block) taken
// from another document, so it can be analysed and shown in the plan view like a plan file:
// `fanout.showGraph` on such a URI opens a plan session for it (docs/architecture.md, "Plan sessions").
// Whoever opens one registers a TextDocumentContentProvider for this scheme; the session only
// needs `vscode.workspace.openTextDocument(uri)` to return the text. Pure (no vscode).

export const SELECTION_SCHEME = 'fanout-selection';

/** True for a URI string or scheme of a selection document. */
export function isSelectionUri(uri: string): boolean {
  return uri.startsWith(`${SELECTION_SCHEME}:`);
}

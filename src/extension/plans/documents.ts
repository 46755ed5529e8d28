// Commands take an optional document URI (CodeLens, menus, the plan view, tests); without one they
// act on the active editor.
import * as vscode from 'vscode';

export interface Target {
  readonly doc: vscode.TextDocument;
  /** The visible editor of that document, if any (its selection matters to Analyze). */
  readonly editor?: vscode.TextEditor;
}

export async function resolveTarget(arg: unknown): Promise<Target | undefined> {
  const uri = toUri(arg);
  if (uri) {
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    if (editor) return { doc: editor.document, editor };
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return { doc: open };
    try {
      return { doc: await vscode.workspace.openTextDocument(uri) };
    } catch (err) {
      void vscode.window.showErrorMessage(`Fanout: cannot open ${uri.scheme === 'untitled' ? 'the closed untitled document' : fileLabel(uri)}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }
  const editor = vscode.window.activeTextEditor;
  return editor ? { doc: editor.document, editor } : undefined;
}

/** A Uri, a URI string, or something with a `uri` / `resourceUri` (tree items, webview messages). */
export function toUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg !== '') {
    try {
      return /^[a-z][a-z0-9+.-]*:/i.test(arg) ? vscode.Uri.parse(arg, true) : vscode.Uri.file(arg);
    } catch {
      return undefined;
    }
  }
  if (typeof arg === 'object' && arg !== null) {
    const o = arg as { uri?: unknown; resourceUri?: unknown; scheme?: unknown; path?: unknown };
    if (o.uri !== undefined) return toUri(o.uri);
    if (o.resourceUri !== undefined) return toUri(o.resourceUri);
    if (typeof o.scheme === 'string' && typeof o.path === 'string') return vscode.Uri.from(o as { scheme: string; path: string });
  }
  return undefined;
}

export function fileLabel(uri: vscode.Uri | string): string {
  const u = typeof uri === 'string' ? safeParse(uri) : uri;
  if (!u) return String(uri);
  return u.scheme === 'untitled' ? u.path.split('/').pop() ?? u.path : vscode.workspace.asRelativePath(u, false);
}

function safeParse(s: string): vscode.Uri | undefined {
  try {
    return vscode.Uri.parse(s, true);
  } catch {
    return undefined;
  }
}

export const NO_PLAN_MESSAGE = 'Open a tool plan (*.toolplan.json / .yaml) or select tool calls (an OpenAI or Anthropic response, an LLMCompiler plan) first. Try "Fanout: Open Sample Plan…".';

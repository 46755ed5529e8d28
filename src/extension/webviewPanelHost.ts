// The one lifecycle of Fanout's webview panels (the plan view, the lessons): create or restore a
// panel with the extension's resource roots, give it the page (CSP + fresh nonce, webviewHtml.ts),
// receive the view's typed messages, post typed ones only once the view said 'ready', and release
// everything once (the Disposable base). A panel class extends it and writes only what it shows:
// its page and its onMessage. Nothing here knows either protocol.
import * as vscode from 'vscode';
import { Disposable } from './disposable';
import { makeNonce } from './webviewHtml';

/** What a panel needs to build its page: every URI it loads goes through `asset`. */
export interface WebviewPage {
  /** webview.cspSource, for the page's CSP. */
  readonly cspSource: string;
  /** Fresh for each page: only scripts carrying it run. */
  readonly nonce: string;
  /** A file of the extension (e.g. 'dist', 'webview', 'planView.js') as a webview URI string. */
  readonly asset: (...path: string[]) => string;
}

export interface WebviewPanelSpec {
  readonly extensionUri: vscode.Uri;
  readonly title: string;
  readonly iconPath?: vscode.WebviewPanel['iconPath'];
  /** The page: called once, with a fresh nonce. */
  readonly html: (page: WebviewPage) => string;
  /**
   * Whether the panel was created with retainContextWhenHidden. A panel that is not loses its page
   * when hidden and says 'ready' again when shown; until then nothing is posted.
   */
  readonly retained: boolean;
  /** How the panel names itself in the log ("Plan view (trip.toolplan.yaml)"). */
  readonly logName: string;
  readonly output: vscode.LogOutputChannel;
}

/** The folders a Fanout webview may load from: the built webview scripts and media. */
export function webviewRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/** A new panel with the options every Fanout webview has (scripts, find widget, resource roots). */
export function createWebviewPanel(
  viewType: string,
  title: string,
  show: { readonly viewColumn: vscode.ViewColumn; readonly preserveFocus?: boolean },
  extensionUri: vscode.Uri,
  options: { readonly retainContextWhenHidden: boolean },
): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(viewType, title, show, {
    enableScripts: true,
    enableFindWidget: true,
    retainContextWhenHidden: options.retainContextWhenHidden,
    localResourceRoots: webviewRoots(extensionUri),
  });
}

export abstract class WebviewPanelHost<Out, In extends { readonly type: string }> extends Disposable {
  private viewReady = false;

  /** Takes over `panel`, new or restored by a serializer: its options, page and messages. */
  constructor(readonly panel: vscode.WebviewPanel, private readonly spec: WebviewPanelSpec) {
    super();
    const webview = panel.webview;
    // A restored panel comes with the options it was saved with; set ours again.
    webview.options = { enableScripts: true, localResourceRoots: webviewRoots(spec.extensionUri) };
    panel.title = spec.title;
    if (spec.iconPath) panel.iconPath = spec.iconPath;
    webview.html = spec.html({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      asset: (...path) => webview.asWebviewUri(vscode.Uri.joinPath(spec.extensionUri, ...path)).toString(),
    });
    this.registerAll(
      webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => {
        if (!spec.retained && !panel.visible) this.viewReady = false;
      }),
    );
    // Last out: whoever closes the panel (the user, a newer panel for the same key) closes it once.
    this.onDispose(() => panel.dispose());
  }

  /** Whether the panel has marked its view ready (since it was last shown, for a panel that is not retained). */
  protected get ready(): boolean {
    return this.viewReady;
  }

  /**
   * From now on post() delivers. The panel calls it on the view's 'ready', when it is about to send
   * the view's first state (after loading what that needs), so nothing overtakes that first message.
   */
  protected markReady(): void {
    this.viewReady = true;
  }

  /** The view's messages, typed (anything without a string `type` is logged and dropped). */
  protected abstract onMessage(message: In): Promise<void>;

  reveal(preserveFocus = false): void {
    this.panel.reveal(undefined, preserveFocus);
  }

  /** Posts to the view once it is ready; before that (or after dispose) the message is dropped. */
  protected post(message: Out): void {
    if (this.isDisposed || !this.viewReady) return;
    void this.panel.webview.postMessage(message).then(undefined, (err: unknown) => this.log(err));
  }

  protected log(err: unknown): void {
    this.spec.output.error(`${this.spec.logName}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  }

  private receive(m: unknown): void {
    // The page is ours, but it is still a message from a webview: a malformed one is logged, not run.
    if (typeof m !== 'object' || m === null || typeof (m as { type?: unknown }).type !== 'string') {
      this.log(new Error(`ignored a message without a type: ${JSON.stringify(m)?.slice(0, 200)}`));
      return;
    }
    void this.onMessage(m as In).catch((err: unknown) => this.log(err));
  }
}

// The lessons view's HTML shell. Pure (no vscode) so the exact CSP is unit-tested.
import { webviewShell } from '../webviewHtml';

export { makeNonce } from '../webviewHtml';

export interface LessonsHtmlOptions {
  /** webview.cspSource */
  readonly cspSource: string;
  /** Fresh per render: only scripts carrying it run. */
  readonly nonce: string;
  /** webview.asWebviewUri(...) strings. */
  readonly appScript: string;
  readonly stylesheet: string;
}

/** Scripts by nonce only; styles from the extension only (no inline styles at all). */
export function lessonsCsp(cspSource: string, nonce: string): string {
  return [`default-src 'none'`, `style-src ${cspSource}`, `img-src ${cspSource} data:`, `script-src 'nonce-${nonce}'`].join('; ');
}

export function lessonsHtml(o: LessonsHtmlOptions): string {
  return webviewShell({
    csp: lessonsCsp(o.cspSource, o.nonce), nonce: o.nonce, stylesheet: o.stylesheet, scripts: [o.appScript],
    title: 'Fanout Lessons', appClass: 'fl-app', loadingClass: 'fl-loading', loadingText: 'Loading the course…',
  });
}

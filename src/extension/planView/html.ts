// The plan view's HTML shell. Pure (no vscode) so the exact CSP the panel ships is unit-tested and
// loaded as-is into headless Chromium by the browser tests.
import { webviewShell } from '../webviewHtml';

export { escapeAttr, escapeText, makeNonce } from '../webviewHtml';

export interface PlanViewHtmlOptions {
  /** webview.cspSource */
  readonly cspSource: string;
  /** Fresh per render: only scripts carrying it run. */
  readonly nonce: string;
  /** webview.asWebviewUri(...) strings. */
  readonly appScript: string;
  /** mermaid.min.js: not loaded with the page, only when the reader asks for the Mermaid view. */
  readonly mermaidScript: string;
  readonly stylesheet: string;
  /** Document title (screen readers announce it); plan text, so it is escaped. */
  readonly title: string;
}

/**
 * Scripts: nonce only, no 'unsafe-eval', no 'unsafe-inline'.
 * Styles: `'unsafe-inline'` is deliberate. Mermaid (11.x) writes `style` attributes through d3 on
 * every node and edge, inserts a `<style>` element into each SVG while laying it out, and carries
 * classDef/linkStyle colours (our critical path) as inline styles. Under `style-src` without it,
 * one 50-node render logs over a hundred CSP violations and loses the critical-path marking.
 * Inline styles cannot run code; scripts remain nonce-only, which is what stops injection.
 */
export function planViewCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'unsafe-inline'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function planViewHtml(o: PlanViewHtmlOptions): string {
  return webviewShell({
    // One script: the webview draws its graph itself (docs/plan-view-graph.md). Mermaid (3 MB, whose
    // evaluation alone was a long task on every open) is loaded only when the reader presses
    // "Mermaid": the app adds a <script> with this page's nonce for the URI in data-mermaid-src
    // (webview/planView/mermaidView.ts), so script-src stays nonce-only.
    csp: planViewCsp(o.cspSource, o.nonce), nonce: o.nonce, stylesheet: o.stylesheet, scripts: [o.appScript],
    appData: { 'mermaid-src': o.mermaidScript },
    title: o.title, appClass: 'fo-app', loadingClass: 'fo-loading', loadingText: 'Loading plan…',
  });
}

// The plan view's HTML shell. Pure (no vscode) so the exact CSP the panel ships is unit-tested and
// loaded as-is into headless Chromium by the browser tests.

export interface PlanViewHtmlOptions {
  /** webview.cspSource */
  readonly cspSource: string;
  /** Fresh per render: only scripts carrying it run. */
  readonly nonce: string;
  /** webview.asWebviewUri(...) strings. */
  readonly mermaidScript: string;
  readonly appScript: string;
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
  const a = escapeAttr;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${a(planViewCsp(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${a(o.stylesheet)}">
<title>${escapeText(o.title)}</title>
</head>
<body>
<div id="app" class="fo-app"><p class="fo-loading" role="status">Loading plan…</p></div>
<script nonce="${a(o.nonce)}" src="${a(o.mermaidScript)}"></script>
<script nonce="${a(o.nonce)}" src="${a(o.appScript)}"></script>
</body>
</html>
`;
}

/** A nonce from a CSPRNG: 128 bits, base64 (valid in a CSP source expression). */
export function makeNonce(random: (bytes: Uint8Array) => Uint8Array = (b) => globalThis.crypto.getRandomValues(b)): string {
  const bytes = random(new Uint8Array(16));
  return Buffer.from(bytes).toString('base64');
}

export function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

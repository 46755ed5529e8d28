// The HTML shell every Fanout webview ships: a CSP meta tag, one stylesheet, nonce'd scripts and a
// placeholder the app replaces. Pure (no vscode), so each panel's exact HTML and CSP is unit-tested.

export interface WebviewShellOptions {
  readonly csp: string;
  /** Fresh per render: only scripts carrying it run. */
  readonly nonce: string;
  /** webview.asWebviewUri(...) strings. */
  readonly stylesheet: string;
  readonly scripts: readonly string[];
  /** Loaded with `async` after the app's scripts: big libraries the first paint must not wait for. */
  readonly asyncScripts?: readonly string[];
  /** Document title (screen readers announce it); escaped, since a plan name may be in it. */
  readonly title: string;
  /** Class of the #app element, and the text shown until the app has started. */
  readonly appClass: string;
  /** data-* attributes of #app (names without the `data-` prefix), e.g. a script the app loads on demand. */
  readonly appData?: Readonly<Record<string, string>>;
  readonly loadingClass: string;
  readonly loadingText: string;
}

export function webviewShell(o: WebviewShellOptions): string {
  const a = escapeAttr;
  const scripts = [
    ...o.scripts.map((src) => `<script nonce="${a(o.nonce)}" src="${a(src)}"></script>`),
    ...(o.asyncScripts ?? []).map((src) => `<script nonce="${a(o.nonce)}" src="${a(src)}" async></script>`),
  ].join('\n');
  const appData = Object.entries(o.appData ?? {}).map(([k, v]) => {
    if (!/^[a-z][a-z0-9-]*$/.test(k)) throw new Error(`webviewShell: bad data attribute name ${JSON.stringify(k)}`);
    return ` data-${k}="${a(v)}"`;
  }).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${a(o.csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${a(o.stylesheet)}">
<title>${escapeText(o.title)}</title>
</head>
<body>
<div id="app" class="${a(o.appClass)}"${appData}><p class="${a(o.loadingClass)}" role="status">${escapeText(o.loadingText)}</p></div>
${scripts}
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

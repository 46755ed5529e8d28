// The lessons view's HTML shell. Pure (no vscode) so the exact CSP is unit-tested.

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
  const a = escapeAttr;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${a(lessonsCsp(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${a(o.stylesheet)}">
<title>Fanout Lessons</title>
</head>
<body>
<div id="app" class="fl-app"><p class="fl-loading" role="status">Loading the course…</p></div>
<script nonce="${a(o.nonce)}" src="${a(o.appScript)}"></script>
</body>
</html>
`;
}

/** 128 bits from a CSPRNG, base64. */
export function makeNonce(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return Buffer.from(bytes).toString('base64');
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// Real headless Chromium for webview tests: a webview bundle is loaded into a page the way
// VS Code would (acquireVsCodeApi, a CSP with a nonce), and the host side is played by the test.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.FANOUT_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = join(__dirname, '..', '..', '..');

let shared: Browser | undefined;

/** One browser per mocha process; pages are cheap. Fails loudly when Chromium is missing. */
export async function browser(): Promise<Browser> {
  if (!shared) {
    shared = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
  }
  return shared;
}

export async function closeBrowser(): Promise<void> {
  await shared?.close();
  shared = undefined;
}

export interface WebviewPageOptions {
  /** Bundles under dist/webview/ (built by `npm run build`), e.g. ['mermaid.min.js', 'planView.js']. */
  readonly scripts: readonly string[];
  /** Stylesheets under media/, inlined. */
  readonly styles?: readonly string[];
  /** Markup inside <body> before the scripts. */
  readonly body?: string;
  /** State returned by acquireVsCodeApi().getState() (a restored panel). */
  readonly state?: unknown;
  /** Extra CSS variables on <html>, as VS Code sets for the theme. Defaults: a dark theme. */
  readonly themeVars?: Readonly<Record<string, string>>;
  /** The body class VS Code sets: vscode-dark | vscode-light | vscode-high-contrast. */
  readonly themeClass?: string;
  /** themeVars are a whole theme (captured from VS Code): do not fill gaps from the defaults. */
  readonly themeVarsOnly?: boolean;
}

export interface WebviewPage {
  readonly page: Page;
  /** Messages the webview posted to the "host", in order. */
  readonly posted: () => Promise<unknown[]>;
  /** Delivers a host→webview message, as webview.postMessage does. */
  readonly send: (message: unknown) => Promise<void>;
  /** Console errors and uncaught page errors seen so far: a test should end with none. */
  readonly errors: string[];
  readonly state: () => Promise<unknown>;
}

const DEFAULT_THEME: Readonly<Record<string, string>> = {
  '--vscode-font-family': 'sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': 'monospace',
  '--vscode-foreground': '#cccccc',
  '--vscode-editor-background': '#1e1e1e',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-focusBorder': '#007fd4',
  '--vscode-button-background': '#0e639c',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-textLink-foreground': '#3794ff',
  '--vscode-errorForeground': '#f48771',
  '--vscode-editorWarning-foreground': '#cca700',
  '--vscode-editorInfo-foreground': '#3794ff',
  '--vscode-testing-iconPassed': '#73c991',
  '--vscode-testing-iconFailed': '#f14c4c',
  '--vscode-panel-border': '#80808059',
};

/** Opens a page holding webview bundles under a strict CSP, as the extension's panels do. */
export async function openWebview(options: WebviewPageOptions): Promise<WebviewPage> {
  const b = await browser();
  const page = await b.newPage({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  const nonce = randomBytes(16).toString('base64');
  const vars = options.themeVarsOnly ? { ...(options.themeVars ?? {}) } : { ...DEFAULT_THEME, ...(options.themeVars ?? {}) };
  // Values may hold quotes (VS Code's font-family lists do): escape them for the attribute.
  const style = Object.entries(vars).map(([k, v]) => `${k}: ${v};`).join(' ').replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  const css = (options.styles ?? []).map((s) => readFileSync(join(ROOT, 'media', s), 'utf8')).join('\n');
  const scripts = options.scripts
    .map((s) => `<script nonce="${nonce}">${readFileSync(join(ROOT, 'dist', 'webview', s), 'utf8').replace(/<\/script/gi, '<\\/script')}</script>`)
    .join('\n');
  const shim = `<script nonce="${nonce}">
    window.__posted = []; window.__state = ${JSON.stringify(options.state ?? null)};
    window.acquireVsCodeApi = (() => { let used = false; return () => {
      if (used) throw new Error('acquireVsCodeApi called twice');
      used = true;
      return { postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
               getState: () => window.__state, setState: (s) => { window.__state = s; return s; } };
    }; })();
  </script>`;
  const html = `<!DOCTYPE html><html lang="en" style="${style}"><head><meta charset="utf-8">
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; script-src 'nonce-${nonce}';">
    <style>${css}</style></head><body class="${options.themeClass ?? 'vscode-dark'}">${options.body ?? ''}${shim}${scripts}</body></html>`;
  await page.setContent(html, { waitUntil: 'load' });
  return {
    page,
    errors,
    posted: () => page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted.slice()),
    // window.postMessage dispatches in a later task, so a bare post returns before the view has
    // handled the message, and a test reading the DOM next races it. A second, private message
    // posted after it is dispatched only once the first has been handled (same queue, in order);
    // it is caught in the capture phase so the view never sees it.
    // (A string, not a function: tsx would wrap a named closure in a helper the page lacks.)
    send: (message) => page.evaluate(`new Promise((resolve) => {
      const token = 'fanout-test-flush-' + Math.random();
      const onFlush = (e) => {
        if (!e.data || e.data.__fanoutTestFlush !== token) return;
        e.stopImmediatePropagation();
        window.removeEventListener('message', onFlush, true);
        resolve();
      };
      window.addEventListener('message', onFlush, true);
      window.postMessage(${JSON.stringify(message)}, '*');
      window.postMessage({ __fanoutTestFlush: token }, '*');
    })`),
    state: () => page.evaluate(() => (window as unknown as { __state: unknown }).__state),
  };
}

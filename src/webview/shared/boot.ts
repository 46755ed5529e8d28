// What every webview entry does before its app starts: route uncaught errors to the host's output
// channel (a webview's console is invisible to users), and find or create the app's root element.

export interface ErrorSink {
  postMessage(message: { readonly type: 'error'; readonly message: string }): void;
}

export function reportUncaughtErrors(api: ErrorSink): void {
  const report = (message: string): void => {
    try {
      api.postMessage({ type: 'error', message });
    } catch {
      // Nothing left to report to.
    }
  };
  window.addEventListener('error', (ev) => report(`${ev.message} (${ev.filename}:${ev.lineno}:${ev.colno})`));
  window.addEventListener('unhandledrejection', (ev) => {
    const r: unknown = ev.reason;
    report(`Unhandled rejection: ${r instanceof Error ? `${r.message}\n${r.stack ?? ''}` : String(r)}`);
  });
}

/** The `#app` element the host's HTML shell provides (created when a test page has none). */
export function appRoot(): HTMLElement {
  const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  root.id = 'app';
  return root;
}

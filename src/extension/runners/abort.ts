// Bridges between AbortSignal (the engine) and VS Code's CancellationToken and thenables.
import * as vscode from 'vscode';

export function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new Error(r === undefined ? 'The tool was cancelled.' : String(r));
}

/** A CancellationToken that fires with the signal; dispose it when the call is over. */
export function tokenFromSignal(signal: AbortSignal): vscode.CancellationTokenSource {
  const source = new vscode.CancellationTokenSource();
  if (signal.aborted) source.cancel();
  else signal.addEventListener('abort', () => source.cancel(), { once: true });
  return source;
}

/**
 * Rejects as soon as the signal fires, whatever the thenable does. VS Code commands cannot be
 * cancelled, but the run must not wait for them once the tool timed out or the user cancelled.
 */
export function raceAbort<T>(work: Thenable<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve(work).then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e instanceof Error ? e : new Error(String(e))); },
    );
  });
}

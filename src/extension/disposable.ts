// The base of every host object that owns VS Code resources (subscriptions, emitters, collections,
// status bar items, timers): register() takes ownership, dispose() releases everything once,
// newest first, so no feature writes its own dispose() loop. Type-only use of 'vscode': the class
// is plain code and unit-tested without a host.
import type * as vscode from 'vscode';

export class Disposable implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  private disposed = false;

  /** Whether dispose() has run. */
  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /** Takes ownership of `d` and returns it; after dispose() it is disposed at once instead. */
  protected register<T extends vscode.Disposable>(d: T): T {
    if (this.disposed) d.dispose();
    else this.owned.push(d);
    return d;
  }

  /** register() for each, in order. */
  protected registerAll(...items: readonly vscode.Disposable[]): void {
    for (const d of items) this.register(d);
  }

  /** Runs `f` on dispose (a timer to clear, a map to empty), in the same newest-first order. */
  protected onDispose(f: () => void): void {
    this.register({ dispose: f });
  }

  /** Disposes everything registered, newest first, once; one that throws does not stop the rest. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    let first: unknown;
    let failed = false;
    for (const d of this.owned.splice(0).reverse()) {
      try {
        d.dispose();
      } catch (err) {
        if (!failed) first = err;
        failed = true;
      }
    }
    if (failed) throw first;
  }
}

/** One disposable for many (what every register*() returns), disposed newest first. */
export function disposeAll(items: readonly vscode.Disposable[]): vscode.Disposable {
  return new (class extends Disposable {
    constructor() {
      super();
      this.registerAll(...items);
    }
  })();
}

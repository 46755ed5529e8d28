// Run history: each finished run's record is a JSON file in the workspace's storage folder; the
// index (newest first, pruned to fanout.historySize) lives in workspaceState.
import * as vscode from 'vscode';
import type { RunRecord } from '../../core/engine/types';
import { isRunRecord, writeRunRecord } from '../../core/engine/records';
import { Disposable } from '../disposable';
import type { RunHistoryStore, StoredRunSummary } from '../runBus';
import { addToIndex, entriesFor, pruneIndex, readIndex, type HistoryEntry } from './historyIndex';

const INDEX_KEY = 'fanout.history.v1';

export class HistoryStore extends Disposable implements RunHistoryStore {
  private index: HistoryEntry[];
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  /** Writes are serialised so the index never loses an entry to a race. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly context: vscode.ExtensionContext, private readonly size: () => number) {
    super();
    this.index = readIndex(context.workspaceState.get(INDEX_KEY));
  }

  private get dir(): vscode.Uri {
    return vscode.Uri.joinPath(this.context.storageUri ?? this.context.globalStorageUri, 'runs');
  }

  list(uri?: string): readonly StoredRunSummary[] {
    return entriesFor(this.index, uri);
  }

  entries(uri?: string): readonly HistoryEntry[] {
    return entriesFor(this.index, uri);
  }

  latest(uri?: string): HistoryEntry | undefined {
    return entriesFor(this.index, uri)[0];
  }

  async get(runId: string): Promise<{ readonly summary: StoredRunSummary; readonly record: RunRecord } | undefined> {
    const entry = this.index.find((e) => e.runId === runId);
    if (!entry) return undefined;
    try {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.dir, entry.file));
      const record: unknown = JSON.parse(new TextDecoder().decode(bytes));
      return isRunRecord(record) ? { summary: entry, record } : undefined;
    } catch {
      return undefined;
    }
  }

  add(entry: HistoryEntry, record: RunRecord): Promise<void> {
    return this.serial(async () => {
      const limit = this.size();
      if (limit <= 0) return;
      const file = vscode.Uri.joinPath(this.dir, entry.file);
      await vscode.workspace.fs.createDirectory(this.dir);
      if (file.scheme === 'file') await writeRunRecord(file.fsPath, record);
      else await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(JSON.stringify(record)));
      const update = addToIndex(this.index, entry, limit);
      await this.commit(update.index, update.pruned);
    });
  }

  /** Applies a smaller fanout.historySize right away. */
  prune(): Promise<void> {
    return this.serial(async () => {
      const update = pruneIndex(this.index, this.size());
      if (update.pruned.length > 0) await this.commit(update.index, update.pruned);
    });
  }

  private async commit(index: readonly HistoryEntry[], pruned: readonly HistoryEntry[]): Promise<void> {
    this.index = [...index];
    await this.context.workspaceState.update(INDEX_KEY, this.index);
    for (const p of pruned) {
      try {
        await vscode.workspace.fs.delete(vscode.Uri.joinPath(this.dir, p.file));
      } catch {
        // Already gone: nothing to prune.
      }
    }
    this.changed.fire();
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

}

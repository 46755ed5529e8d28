// The run-history index kept in workspace state: newest first, pruned to the history size.
// Pure: no 'vscode'; the store (history.ts) persists what these functions return.
import type { RunRecord } from '../../core/engine/types';
import type { RunMode, StoredRunSummary } from '../runBus';
import { formatMs, plural } from './format';

/** What the index keeps per run: the shared summary plus what the QuickPick shows. */
export interface HistoryEntry extends StoredRunSummary {
  readonly toolCount: number;
  /** Record file name inside the storage folder. */
  readonly file: string;
}

export interface IndexUpdate {
  readonly index: readonly HistoryEntry[];
  /** Entries that fell off the end: their record files should be deleted. */
  readonly pruned: readonly HistoryEntry[];
}

export function addToIndex(index: readonly HistoryEntry[], entry: HistoryEntry, max: number): IndexUpdate {
  const keep = Math.max(0, Math.floor(max));
  const all = [entry, ...index.filter((e) => e.runId !== entry.runId)];
  return { index: all.slice(0, keep), pruned: all.slice(keep) };
}

export function pruneIndex(index: readonly HistoryEntry[], max: number): IndexUpdate {
  const keep = Math.max(0, Math.floor(max));
  return { index: index.slice(0, keep), pruned: index.slice(keep) };
}

export function entriesFor(index: readonly HistoryEntry[], uri?: string): HistoryEntry[] {
  return uri === undefined ? [...index] : index.filter((e) => e.uri === uri);
}

/** Run ids are file names too: time-sortable and safe in any file system. */
export function newRunId(now: Date, random: () => number = Math.random): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  const tail = Math.floor(random() * 36 ** 6).toString(36).padStart(6, '0');
  return `${stamp}-${tail}`;
}

export function recordFileName(runId: string): string {
  return `${runId.replace(/[^A-Za-z0-9_-]/g, '_')}.json`;
}

export function makeEntry(init: { runId: string; uri: string; planName: string; mode: RunMode; startedAt: Date; record: RunRecord }): HistoryEntry {
  return {
    runId: init.runId,
    uri: init.uri,
    planName: init.planName,
    mode: init.mode,
    startedAt: init.startedAt.toISOString(),
    status: init.record.status,
    makespanMs: init.record.makespanMs,
    toolCount: init.record.tools.length,
    file: recordFileName(init.runId),
  };
}

/** Reads an index back from workspace state, dropping anything malformed (older versions, edits). */
export function readIndex(raw: unknown): HistoryEntry[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter((e): e is HistoryEntry =>
    typeof e === 'object' && e !== null &&
    typeof e.runId === 'string' && typeof e.uri === 'string' && typeof e.planName === 'string' &&
    (e.mode === 'run' || e.mode === 'simulate') && typeof e.startedAt === 'string' &&
    (e.status === 'succeeded' || e.status === 'failed' || e.status === 'cancelled') &&
    typeof e.makespanMs === 'number' && typeof e.file === 'string' && typeof e.toolCount === 'number');
}

const STATUS_ICON: Record<RunRecord['status'], string> = { succeeded: '$(pass)', failed: '$(error)', cancelled: '$(circle-slash)' };

/** "How long ago", coarse, for the history list. */
export function ago(iso: string, now: Date): string {
  const s = Math.max(0, (now.getTime() - Date.parse(iso)) / 1000);
  if (!Number.isFinite(s)) return iso;
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

export interface HistoryPickItem {
  readonly label: string;
  readonly description: string;
  readonly detail: string;
  readonly runId: string;
}

export function historyPickItem(e: HistoryEntry, now: Date, fileLabel: string): HistoryPickItem {
  return {
    label: `${STATUS_ICON[e.status]} ${e.planName}`,
    description: `${e.mode === 'run' ? 'run' : 'simulation'} · ${e.status} · ${formatMs(e.makespanMs)}`,
    detail: `${ago(e.startedAt, now)} · ${plural(e.toolCount, 'tool')} · ${fileLabel}`,
    runId: e.runId,
  };
}

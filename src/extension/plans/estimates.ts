// Durations learned from earlier real runs (per tool kind and label), kept in workspace state and
// fed to analysis and simulation for tools that give no duration of their own.
import * as vscode from 'vscode';
import type { EstimateTable } from '../../core/analysis/durations';
import { learnEstimates, samplesFromRun } from '../../core/engine/history';
import type { RunRecord } from '../../core/engine/types';
import type { Plan } from '../../core/plan/types';

const KEY = 'fanout.estimates.v1';

export class EstimateStore {
  private table: EstimateTable;

  constructor(private readonly state: vscode.Memento) {
    this.table = read(state.get(KEY));
  }

  get(): EstimateTable | undefined {
    return this.table.size > 0 ? this.table : undefined;
  }

  /** Learns from a finished run; true when the table changed (analyses should be refreshed). */
  async learn(plan: Plan, record: RunRecord): Promise<boolean> {
    const samples = samplesFromRun(plan, record);
    if (samples.length === 0) return false;
    const next = learnEstimates(samples, this.table);
    const changed = next.size !== this.table.size || [...next].some(([k, v]) => this.table.get(k) !== v);
    this.table = next;
    if (changed) await this.state.update(KEY, [...next]);
    return changed;
  }
}

function read(raw: unknown): EstimateTable {
  const m = new Map<string, number>();
  if (!Array.isArray(raw)) return m;
  for (const e of raw) {
    if (Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'number' && Number.isFinite(e[1]) && e[1] >= 0) m.set(e[0], e[1]);
  }
  return m;
}

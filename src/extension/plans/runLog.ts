// The run log in the output channel: readable lines for the start, each tool's final state and a
// summary. Pure: no 'vscode'.
import type { RunEvent, RunRecord, ToolRecord } from '../../core/engine/types';
import { FINAL_GLYPH } from '../../core/render/statusGlyphs';
import type { RunMode } from '../runBus';
import { formatMs, formatSpeedup, plural } from './format';
import { oneLine } from './sideEffects';

export function startLine(mode: RunMode, planName: string, tools: number, slots: number | null, source: string): string {
  const cap = slots === null ? 'unbounded concurrency' : `at most ${slots} at once`;
  return `${mode === 'run' ? '▶ Run' : '◇ Simulation'} of "${planName}" (${plural(tools, 'tool')}, ${cap}) from ${source}`;
}

const ICON: Readonly<Record<ToolRecord['status'], string>> = FINAL_GLYPH;

export function toolLine(t: ToolRecord): string {
  const took = t.startedAt !== null && t.endedAt !== null ? formatMs(t.endedAt - t.startedAt) : '';
  const tries = t.attempts.length > 1 ? `, ${t.attempts.length} attempts` : '';
  const at = t.endedAt !== null ? ` (ended at ${formatMs(t.endedAt)})` : '';
  const err = t.error ? `: ${oneLine(t.error, 200)}` : '';
  const time = took ? ` ${took}${tries}${at}` : '';
  return `  ${ICON[t.status]} ${t.id} ${t.status}${time}${err}`;
}

/** "k/n tools done": which events end a tool. */
export function isFinalToolEvent(e: RunEvent): e is Extract<RunEvent, { id: string }> {
  return e.type === 'succeeded' || e.type === 'failed' || e.type === 'timed-out' || e.type === 'skipped' || e.type === 'cancelled' || e.type === 'denied';
}

export function summaryLines(mode: RunMode, r: RunRecord): string[] {
  const counts = new Map<string, number>();
  for (const t of r.tools) counts.set(t.status, (counts.get(t.status) ?? 0) + 1);
  const states = [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
  const speedup = r.makespanMs > 0 ? r.sequentialMs / r.makespanMs : 1;
  const vsBound = r.lowerBoundMs > 0 ? r.makespanMs / r.lowerBoundMs : 1;
  return [
    `${mode === 'run' ? 'Run' : 'Simulation'} ${r.status} in ${formatMs(r.makespanMs)}: ${states}.`,
    `  sequential ${formatMs(r.sequentialMs)} · makespan ${formatMs(r.makespanMs)} · critical path ${formatMs(r.criticalPathMs)} · lower bound ${formatMs(r.lowerBoundMs)}`,
    `  speedup ${formatSpeedup(speedup)} over sequential · ${(vsBound).toFixed(2)}× the lower bound · up to ${r.maxObservedConcurrency} at once`,
  ];
}

/** The one-line notification at the end of a run. */
export function endNotice(mode: RunMode, planName: string, r: RunRecord): string {
  const bad = r.tools.filter((t) => t.status !== 'succeeded').length;
  const what = mode === 'run' ? 'Run' : 'Simulation';
  const speedup = r.makespanMs > 0 ? r.sequentialMs / r.makespanMs : 1;
  if (r.status === 'succeeded') return `${what} of "${planName}" succeeded in ${formatMs(r.makespanMs)} (${formatSpeedup(speedup)} faster than sequential).`;
  if (r.status === 'cancelled') return `${what} of "${planName}" was cancelled after ${formatMs(r.makespanMs)}.`;
  return `${what} of "${planName}" failed: ${plural(bad, 'tool')} did not succeed. See the Fanout output for details.`;
}

// The numbers: what the plan predicts (from the analysis) and what the last run achieved.
import type { ViewAnalysis, ViewRunRecord } from '../../protocol/planView';
import { el, replaceChildren, type Child } from './dom';
import { fmtMs, fmtPct, fmtX } from './format';
import type { RunModel } from './runModel';

export class SummaryView {
  readonly element: HTMLElement;
  private readonly planList: HTMLDListElement;
  private readonly runList: HTMLDListElement;
  private readonly runHeading: HTMLHeadingElement;
  private readonly runBlock: HTMLDivElement;

  constructor() {
    this.planList = el('dl', { class: 'fo-stats', 'data-testid': 'plan-stats' });
    this.runHeading = el('h3', {}, 'Last run');
    this.runList = el('dl', { class: 'fo-stats', 'data-testid': 'run-stats' });
    this.runBlock = el('div', { class: 'fo-stat-block', hidden: true }, this.runHeading, this.runList);
    this.element = el('section', { class: 'fo-section fo-summary', 'aria-labelledby': 'fo-summary-title' },
      el('h2', { id: 'fo-summary-title' }, 'Summary'),
      el('div', { class: 'fo-stat-blocks' },
        el('div', { class: 'fo-stat-block' }, el('h3', {}, 'Plan (predicted)'), this.planList),
        this.runBlock));
  }

  update(a: ViewAnalysis | null, model: RunModel): void {
    if (a) {
      const edges = a.tools.reduce((n, t) => n + t.dependsOn.length, 0);
      const cp = a.criticalPath.tools;
      const cpTools = cp.length > 8 ? `${cp.slice(0, 8).join(' → ')} → … (${cp.length} tools)` : cp.join(' → ');
      // A streamed plan's calls start as their arguments close: its prediction is the stream
      // simulated under the policy (host: the engine's simulateStream), not the analysis's figure,
      // which assumes every call is there at 0.
      const stream = a.stream;
      const predicted = stream?.predicted;
      const parallelMs = stream ? predicted?.makespanMs : a.estimate.parallelMs;
      replaceChildren(this.planList,
        ...stat('Tools', String(a.tools.length), 'tools'),
        ...stat('Edges', String(edges), 'edges'),
        ...stat('Levels', String(a.levels.length), 'levels'),
        ...stat('Max width', String(a.estimate.maxWidth), 'max-width', 'Most tools in one level: the most that could ever run at once'),
        ...stat('Cap', a.maxConcurrency === null ? 'unbounded' : String(a.maxConcurrency), 'cap', 'maxConcurrency: tools allowed to run at once'),
        ...stat('Sequential', fmtMs(a.estimate.sequentialMs), 'sequential', 'Every tool one after another'),
        ...stat('Predicted parallel', parallelMs === undefined ? '…' : fmtMs(parallelMs), 'parallel', stream
          ? `Predicted makespan from the stream's first event, each call starting ${predicted?.policy === 'wait-for-end' ? 'at the stream\'s end (wait-for-end)' : 'when its arguments close (dispatch-on-close)'}, under the plan's caps`
          : 'Predicted makespan under the plan\'s caps'),
        ...stat('Critical-path bound', fmtMs(a.criticalPath.ms), 'critical-ms', 'No schedule can finish sooner than its longest dependency chain'),
        ...stat('Lower bound', fmtMs(a.estimate.lowerBoundMs), 'lower-bound', 'max(critical path, total work / slots)'),
        ...stat('Speedup', parallelMs === undefined ? '…' : fmtX(stream ? (parallelMs > 0 ? a.estimate.sequentialMs / parallelMs : 1) : a.estimate.speedup), 'speedup', 'Sequential ÷ predicted parallel'),
        ...stat('Critical path', cpTools || '–', 'critical-tools', undefined, 'fo-wide'),
        ...(stream ? stat('Stream', predictedStreamLine(stream.endMs, predicted), 'plan-stream', 'Streaming dispatch: each call starts when its arguments close, or all at the stream\'s end (the fanout.streamPolicy setting)', 'fo-wide') : []));
    }
    const record = model.record;
    const live = model.phase === 'running';
    this.runBlock.hidden = model.phase === 'idle';
    if (model.phase === 'idle') return;
    const s = model.stats();
    const what = model.mode === 'simulate' ? 'simulation' : 'run';
    this.runHeading.textContent = live ? `Current ${what} (live)` : `Last ${what}: ${model.phase}`;
    const sequential = record?.sequentialMs ?? a?.estimate.sequentialMs ?? 0;
    const items: Child[] = [
      ...stat(live ? 'Elapsed' : 'Actual makespan', fmtMs(s.makespanMs), 'makespan'),
      ...stat('Sequential', fmtMs(sequential), 'run-sequential'),
      ...stat('Critical-path bound', fmtMs(record?.criticalPathMs ?? a?.criticalPath.ms ?? 0), 'run-critical-ms'),
      ...stat('Lower bound', fmtMs(record?.lowerBoundMs ?? a?.estimate.lowerBoundMs ?? 0), 'run-lower-bound'),
    ];
    if (!live && s.makespanMs > 0) items.push(...stat('Speedup', fmtX(sequential / s.makespanMs), 'run-speedup', 'Sequential ÷ actual makespan'));
    items.push(
      ...stat('Slot utilisation', fmtPct(s.utilisation), 'utilisation',
        `Busy time ${fmtMs(s.busyMs)} ÷ (makespan × ${s.slots} ${s.slotsAreCap ? 'slots (the cap)' : 'slots (the most that ran at once; no cap)'})`),
      ...stat('Max concurrency', String(s.maxConcurrency), 'max-concurrency', 'Most tools observed running at the same time'),
      ...stat('Attempts', String(s.attempts), 'attempts'),
      ...stat('Outcome', outcome(s.counts), 'outcome', undefined, 'fo-wide'));
    const stream = record?.stream;
    if (stream) items.push(...stat('Stream', streamLine(stream, s.makespanMs), 'stream', 'Streaming dispatch: each call starts when its arguments close, or all at the stream\'s end (the fanout.streamPolicy setting)', 'fo-wide'));
    replaceChildren(this.runList, ...items);
  }
}

/** Dispatch-on-close against wait-for-end on the same stream, as the CLI's summary line says it. */
function streamLine(s: NonNullable<ViewRunRecord['stream']>, makespanMs: number): string {
  const end = `ended at ${fmtMs(s.endMs)}`;
  if (s.policy === 'wait-for-end') return `${end} · wait-for-end: nothing started before the end (${fmtMs(makespanMs)})`;
  const turn = Math.max(makespanMs, s.endMs);
  const ratio = turn > 0 ? s.waitForEndMakespanMs / turn : 1;
  return `${end} · dispatch-on-close ${fmtMs(turn)} · wait-for-end would take ${fmtMs(s.waitForEndMakespanMs)} (${ratio.toFixed(2)}× longer)`;
}

/** The streamed plan's prediction in the words of the run's Stream line. */
function predictedStreamLine(endMs: number, p: NonNullable<ViewAnalysis['stream']>['predicted']): string {
  const end = `ends at ${fmtMs(endMs)}`;
  if (!p) return `${end} · simulating…`;
  if (p.policy === 'wait-for-end') return `${end} · wait-for-end: nothing starts before the end (${fmtMs(p.makespanMs)})`;
  const turn = Math.max(p.makespanMs, endMs);
  const ratio = turn > 0 ? p.waitForEndMakespanMs / turn : 1;
  return `${end} · dispatch-on-close ${fmtMs(turn)} · wait-for-end would take ${fmtMs(p.waitForEndMakespanMs)} (${ratio.toFixed(2)}× longer)`;
}

function outcome(c: Readonly<Record<string, number>>): string {
  const parts: string[] = [];
  for (const [k, label] of [['succeeded', 'succeeded'], ['failed', 'failed'], ['timed-out', 'timed out'], ['skipped', 'skipped'], ['cancelled', 'cancelled'], ['denied', 'denied'], ['approval', 'waiting for approval'], ['running', 'running'], ['retrying', 'retrying'], ['queued', 'queued'], ['pending', 'pending']] as const) {
    if (c[k] > 0) parts.push(`${c[k]} ${label}`);
  }
  return parts.join(', ') || '–';
}

function stat(term: string, value: string, key: string, hint?: string, cls = ''): HTMLElement[] {
  return [
    el('dt', { class: cls, title: hint }, term),
    el('dd', { class: cls, 'data-stat': key, title: hint }, value),
  ];
}

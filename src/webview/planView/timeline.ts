// The per-tool timeline: one row per tool on a shared time axis, with the queued span, every
// attempt, the retry gaps and the final state.
//
// Why virtualised DOM rows rather than a canvas: every row must be focusable, carry an aria label
// and a tooltip, follow the theme's CSS variables and react to Enter/click; a canvas would need a
// parallel accessibility tree to do the same. Virtualisation keeps the DOM to the rows in view
// (about 40, whatever the plan size), so a 1,000- or 10,000-tool run costs the same per frame:
// a batch marks rows dirty in the model and only dirty rows that are on screen are rebuilt.
import type { LiveStatus, ViewProgress, ViewStream } from '../../protocol/planView';
import { el, replaceChildren } from './dom';
import { fmtMs, niceCeil, niceStep } from './format';
import { isFinal, type LiveTool, type RunModel } from './runModel';
import { statusIcon, statusText } from './status';

export const ROW_HEIGHT = 24;
const OVERSCAN = 8;
/** Room one tick label needs on the axis ("1 m 30 s" and a gap): fewer ticks on narrow tracks. */
const TICK_MIN_PX = 64;

export interface RowInfo {
  readonly id: string;
  readonly label: string;
  readonly line: number;
  readonly column: number;
  /** The call's arguments on one line, shown in the row's tooltip (not its aria label: too long to hear). */
  readonly args?: string;
}

/** An audited trace's model lane (one agent conversation): its turns on the shared axis. */
export interface TurnLane {
  readonly label: string;
  readonly turns: readonly { readonly label: string; readonly startedAt: number; readonly endedAt: number; readonly calls: number; readonly model?: string }[];
}

export interface TimelineCallbacks {
  readonly onReveal: (row: RowInfo) => void;
  readonly onSelect: (id: string | null) => void;
}

export class TimelineView {
  readonly element: HTMLElement;
  private readonly viewport: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly axis: HTMLDivElement;
  private readonly axisTrack: HTMLSpanElement;
  private axisWidth = 0;
  private readonly caption: HTMLParagraphElement;
  private readonly rows = new Map<number, HTMLDivElement>();
  private infos: readonly RowInfo[] = [];
  private infoById = new Map<string, RowInfo>();
  private active = 0;
  private axisEnd = 1000;
  private model: RunModel | null = null;
  private now = 0;
  /** A streamed plan's model lane (DESIGN §9): generation span, a mark per call close. */
  private stream: ViewStream | null = null;
  private readonly modelLane: HTMLDivElement;
  private readonly legend: HTMLElement;
  /** An audited trace's model lanes (setTurnLanes), drawn above the tool rows. */
  private turnLanes: readonly TurnLane[] = [];
  private readonly turnLaneBox: HTMLDivElement;
  /** Replaces the run caption (an audited trace says what the rows show). */
  private captionText: string | null = null;

  constructor(private readonly callbacks: TimelineCallbacks) {
    this.caption = el('p', { class: 'fo-note', id: 'fo-timeline-caption' });
    this.axisTrack = el('span', { class: 'fo-axis-track' });
    this.axis = el('div', { class: 'fo-axis', 'aria-hidden': 'true' }, el('span', { class: 'fo-axis-label' }, 'time from start'), this.axisTrack, el('span', { class: 'fo-axis-end' }));
    // The tick count follows the track's width: redraw the ticks when the panel is resized.
    new ResizeObserver(() => {
      const w = this.axisTrack.clientWidth;
      if (w !== this.axisWidth) this.drawAxis();
    }).observe(this.axisTrack);
    this.spacer = el('div', { class: 'fo-tl-spacer' });
    this.viewport = el('div', {
      class: 'fo-tl-viewport', role: 'list', 'aria-label': 'Timeline: one row per tool', tabindex: -1, 'aria-describedby': 'fo-timeline-caption',
    }, this.spacer);
    this.modelLane = el('div', { class: 'fo-model-lane', role: 'img', hidden: true });
    this.turnLaneBox = el('div', { class: 'fo-turn-lanes', hidden: true });
    this.legend = timelineLegend();
    this.element = el('section', { class: 'fo-section fo-timeline', 'aria-labelledby': 'fo-timeline-title' },
      el('h2', { id: 'fo-timeline-title' }, 'Timeline'),
      this.legend,
      this.caption,
      this.axis,
      this.modelLane,
      this.turnLaneBox,
      this.viewport);
    this.viewport.addEventListener('scroll', () => this.renderRows(false, []), { passive: true });
    this.viewport.addEventListener('keydown', (ev) => this.onKey(ev));
    this.viewport.addEventListener('click', (ev) => {
      const i = this.rowIndexOf(ev.target);
      if (i === undefined) return;
      this.setActive(i, true);
      const info = this.infoFor(i);
      if (info) this.callbacks.onReveal(info);
    });
    this.viewport.addEventListener('focusin', (ev) => {
      const i = this.rowIndexOf(ev.target);
      if (i !== undefined && i !== this.active) this.setActive(i, false);
      if (i !== undefined) this.callbacks.onSelect(this.model?.tools[i]?.id ?? null);
    });
  }

  /** Row metadata from the analysis (labels and lines); the rows themselves follow the model. */
  setInfos(infos: readonly RowInfo[]): void {
    this.infos = infos;
    this.infoById = new Map(infos.map((r) => [r.id, r]));
  }

  /** The streamed plan's timing (analysis.stream), or null for a plan that is not a stream. */
  setStream(stream: ViewStream | null, durations: readonly number[] = []): void {
    this.stream = stream;
    // Started on close, the turn ends at the latest close + duration, never before the stream ends.
    this.streamPredictedMs = stream ? Math.max(stream.endMs, ...stream.closeMs.map((c, i) => c + (durations[i] ?? 0))) : 0;
    this.modelLane.hidden = stream === null;
    for (const li of Array.from(this.legend.querySelectorAll<HTMLElement>('.fo-legend-stream'))) li.hidden = stream === null;
  }

  private streamPredictedMs = 0;

  /** An audited trace's model lanes (empty: none), and the caption that replaces the run's. */
  setTurnLanes(lanes: readonly TurnLane[], caption: string | null): void {
    this.turnLanes = lanes;
    this.captionText = caption;
    this.turnLaneBox.hidden = lanes.length === 0;
    for (const li of Array.from(this.legend.querySelectorAll<HTMLElement>('.fo-legend-turn'))) li.hidden = lanes.length === 0;
  }

  /** Redraws after a model change: rebuilds dirty rows in view, or all rows in view when `all`. */
  update(model: RunModel, now: number, dirty: { all: boolean; rows: readonly number[] }, predictedMs: number): void {
    if (this.stream) predictedMs = Math.max(predictedMs, this.streamPredictedMs);
    const countChanged = this.model?.tools.length !== model.tools.length || this.model !== model;
    this.model = model;
    this.now = now;
    const n = model.tools.length;
    if (countChanged || dirty.all) {
      this.spacer.style.height = `${n * ROW_HEIGHT}px`;
      this.viewport.setAttribute('aria-rowcount', String(n));
      if (this.active >= n) this.active = Math.max(0, n - 1);
    }
    const end = niceCeil(Math.max(predictedMs, now, 1));
    const axisChanged = model.phase === 'running' ? end > this.axisEnd : end !== this.axisEnd;
    if (axisChanged || dirty.all) {
      this.axisEnd = model.phase === 'running' ? Math.max(end, this.axisEnd) : end;
      this.drawAxis();
    }
    this.caption.textContent = this.captionText ?? caption(model, n);
    this.drawModelLane();
    this.drawTurnLanes();
    this.renderRows(axisChanged || dirty.all, dirty.rows);
  }

  /**
   * The model's own row: its generation from the first event to the stream's end (live: up to
   * now), and a mark where each call's arguments closed (the moment it may start).
   */
  private drawModelLane(): void {
    const stream = this.stream;
    if (!stream) return;
    const live = this.model?.phase === 'running';
    const upTo = live ? Math.min(stream.endMs, this.now) : stream.endMs;
    const scale = (ms: number): number => Math.max(0, Math.min(100, (ms / this.axisEnd) * 100));
    const gen = el('span', { class: 'fo-span fo-span-generating' });
    gen.style.left = '0%';
    gen.style.width = `${scale(upTo)}%`;
    const marks = stream.closeMs.filter((c) => c <= upTo + 1e-9).map((c) => {
      const m = el('span', { class: 'fo-close-mark' });
      m.style.left = `${scale(c)}%`;
      return m;
    });
    const closed = marks.length;
    const total = stream.closeMs.length;
    const generating = live && upTo < stream.endMs;
    // The time column is narrow (62 px in the side column): the stream's length, or the closes so far.
    const time = generating ? `${closed}/${total} closed` : fmtMs(stream.endMs);
    const how = stream.timing === 'recorded' ? 'on the recording\'s own times' : `replayed at ${stream.tokensPerSecond ?? 80} tokens per second`;
    const label = `The model: ${generating ? `generating, ${closed} of ${total} calls closed so far` : `generated for ${fmtMs(stream.endMs)}, ${total} call${total === 1 ? '' : 's'} closed at ${stream.closeMs.map((c) => fmtMs(c)).join(', ')}`} (${how}).`;
    this.modelLane.setAttribute('aria-label', label);
    this.modelLane.title = label;
    replaceChildren(this.modelLane,
      el('span', { class: 'fo-row-icon', 'aria-hidden': 'true' }, '»'),
      el('span', { class: 'fo-row-label' }, 'model'),
      el('span', { class: 'fo-row-track', 'aria-hidden': 'true' }, gen, ...marks),
      el('span', { class: 'fo-row-time', 'aria-hidden': 'true' }, time));
  }

  /** One row per agent lane: a bar per model turn, its tooltip the turn's times and batch. */
  private drawTurnLanes(): void {
    if (this.turnLanes.length === 0) {
      replaceChildren(this.turnLaneBox);
      return;
    }
    const scale = (ms: number): number => Math.max(0, Math.min(100, (ms / this.axisEnd) * 100));
    replaceChildren(this.turnLaneBox, ...this.turnLanes.map((lane) => {
      const bars = lane.turns.map((t) => {
        const b = el('span', { class: 'fo-span fo-span-turn', title: turnText(t) });
        b.style.left = `${scale(t.startedAt)}%`;
        b.style.width = `${Math.max(0.3, scale(t.endedAt) - scale(t.startedAt))}%`;
        return b;
      });
      const busy = lane.turns.reduce((sum, t) => sum + Math.max(0, t.endedAt - t.startedAt), 0);
      const label = `${lane.label}: ${lane.turns.length} turn${lane.turns.length === 1 ? '' : 's'}, ${fmtMs(busy)} in the model. ${lane.turns.map(turnText).join(' ')}`;
      return el('div', { class: 'fo-model-lane fo-turn-lane', role: 'img', 'aria-label': label, title: label },
        el('span', { class: 'fo-row-icon', 'aria-hidden': 'true' }, '»'),
        el('span', { class: 'fo-row-label' }, lane.label),
        el('span', { class: 'fo-row-track', 'aria-hidden': 'true' }, ...bars),
        el('span', { class: 'fo-row-time', 'aria-hidden': 'true' }, fmtMs(busy)));
    }));
  }

  /** Rows whose spans grow with time (running, queued, retrying) while a real run is live. */
  tick(now: number): void {
    if (!this.model) return;
    this.now = now;
    this.drawModelLane();
    const end = niceCeil(now);
    if (end > this.axisEnd) {
      this.axisEnd = end;
      this.drawAxis();
      this.drawModelLane();
      this.renderRows(true, []);
      return;
    }
    const open: number[] = [];
    for (const i of this.rows.keys()) if (!isFinal(this.model.tools[i]?.status ?? 'succeeded')) open.push(i);
    this.renderRows(false, open);
  }

  focusActive(): void {
    this.setActive(this.active, true);
  }

  get rowCount(): number {
    return this.model?.tools.length ?? 0;
  }

  private drawAxis(): void {
    this.axisWidth = this.axisTrack.clientWidth;
    // Before layout (width 0) assume a wide track; the resize observer redraws once it is known.
    const room = this.axisWidth > 0 ? Math.max(1, Math.floor(this.axisWidth / TICK_MIN_PX)) : 6;
    // Never coarser than the whole axis: a narrow track still shows its start and its end.
    const step = Math.min(niceStep(this.axisEnd, Math.min(6, room)), this.axisEnd);
    const ticks: HTMLElement[] = [];
    for (let t = 0; t <= this.axisEnd + 1e-9; t += step) {
      const tick = el('span', { class: 'fo-tick' }, fmtMs(t));
      tick.style.left = `${(t / this.axisEnd) * 100}%`;
      ticks.push(tick);
    }
    const last = ticks[ticks.length - 1];
    if (ticks.length > 1 && Math.abs(parseFloat(last.style.left) - 100) < 1e-6) last.classList.add('fo-tick-last');
    replaceChildren(this.axisTrack, ...ticks);
  }

  private visibleRange(): [number, number] {
    const n = this.model?.tools.length ?? 0;
    const top = this.viewport.scrollTop;
    const height = this.viewport.clientHeight || 480;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(n - 1, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    return [first, last];
  }

  /** Keeps exactly the rows in view (plus the active row, the list's one tab stop) in the DOM. */
  private renderRows(all: boolean, dirty: readonly number[]): void {
    const model = this.model;
    if (!model) return;
    const [first, last] = this.visibleRange();
    const n = model.tools.length;
    const wanted = (i: number): boolean => (i >= first && i <= last) || i === this.active;
    for (const [i, row] of this.rows) {
      if (!wanted(i) || i >= n) {
        if (row.contains(document.activeElement) && i < n) continue; // never yank the focused row
        row.remove();
        this.rows.delete(i);
      }
    }
    const toDraw = new Set<number>(all ? this.rows.keys() : dirty.filter((i) => this.rows.has(i)));
    for (let i = first; i <= last; i++) if (!this.rows.has(i)) toDraw.add(i);
    if (n > 0 && !this.rows.has(this.active) && this.active < n) toDraw.add(this.active);
    for (const i of toDraw) {
      if (i < 0 || i >= n) continue;
      let row = this.rows.get(i);
      if (!row) {
        row = el('div', { class: 'fo-row', role: 'listitem' });
        row.style.top = `${i * ROW_HEIGHT}px`;
        this.rows.set(i, row);
        this.spacer.appendChild(row);
      }
      this.drawRow(row, i, model.tools[i], n);
    }
  }

  private drawRow(row: HTMLDivElement, i: number, t: LiveTool, n: number): void {
    const info = this.infoFor(i);
    const label = info?.label ?? t.id;
    const now = this.now;
    const scale = (ms: number): number => Math.max(0, Math.min(100, (ms / this.axisEnd) * 100));
    const spans: HTMLElement[] = [];
    const span = (cls: string, from: number, to: number): void => {
      const s = el('span', { class: `fo-span ${cls}` });
      s.style.left = `${scale(from)}%`;
      s.style.width = `${Math.max(0, scale(to) - scale(from))}%`;
      spans.push(s);
    };
    const firstStart = t.attempts[0]?.startedAt;
    // A streamed call whose arguments closed before it was queued was held: by wait-for-end
    // (until the stream's end) or by a dependency still running.
    const closedAt = this.stream?.closeMs[i];
    if (closedAt !== undefined && this.model?.phase !== 'idle') {
      const heldUntil = t.queuedAt ?? (this.model?.phase === 'running' && now > closedAt ? now : null);
      if (heldUntil !== null && heldUntil - closedAt > 0.5) span('fo-span-held', closedAt, heldUntil);
    }
    if (t.queuedAt !== null) span('fo-span-queued', t.queuedAt, firstStart ?? t.endedAt ?? now);
    t.attempts.forEach((a, k) => {
      const end = a.endedAt ?? now;
      const last = k === t.attempts.length - 1;
      const cls = a.endedAt === null ? 'fo-span-running'
        : a.error === null ? `fo-span-done fo-st-${t.status}`
        : last && t.status === 'cancelled' ? 'fo-span-cancelled'
        : a.timedOut ? 'fo-span-timedout' : 'fo-span-failed';
      span(`fo-span-attempt ${cls}`, a.startedAt, end);
      if (last && t.progress && t.status !== 'succeeded') {
        progressOn(spans[spans.length - 1], t.progress);
        this.showProgressLegend();
      }
      const next = t.attempts[k + 1];
      if (a.endedAt !== null && (next || t.status === 'retrying')) span('fo-span-retry', a.endedAt, next ? next.startedAt : Math.max(now, t.retryUntil ?? now));
    });
    // The latest progress as text after the running bar ("3/10"), while the call has not succeeded.
    const lastAttempt = t.attempts[t.attempts.length - 1];
    if (t.progress && lastAttempt && t.status !== 'succeeded') {
      const x = scale(lastAttempt.endedAt ?? now);
      const text = el('span', { class: 'fo-progress-text' }, progressText(t.progress));
      if (x > 70) text.style.right = `${100 - x}%`;
      else text.style.left = `${x}%`;
      spans.push(text);
    }
    if ((t.status === 'skipped' || t.status === 'cancelled' || t.status === 'denied') && t.endedAt !== null) {
      const x = scale(t.endedAt);
      const mark = el('span', { class: `fo-mark fo-st-${t.status}` }, `${statusIcon(t.status)} ${statusText(t.status)}`);
      // Near the right edge the word would overflow the track: anchor it by its end instead.
      if (x > 85) mark.style.right = `${100 - x}%`;
      else mark.style.left = `${x}%`;
      spans.push(mark);
    }
    const time = rowTime(t, now);
    const describe = describeRow(label, t, now);
    row.className = `fo-row fo-st-${t.status}${i === this.active ? ' fo-active' : ''}`;
    row.tabIndex = i === this.active ? 0 : -1;
    row.dataset.index = String(i);
    row.dataset.status = t.status;
    row.setAttribute('aria-posinset', String(i + 1));
    row.setAttribute('aria-setsize', String(n));
    row.setAttribute('aria-label', describe);
    row.title = info?.args ? `${describe}\nArguments: ${info.args}` : describe;
    replaceChildren(row,
      el('span', { class: `fo-row-icon fo-st-${t.status}`, 'aria-hidden': 'true' }, statusIcon(t.status)),
      el('span', { class: 'fo-row-label' }, label),
      el('span', { class: 'fo-row-track', 'aria-hidden': 'true' }, ...spans),
      el('span', { class: 'fo-row-time', 'aria-hidden': 'true' }, time));
  }

  /** The legend's progress item appears once a row has shown progress (MCP calls only report it). */
  private showProgressLegend(): void {
    const li = this.legend.querySelector<HTMLElement>('.fo-legend-progress');
    if (li?.hidden) li.hidden = false;
  }

  private infoFor(i: number): RowInfo | undefined {
    const id = this.model?.tools[i]?.id;
    return id === undefined ? undefined : this.infoById.get(id) ?? this.infos[i];
  }

  private rowIndexOf(target: EventTarget | null): number | undefined {
    const row = target instanceof Element ? target.closest<HTMLElement>('.fo-row') : null;
    const v = row?.dataset.index;
    return v === undefined ? undefined : Number(v);
  }

  private setActive(i: number, focus: boolean): void {
    const n = this.model?.tools.length ?? 0;
    if (n === 0) return;
    const prev = this.active;
    this.active = Math.max(0, Math.min(n - 1, i));
    const top = this.active * ROW_HEIGHT;
    if (focus) {
      if (top < this.viewport.scrollTop) this.viewport.scrollTop = top;
      else if (top + ROW_HEIGHT > this.viewport.scrollTop + this.viewport.clientHeight) this.viewport.scrollTop = top + ROW_HEIGHT - this.viewport.clientHeight;
    }
    this.renderRows(false, [prev, this.active]);
    if (focus) this.rows.get(this.active)?.focus({ preventScroll: true });
  }

  private onKey(ev: KeyboardEvent): void {
    const i = this.rowIndexOf(ev.target);
    if (i === undefined) return;
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: i + 1, ArrowUp: i - 1, PageDown: i + page, PageUp: i - page, Home: 0, End: this.rowCount - 1 };
    if (ev.key in moves) {
      ev.preventDefault();
      this.setActive(moves[ev.key], true);
    } else if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      const info = this.infoFor(i);
      if (info) this.callbacks.onReveal(info);
    } else if (ev.key === 'Escape') {
      // Leave the list: clear the graph highlight and hand focus back to the region.
      ev.preventDefault();
      this.callbacks.onSelect(null);
      (this.rows.get(i) as HTMLElement | undefined)?.blur();
      this.viewport.focus();
    }
  }
}

function timelineLegend(): HTMLElement {
  const items: [string, string][] = [
    ['fo-span-queued', 'queued (waiting for a slot)'], ['fo-span-attempt fo-st-succeeded', 'attempt'],
    ['fo-span-failed', 'failed attempt'], ['fo-span-timedout', 'timed-out attempt'], ['fo-span-cancelled', 'cancelled'], ['fo-span-retry', 'retry wait (backing off)'],
  ];
  // Shown for streamed plans only (setStream): the model lane and the held span.
  const streamItems: [string, string][] = [
    ['fo-span-generating', 'model generating'], ['fo-close-mark', "a call's arguments closed"], ['fo-span-held', 'closed, held (stream end or a dependency)'],
  ];
  return el('ul', { class: 'fo-legend', 'aria-label': 'Timeline legend' },
    el('li', { class: 'fo-legend-turn', hidden: true }, el('span', { class: 'fo-legend-bar fo-span fo-span-turn', 'aria-hidden': 'true' }), 'model turn'),
    ...items.map(([cls, text]) => el('li', {}, el('span', { class: `fo-legend-bar fo-span ${cls}`, 'aria-hidden': 'true' }), text)),
    ...streamItems.map(([cls, text]) => el('li', { class: 'fo-legend-stream', hidden: true }, el('span', { class: `fo-legend-bar ${cls === 'fo-close-mark' ? '' : 'fo-span '}${cls}`, 'aria-hidden': 'true' }), text)),
    el('li', { class: 'fo-legend-progress', hidden: true },
      el('span', { class: 'fo-legend-bar fo-span fo-span-attempt fo-span-running', 'aria-hidden': 'true' }, el('span', { class: 'fo-progress-fill fo-legend-fill' })),
      'progress the server reported (share done)'));
}

function turnText(t: TurnLane['turns'][number]): string {
  const model = t.model ? ` (${t.model})` : '';
  return `${t.label}${model}: ${fmtMs(t.startedAt)} to ${fmtMs(t.endedAt)} (${fmtMs(t.endedAt - t.startedAt)}), asked for ${t.calls} call${t.calls === 1 ? '' : 's'}.`;
}

function caption(model: RunModel, n: number): string {
  if (model.phase === 'idle') return `${n} tools, not run yet. Run or simulate the plan to see queued and running time per tool. Arrow keys move between rows; Enter reveals the tool in the editor.`;
  const what = model.mode === 'simulate' ? 'Simulation' : 'Run';
  const s = model.stats();
  const done = n - s.counts.pending - s.counts.queued - s.counts.approval - s.counts.running - s.counts.retrying;
  const asking = s.counts.approval > 0 ? `, ${s.counts.approval} waiting for approval` : '';
  if (model.phase === 'running') return `${what} in progress: ${done} of ${n} tools finished, ${s.counts.running} running, ${s.counts.queued} queued${asking}.`;
  const denied = s.counts.denied > 0 ? `, ${s.counts.denied} denied` : '';
  return `${what} ${model.phase}: ${s.counts.succeeded} succeeded, ${s.counts.failed} failed, ${s.counts['timed-out']} timed out, ${s.counts.skipped} skipped, ${s.counts.cancelled} cancelled${denied}, in ${fmtMs(s.makespanMs)}.`;
}

/** A thin fill along the bottom of the attempt's bar: the share of the work the server reported done. */
function progressOn(bar: HTMLElement, p: ViewProgress): void {
  const share = progressShare(p);
  if (share === null) return;
  const fill = el('span', { class: 'fo-progress-fill' });
  fill.style.width = `${Math.round(share * 1000) / 10}%`;
  bar.appendChild(fill);
}

/** progress / total in 0..1, or null when the server gave no total (the work's size is unknown). */
export function progressShare(p: ViewProgress): number | null {
  if (p.total === undefined || !(p.total > 0) || !Number.isFinite(p.progress)) return null;
  return Math.max(0, Math.min(1, p.progress / p.total));
}

/** "3/10" for step counts, "45%" for fractions of a total that is not a count, "3" without a total. */
export function progressText(p: ViewProgress): string {
  const n = (v: number): string => String(Math.round(v * 100) / 100);
  if (p.total === undefined) return n(p.progress);
  const share = progressShare(p);
  if (Number.isInteger(p.progress) && Number.isInteger(p.total) && p.total > 1) return `${p.progress}/${p.total}`;
  return share === null ? `${n(p.progress)}/${n(p.total)}` : `${Math.round(share * 100)}%`;
}

function rowTime(t: LiveTool, now: number): string {
  if (t.attempts.length === 0) return t.status === 'queued' && t.queuedAt !== null ? `wait ${fmtMs(now - t.queuedAt)}` : '';
  const first = t.attempts[0].startedAt;
  const end = t.endedAt ?? now;
  const tries = t.attempts.length > 1 ? ` ×${t.attempts.length}` : '';
  return `${fmtMs(end - first)}${tries}`;
}

/** The row's tooltip and aria label: times, attempts and the error, as sentences. */
export function describeRow(label: string, t: LiveTool, now: number): string {
  const parts = [`${label}: ${statusText(t.status as LiveStatus)}.`];
  if (t.queuedAt !== null) parts.push(`Queued at ${fmtMs(t.queuedAt)}.`);
  const first = t.attempts[0];
  if (first && t.queuedAt !== null) parts.push(`Waited ${fmtMs(first.startedAt - t.queuedAt)} for a slot.`);
  t.attempts.forEach((a, k) => {
    const end = a.endedAt ?? now;
    const outcome = a.endedAt === null ? 'running' : a.error === null ? 'ok' : a.timedOut ? `timed out: ${a.error}` : `failed: ${a.error}`;
    parts.push(`Attempt ${k + 1}: ${fmtMs(a.startedAt)} to ${a.endedAt === null ? 'now' : fmtMs(end)} (${fmtMs(end - a.startedAt)}), ${outcome}.`);
  });
  if (t.progress) {
    const share = progressShare(t.progress);
    const of = t.progress.total === undefined ? `${progressText(t.progress)} (no total given)` : `${progressText(t.progress)}${share !== null && !progressText(t.progress).endsWith('%') ? ` (${Math.round(share * 100)}%)` : ''}`;
    parts.push(`Progress reported by the server: ${of}${t.progress.message ? `, ${t.progress.message}` : ''}.`);
  }
  if (t.status === 'retrying' && t.retryUntil !== null) parts.push(`Next attempt at ${fmtMs(t.retryUntil)}.`);
  if (t.endedAt !== null) parts.push(`Ended at ${fmtMs(t.endedAt)}.`);
  if (t.error && (t.status === 'failed' || t.status === 'timed-out')) parts.push(`Error: ${t.error}`);
  else if (t.error && (t.status === 'skipped' || t.status === 'cancelled' || t.status === 'denied')) parts.push(`Reason: ${t.error}`);
  return parts.join(' ');
}

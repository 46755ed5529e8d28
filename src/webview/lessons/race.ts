// Race mode: two schedules from the real scheduler on a virtual clock (the host simulates them):
// a course comparison (two plans), or one sample against itself at maxConcurrency 1. Both lanes
// play on one shared clock. The clock knows durations, dependencies, caps and CPU contention (cpu
// tools share the course's cores), not rate limits or lost writes, so a lane whose plan has problems is drawn in the warning colour with its
// diagnostics and never called faster (raceVerdict.ts). A board above the lanes keeps both
// results on screen however many tools there are. Drawn as SVG (attributes, not inline styles, so
// the CSP needs no 'unsafe-inline').
import { formatMs } from '../../core/render/format';
import { raceKey, type RaceLane, type RaceSource, type ViewRace } from '../../protocol/lessons';
import type { ModeContext, ModeView } from './context';
import { button, el, focusTarget, replaceChildren } from './dom';
import { laneName, raceVerdict } from './raceVerdict';

const SVG = 'http://www.w3.org/2000/svg';
const ROW = 16;
/** Rows shrink so a lane's bars stay within this height (viewBox units); below 12, no labels. */
const MAX_ROWS_H = 200;
const LABEL_W = 150;
const WIDTH = 640;
/** The slower lane takes this long on screen. */
const PLAY_MS = 6000;

export interface RaceState {
  /** raceKey() of what is shown. */
  key?: string;
  readonly races: Map<string, ViewRace>;
  readonly errors: Map<string, string>;
}

export function newRaceState(): RaceState {
  return { races: new Map(), errors: new Map() };
}

export interface RaceView extends ModeView {
  update(): void;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
  if (text !== undefined) n.textContent = text;
  return n;
}

/** Row height for lanes of up to `n` tools: full rows for short plans, thin ones for long plans. */
export function rowHeight(n: number): number {
  return n * ROW <= MAX_ROWS_H ? ROW : Math.max(3, Math.floor(MAX_ROWS_H / Math.max(1, n)));
}

/** Bar widths for the lane at simulated time `t` (pure geometry; exported for tests). */
export function barWidth(start: number, end: number, t: number, scale: number): number {
  return Math.max(0, Math.min(end, t) - start) * scale;
}

export function raceMode(ctx: ModeContext, state: RaceState): RaceView {
  const samples = ctx.course.steps.flatMap((s) => s.samples.map((x) => ({ ...x, step: s.title })));
  const unique = samples.filter((x, i) => samples.findIndex((y) => y.path === x.path) === i);
  const sources = new Map<string, RaceSource>();
  for (const c of ctx.course.comparisons) sources.set(raceKey({ kind: 'comparison', id: c.id }), { kind: 'comparison', id: c.id });
  for (const x of unique) sources.set(raceKey({ kind: 'sample', path: x.path }), { kind: 'sample', path: x.path });
  if (!state.key || !sources.has(state.key)) {
    const step = ctx.currentStep();
    const c = ctx.course.comparisons.find((x) => x.step === step) ?? ctx.course.comparisons[0];
    state.key = c ? raceKey({ kind: 'comparison', id: c.id }) : unique[0] ? raceKey({ kind: 'sample', path: unique[0].path }) : undefined;
  }
  const option = (key: string, label: string) => el('option', { value: key, selected: key === state.key }, label);
  const select = el('select', { id: 'fl-race-sample', class: 'fl-select' },
    ctx.course.comparisons.length > 0 ? el('optgroup', { label: 'Two plans, one clock' }, ...ctx.course.comparisons.map((c) => option(raceKey({ kind: 'comparison', id: c.id }), c.title))) : null,
    el('optgroup', { label: 'One sample: one at a time vs the scheduler' }, ...unique.map((x) => option(raceKey({ kind: 'sample', path: x.path }), `${x.label} — ${x.step}`))));
  select.addEventListener('change', () => {
    state.key = select.value;
    stop();
    request();
    render();
  });
  const head = el('div', { class: 'fl-race-stage' });
  const lanesBox = el('div', { class: 'fl-race-lanes' });
  const status = el('p', { class: 'fl-race-status', 'aria-live': 'polite' });
  const caption = el('p', { class: 'fl-race-caption' });
  const root = el('div', { class: 'fl-mode fl-race' },
    el('h2', { class: 'fl-mode-title' }, 'Race: two schedules on one clock'),
    el('p', { class: 'fl-mode-intro' }, 'Schedules from Fanout’s own scheduler on a virtual clock, using each tool’s durationMs. The clock knows dependencies, caps and CPU contention (cpu tools share the course’s cores), not rate limits or lost writes: a lane marked ⚠ has problems that would cost it in a real run, or waits for its stream to end (a cost the clock does show).'),
    el('div', { class: 'fl-race-controls' }, el('label', { for: 'fl-race-sample' }, 'Race '), select),
    caption, head, status, lanesBox);
  let frame = 0;
  let updateAt: ((t: number) => void) | undefined;

  function stop(): void {
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
  }

  function request(): void {
    const source = state.key ? sources.get(state.key) : undefined;
    if (source && state.key && !state.races.has(state.key) && !state.errors.has(state.key)) ctx.post({ type: 'race-request', source });
  }

  const flaggedClass = (l: RaceLane) => (l.problems.length > 0 ? ' fl-lane-flagged' : '');
  const clockText = (l: RaceLane, t: number) => (t >= l.makespanMs ? `finished in ${formatMs(l.makespanMs)}` : formatMs(t));

  /** One row of the board: the lane's name, how far it has got, its clock and its problems. */
  function boardRow(l: RaceLane, end: number): { node: HTMLElement; at: (t: number) => void } {
    const fill = svg('rect', { x: 0, y: 0, width: 0, height: 8, class: 'fl-board-fill' });
    const meter = svg('svg', { class: 'fl-board-meter', viewBox: '0 0 100 8', preserveAspectRatio: 'none', width: '100%', height: 8, 'aria-hidden': 'true' });
    meter.append(svg('rect', { x: 0, y: 0, width: 100, height: 8, class: 'fl-board-track' }), fill);
    const clock = el('span', { class: 'fl-board-clock' });
    const node = el('div', { class: `fl-race-board-row${flaggedClass(l)}` },
      el('span', { class: 'fl-board-name' }, laneName(l)), meter, clock,
      l.problems.length > 0 ? el('span', { class: 'fl-board-problems' }, `⚠ ${l.problems.map((p) => p.code).join(', ')}`) : null);
    return {
      node,
      at: (t) => {
        fill.setAttribute('width', String((Math.min(t, l.makespanMs) / end) * 100));
        clock.textContent = clockText(l, t);
        node.classList.toggle('fl-lane-done', t >= l.makespanMs);
      },
    };
  }

  function lane(l: RaceLane, order: readonly string[], scale: number, row: number): { node: HTMLElement; at: (t: number) => void } {
    const labels = row >= 12;
    const labelW = labels ? LABEL_W : 0;
    const height = order.length * row + 24;
    const s = svg('svg', { class: 'fl-lane-svg', viewBox: `0 0 ${labelW + WIDTH + 10} ${height}`, width: '100%', role: 'img', 'aria-label': `${l.label}: ${order.length} tools, finishes at ${formatMs(l.makespanMs)}${l.problems.length > 0 ? `; problems: ${l.problems.map((p) => p.code).join(', ')}` : ''}` });
    const bars: { rect: SVGRectElement; start: number; end: number }[] = [];
    const gap = row >= 8 ? 4 : 1;
    order.forEach((id, i) => {
      const bar = l.bars.find((b) => b.id === id);
      const y = i * row + 2;
      if (labels) s.appendChild(svg('text', { x: labelW - 6, y: y + row - 5, class: 'fl-lane-label', 'text-anchor': 'end' }, id.length > 22 ? `${id.slice(0, 21)}…` : id));
      s.appendChild(svg('rect', { x: labelW, y, width: WIDTH, height: row - gap, class: 'fl-lane-track' }));
      if (!bar) return;
      const rect = svg('rect', { x: labelW + bar.start * scale, y, width: 0, height: row - gap, class: `fl-lane-bar fl-bar-${bar.status}` });
      rect.appendChild(svg('title', {}, `${id}: ${formatMs(bar.start)}–${formatMs(bar.end)} (${bar.status})`));
      s.appendChild(rect);
      bars.push({ rect, start: bar.start, end: bar.end });
    });
    // A streamed lane: where the model's stream ends, so waiting for it (or not) shows on the clock.
    if (l.stream) {
      const x = labelW + l.stream.endMs * scale;
      s.appendChild(svg('line', { x1: x, x2: x, y1: 0, y2: order.length * row + 2, class: 'fl-lane-stream-end' }));
      s.appendChild(svg('text', { x: Math.min(x + 3, labelW + WIDTH - 100), y: order.length * row + 16, class: 'fl-lane-stream-label' }, `stream ends ${formatMs(l.stream.endMs)}`));
    }
    const cursor = svg('line', { x1: labelW, x2: labelW, y1: 0, y2: order.length * row + 2, class: 'fl-lane-cursor' });
    s.appendChild(cursor);
    const clock = el('span', { class: 'fl-lane-clock' });
    const problems = l.problems.length > 0
      ? el('ul', { class: 'fl-lane-problems' }, ...l.problems.map((p) => el('li', {}, el('span', { class: 'fl-lane-problem-code' }, `⚠ ${p.code}`), ` ${p.message}`)))
      : null;
    const node = el('section', { class: `fl-lane${flaggedClass(l)}`, 'aria-label': l.label }, el('h3', {}, l.label, ' ', clock), problems, s);
    return {
      node,
      at: (t) => {
        for (const b of bars) b.rect.setAttribute('width', String(barWidth(b.start, b.end, t, scale)));
        const x = labelW + Math.min(t, l.makespanMs) * scale;
        cursor.setAttribute('x1', String(x));
        cursor.setAttribute('x2', String(x));
        clock.textContent = `— ${clockText(l, t)}`;
        node.classList.toggle('fl-lane-done', t >= l.makespanMs);
      },
    };
  }

  function render(): void {
    stop();
    updateAt = undefined;
    const race = state.key ? state.races.get(state.key) : undefined;
    const error = state.key ? state.errors.get(state.key) : undefined;
    caption.textContent = race?.caption ?? '';
    status.textContent = '';
    replaceChildren(lanesBox);
    if (error) {
      replaceChildren(head, el('p', { class: 'fl-bad' }, error));
      return;
    }
    if (!race) {
      replaceChildren(head, el('p', { class: 'fl-note' }, 'Simulating…'));
      return;
    }
    const [first, second] = race.lanes;
    const end = Math.max(first.makespanMs, second.makespanMs, 1);
    const scale = WIDTH / end;
    const row = rowHeight(Math.max(first.bars.length, second.bars.length));
    const orderOf = (l: RaceLane) => l.bars.slice().sort((x, y) => x.start - y.start || x.end - y.end).map((b) => b.id);
    const parts = [first, second].map((l) => ({ board: boardRow(l, end), lane: lane(l, orderOf(l), scale, row) }));
    const summary = `${race.title}: ${raceVerdict(race.lanes)}`;
    const play = button('▶ Start race', { class: 'fl-primary', 'data-action': 'play' }, () => start());
    const skip = button('Show the finish', { class: 'fl-secondary', 'data-action': 'finish' }, () => {
      stop();
      updateAt?.(end);
      status.textContent = summary;
    });
    updateAt = (t) => { for (const p of parts) { p.board.at(t); p.lane.at(t); } };
    updateAt(0);
    replaceChildren(head, el('div', { class: 'fl-actions' }, play, skip), el('div', { class: 'fl-race-board', role: 'group', 'aria-label': 'Where each lane is' }, ...parts.map((p) => p.board.node)));
    replaceChildren(lanesBox, ...parts.map((p) => p.lane.node));
    status.textContent = `Ready: ${race.title}. Press Start.`;

    function start(): void {
      stop();
      status.textContent = 'Racing…';
      if (window.matchMedia('(prefers-reduced-motion: reduce)').matches) {
        updateAt?.(end);
        status.textContent = summary;
        return;
      }
      const t0 = performance.now();
      const tick = (now: number) => {
        const t = ((now - t0) / PLAY_MS) * end;
        updateAt?.(Math.min(t, end));
        if (t < end) frame = requestAnimationFrame(tick);
        else {
          frame = 0;
          status.textContent = summary;
        }
      };
      frame = requestAnimationFrame(tick);
    }
  }

  request();
  render();
  return {
    root,
    update: render,
    focus: () => focusTarget(root.querySelector('h2')),
    dispose: stop,
  };
}

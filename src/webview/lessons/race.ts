// Race mode: two schedules from the real scheduler on a virtual clock (the host simulates them):
// a course comparison (two plans), or one sample against itself at maxConcurrency 1. Both lanes
// play on one shared clock, so the gap you watch is the real makespan difference. Drawn as SVG
// (attributes, not inline styles, so the CSP needs no 'unsafe-inline').
import { raceKey, type RaceLane, type RaceSource, type ViewRace } from '../../protocol/lessons';
import type { ModeContext, ModeView } from './context';
import { button, el, focusTarget, replaceChildren } from './dom';

const SVG = 'http://www.w3.org/2000/svg';
const ROW = 16;
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
    ctx.course.comparisons.length > 0 ? el('optgroup', { label: 'Two plans side by side' }, ...ctx.course.comparisons.map((c) => option(raceKey({ kind: 'comparison', id: c.id }), c.title))) : null,
    el('optgroup', { label: 'One sample: one at a time vs the scheduler' }, ...unique.map((x) => option(raceKey({ kind: 'sample', path: x.path }), `${x.label} — ${x.step}`))));
  select.addEventListener('change', () => {
    state.key = select.value;
    stop();
    request();
    render();
  });
  const stage = el('div', { class: 'fl-race-stage' });
  const status = el('p', { class: 'fl-race-status', 'aria-live': 'polite' });
  const caption = el('p', { class: 'fl-race-caption' });
  const root = el('div', { class: 'fl-mode fl-race' },
    el('h2', { class: 'fl-mode-title' }, 'Race: one at a time vs the scheduler'),
    el('p', { class: 'fl-mode-intro' }, 'Schedules from Fanout’s own scheduler on a virtual clock, using each tool’s durationMs. Both lanes play on one clock, so the gap is the real difference in makespan.'),
    el('div', { class: 'fl-race-controls' }, el('label', { for: 'fl-race-sample' }, 'Race '), select),
    caption, stage, status);
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

  function lane(l: RaceLane, order: readonly string[], scale: number): { node: HTMLElement; at: (t: number) => void; finished: (t: number) => boolean } {
    const height = order.length * ROW + 24;
    const s = svg('svg', { class: 'fl-lane-svg', viewBox: `0 0 ${LABEL_W + WIDTH + 10} ${height}`, width: '100%', role: 'img', 'aria-label': `${l.label}: ${order.length} tools, finishes at ${Math.round(l.makespanMs)} ms` });
    const bars: { rect: SVGRectElement; start: number; end: number }[] = [];
    order.forEach((id, i) => {
      const bar = l.bars.find((b) => b.id === id);
      const y = i * ROW + 2;
      s.appendChild(svg('text', { x: LABEL_W - 6, y: y + ROW - 5, class: 'fl-lane-label', 'text-anchor': 'end' }, id.length > 22 ? `${id.slice(0, 21)}…` : id));
      s.appendChild(svg('rect', { x: LABEL_W, y, width: WIDTH, height: ROW - 4, class: 'fl-lane-track' }));
      if (!bar) return;
      const rect = svg('rect', { x: LABEL_W + bar.start * scale, y, width: 0, height: ROW - 4, class: `fl-lane-bar fl-bar-${bar.status}` });
      rect.appendChild(svg('title', {}, `${id}: ${Math.round(bar.start)}–${Math.round(bar.end)} ms (${bar.status})`));
      s.appendChild(rect);
      bars.push({ rect, start: bar.start, end: bar.end });
    });
    const cursor = svg('line', { x1: LABEL_W, x2: LABEL_W, y1: 0, y2: order.length * ROW + 2, class: 'fl-lane-cursor' });
    s.appendChild(cursor);
    const clock = el('span', { class: 'fl-lane-clock' });
    const node = el('section', { class: 'fl-lane', 'aria-label': l.label }, el('h3', {}, l.label, ' ', clock), s);
    return {
      node,
      at: (t) => {
        for (const b of bars) b.rect.setAttribute('width', String(barWidth(b.start, b.end, t, scale)));
        const x = LABEL_W + Math.min(t, l.makespanMs) * scale;
        cursor.setAttribute('x1', String(x));
        cursor.setAttribute('x2', String(x));
        clock.textContent = t >= l.makespanMs ? `— finished in ${Math.round(l.makespanMs)} ms` : `— ${Math.round(t)} ms`;
        node.classList.toggle('fl-lane-done', t >= l.makespanMs);
      },
      finished: (t) => t >= l.makespanMs,
    };
  }

  function render(): void {
    stop();
    updateAt = undefined;
    const race = state.key ? state.races.get(state.key) : undefined;
    const error = state.key ? state.errors.get(state.key) : undefined;
    caption.textContent = race?.caption ?? '';
    if (error) {
      replaceChildren(stage, el('p', { class: 'fl-bad' }, error));
      return;
    }
    if (!race) {
      replaceChildren(stage, el('p', { class: 'fl-note' }, 'Simulating…'));
      return;
    }
    const [first, second] = race.lanes;
    const end = Math.max(first.makespanMs, second.makespanMs, 1);
    const scale = WIDTH / end;
    const orderOf = (l: RaceLane) => l.bars.slice().sort((x, y) => x.start - y.start || x.end - y.end).map((b) => b.id);
    const a = lane(first, orderOf(first), scale);
    const b = lane(second, orderOf(second), scale);
    const ratio = second.makespanMs > 0 ? first.makespanMs / second.makespanMs : 1;
    const play = button('▶ Start race', { class: 'fl-primary', 'data-action': 'play' }, () => start());
    const skip = button('Show the finish', { class: 'fl-secondary', 'data-action': 'finish' }, () => {
      stop();
      updateAt?.(end);
      status.textContent = summary;
    });
    const summary = `${race.title}: ${Math.round(first.makespanMs)} ms vs ${Math.round(second.makespanMs)} ms — ${ratio >= 1 ? `the second lane is ${ratio.toFixed(2)}× faster` : `the first lane is ${(1 / ratio).toFixed(2)}× faster`}.`;
    updateAt = (t) => { a.at(t); b.at(t); };
    updateAt(0);
    replaceChildren(stage, el('div', { class: 'fl-actions' }, play, skip), a.node, b.node);
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

// The dependency graph, drawn by this webview: the layered layout of core/render/graphLayout on
// nodes measured here, as SVG built node by node (plan text only ever as textContent), fitted to
// the panel with zoom and pan (graphViewport), alike calls collapsed into one node (graphModel).
// Mermaid drew this before: its layout blocked the main thread 200 ms for 10 tools and 1.5 s for
// 150, and drew 40 tools as 7 px nodes (docs/plan-view-graph.md has the measurements). It is still
// there on demand, for graphs up to MERMAID_MAX_TOOLS: the toolbar's "Mermaid" button (mermaidView).
import type { LiveStatus, ViewAnalysis, ViewTool } from '../../protocol/planView';
import { layoutGraph, type GraphLayout, type LayoutDirection, type PlacedEdge } from '../../core/render/graphLayout';
import { el, replaceChildren } from './dom';
import { displayGraph, isCollapsed, type DisplayGraph, type DisplayNode, type NodeShape } from './graphModel';
import { Viewport } from './graphViewport';
import { statusIcon, statusText } from './status';
import { LIVE_STATUSES } from './runModel';
import { MermaidView, mermaidScriptSrc, mermaidUnavailable } from './mermaidView';

/** performance.measure() name of the last graph drawing (render() to the last node drawn). */
export const GRAPH_RENDER_MEASURE = 'fanout:graph-render';

export type ThemeKind = 'dark' | 'light' | 'high-contrast' | 'high-contrast-light';

export function themeKindOf(body: HTMLElement): ThemeKind {
  const c = body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  if (c.contains('vscode-light')) return 'light';
  return 'dark';
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const STATUS_CLASSES = LIVE_STATUSES.map((s) => `fo-st-${s}`);
const NODE_H = 42;
const PAD_X = 14;
/** Gap between a critical node's outline and its second, outer outline (px). */
const RING_GAP = 4;
const TITLE_PX = 13;
const SUB_PX = 11;
/** On-screen zoom below which the first view stops shrinking and pans instead: 42 px nodes stay ≥ 21 px. */
export const READABLE_ZOOM = 0.5;
/** The first view never enlarges a small graph beyond its natural size. */
const MAX_FIRST_ZOOM = 1;
/** Canvas height bounds: at least this, at most this share of the window. */
const MIN_CANVAS_PX = 120;
const MAX_CANVAS_SHARE = 0.6;
/** Nodes built per task: a 150-tool graph is drawn in six slices, the webview answering between them. */
const SLICE_NODES = 25;
/**
 * The note "Mermaid … can pause the view" shows from this many tools: graphs bigger than one of
 * our drawing slices (SLICE_NODES), the size where drawing in one task would stall (Mermaid took
 * about 300 ms for 20 tools, docs/plan-view-graph.md). Below, the reason is in the button's tooltip.
 */
export const MERMAID_NOTE_TOOLS = SLICE_NODES + 1;
const MERMAID_TOOLTIP = 'Draw this graph with Mermaid (it lays out on the main thread, so a big graph pauses the view while it draws)';
/** Groups listed as their own expand/collapse buttons (more get only "Expand all"). */
const MAX_GROUP_BUTTONS = 6;
/** Extra width a kind's shape needs beside its text (slanted or pointed sides). */
const SHAPE_EXTRA: Readonly<Record<NodeShape, number>> = {
  simulate: 0, 'vscode.lm': 16, shell: 14, http: 22, cpu: 22, 'vscode.command': 22, mcp: 4, function: 14, summary: 0,
};

export interface GraphCallbacks {
  readonly onReveal: (tool: ViewTool) => void;
  readonly onError: (message: string) => void;
  /** Status of a tool right now (for the class and tooltip of freshly drawn nodes). */
  readonly statusOf: (id: string) => LiveStatus;
}

interface DrawnNode {
  readonly node: DisplayNode;
  readonly g: SVGGElement;
  readonly title: SVGTitleElement;
  readonly sub: SVGTSpanElement;
  /** The status glyph on the node's corner (the timeline row's icon): a cue that is not a colour. */
  readonly glyph: SVGTextElement;
}

export class GraphView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLDivElement;
  private readonly note: HTMLParagraphElement;
  private readonly svg: SVGSVGElement;
  private readonly world: SVGGElement;
  private readonly viewport: Viewport;
  private readonly zoomLabel: HTMLSpanElement;
  private readonly groupBar: HTMLDivElement;
  private readonly controls: HTMLDivElement;
  private analysis: ViewAnalysis | null = null;
  private display: DisplayGraph | null = null;
  private layout: GraphLayout | null = null;
  /** The reader's expand/collapse choices by group key (kept across edits of the plan). */
  private readonly choices = new Map<string, boolean>();
  private readonly drawn = new Map<string, DrawnNode>();
  /** Tool id → the key of the node drawing it. */
  private readonly nodeOfTool = new Map<string, string>();
  private selectedTool: string | null = null;
  private renderedKey = '';
  private generation = 0;
  private layoutGeneration = 0;
  private measureCtx: CanvasRenderingContext2D | null = null;
  private fittedWidth = 0;
  /** Which renderer draws the graph: ours (the default) or Mermaid, on the reader's demand. */
  private mode: 'fanout' | 'mermaid' = 'fanout';
  private theme: ThemeKind = 'dark';
  private readonly mermaid = new MermaidView();
  private readonly modeButton: HTMLButtonElement;
  private readonly modeNote: HTMLSpanElement;
  private readonly copyButton: HTMLButtonElement;
  private readonly legendEl = legend();
  /** The zoom buttons and label: our graph's only (Mermaid's drawing is fitted by its SVG). */
  private readonly zoomControls: readonly HTMLElement[];
  /** Resolves when the latest requested render has finished (tests and callers wait on it). */
  settled: Promise<void> = Promise.resolve();
  /** When render() asked for the drawing not yet completed (performance.now()), else null. */
  private renderAsked: number | null = null;

  constructor(private readonly callbacks: GraphCallbacks) {
    this.note = el('p', { class: 'fo-note', role: 'status' });
    const hintId = 'fo-graph-hint';
    this.canvas = el('div', { class: 'fo-graph-canvas', tabindex: 0, role: 'group', 'aria-label': 'Dependency graph', 'aria-describedby': hintId });
    this.svg = document.createElementNS(SVG_NS, 'svg');
    this.svg.setAttribute('class', 'fo-graph-svg');
    this.svg.setAttribute('xmlns', SVG_NS);
    this.world = svgEl('g', { class: 'fo-graph-world' });
    this.svg.append(markers(), this.world);
    this.canvas.append(this.svg);
    this.zoomLabel = el('span', { class: 'fo-zoom-level', 'aria-live': 'polite' }, '100%');
    this.groupBar = el('div', { class: 'fo-graph-groups', role: 'group', 'aria-label': 'Groups of alike calls' });
    this.zoomControls = [
      button('−', 'Zoom out (−)', () => this.viewport.zoomOut()),
      this.zoomLabel,
      button('+', 'Zoom in (+)', () => this.viewport.zoomIn()),
      button('Fit', 'Fit the whole graph in view (0)', () => this.viewport.fit()),
    ];
    this.modeNote = el('span', { id: 'fo-graph-mode-note', class: 'fo-graph-mode-note' }, 'Mermaid draws on the main thread and can pause the view on big graphs.');
    this.modeNote.hidden = true;
    this.modeButton = button('Mermaid', MERMAID_TOOLTIP, () => this.toggleMode(), { class: 'fo-button fo-graph-button fo-graph-mode' });
    this.copyButton = button('Copy Mermaid', 'Copy the Mermaid source of this graph', () => void this.copyMermaid(), { class: 'fo-button fo-graph-button fo-graph-copy' });
    this.copyButton.hidden = true;
    this.controls = el('div', { class: 'fo-graph-controls', role: 'toolbar', 'aria-label': 'Graph view', 'aria-controls': 'fo-graph-canvas' },
      ...this.zoomControls,
      this.groupBar,
      this.modeButton,
      this.copyButton,
      this.modeNote);
    this.canvas.id = 'fo-graph-canvas';
    this.element = el('section', { class: 'fo-section fo-graph', 'aria-labelledby': 'fo-graph-title' },
      el('h2', { id: 'fo-graph-title' }, 'Dependency graph'),
      this.legendEl,
      this.note,
      this.controls,
      this.canvas,
      this.mermaid.element,
      el('p', { id: hintId, class: 'fo-graph-hint' }, 'Drag or scroll to pan, Ctrl+scroll or + and − to zoom, 0 to fit. Click a node to show the tool in the editor; click a group (×) to expand it.'));
    this.viewport = new Viewport(this.svg, this.world, (s) => { this.zoomLabel.textContent = `${Math.round(s.k * 100)}%`; });
    this.canvas.addEventListener('keydown', (e) => {
      if (e.target === this.canvas && this.viewport.handleKey(e)) e.preventDefault();
    });
    this.svg.addEventListener('click', (ev) => this.onClick(ev));
    // A panel resized before the reader touched the view is fitted again (the side column opens narrow);
    // after, the view keeps its zoom and only the visible area changes.
    new ResizeObserver((entries) => {
      const box = entries[entries.length - 1].contentRect;
      if (!this.layout || box.width === 0) return;
      this.viewport.setViewSize(box.width, box.height);
      if (Math.abs(box.width - this.fittedWidth) < 2 || this.viewport.touched) {
        this.viewport.show(this.viewport.state.k);
        return;
      }
      this.settled = this.relayout(true);
    }).observe(this.canvas);
  }

  /** Draws the analysis when its graph changed; the theme only changes CSS, never the drawing. */
  render(analysis: ViewAnalysis, theme: ThemeKind = this.theme, force = false): Promise<void> {
    this.analysis = analysis;
    this.theme = theme;
    this.updateModeButton();
    if (this.mode === 'mermaid') {
      // The plan grew past what Mermaid is offered for (or lost its graph): back to ours.
      if (mermaidUnavailable(analysis, mermaidScriptSrc()) !== null) return this.setMode('fanout');
      this.settled = this.renderMermaid();
      return this.settled;
    }
    const key = graphKey(analysis);
    if (!force && key === this.renderedKey) return this.settled;
    this.renderedKey = key;
    const gen = ++this.generation;
    this.renderAsked = performance.now();
    // Drawn in a task of its own, after the header, summary and timeline have painted.
    this.settled = nextFrame().then(async () => {
      if (gen !== this.generation) return;
      try {
        await this.redraw(true);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.note.textContent = `The graph could not be drawn: ${message}`;
        this.callbacks.onError(`graph render failed: ${message}`);
      }
    });
    return this.settled;
  }

  /** "Mermaid" / "Fanout graph": switches the renderer and draws the current analysis with it. */
  toggleMode(): Promise<void> {
    return this.setMode(this.mode === 'fanout' ? 'mermaid' : 'fanout');
  }

  get graphMode(): 'fanout' | 'mermaid' {
    return this.mode;
  }

  private setMode(mode: 'fanout' | 'mermaid'): Promise<void> {
    const a = this.analysis;
    if (mode === 'mermaid' && (!a || mermaidUnavailable(a, mermaidScriptSrc()) !== null)) return this.settled;
    this.mode = mode;
    const mermaid = mode === 'mermaid';
    for (const c of this.zoomControls) c.hidden = mermaid;
    this.groupBar.hidden = mermaid;
    this.canvas.hidden = mermaid || this.drawn.size === 0;
    this.mermaid.element.hidden = !mermaid;
    this.copyButton.hidden = !mermaid;
    this.updateModeButton();
    if (mermaid) {
      // Drop any pending draw of ours (it would show our canvas again); drawn afresh on the way back.
      this.generation++;
      this.layoutGeneration++;
      this.renderedKey = '';
      this.settled = this.renderMermaid();
    } else {
      this.mermaid.reset();
      if (a) return this.render(a, this.theme);
    }
    return this.settled;
  }

  private async renderMermaid(): Promise<void> {
    const a = this.analysis;
    const src = mermaidScriptSrc();
    if (!a || !src) return;
    this.note.textContent = 'Drawing with Mermaid…';
    try {
      await this.mermaid.render(a, this.theme, src);
      if (this.mode === 'mermaid') this.note.textContent = '';
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.note.textContent = `Mermaid could not draw the graph: ${message}`;
      this.callbacks.onError(`mermaid render failed: ${message}`);
    }
  }

  /** The host-escaped flowchart text to the clipboard (VS Code's webview frame allows clipboard-write). */
  private async copyMermaid(): Promise<void> {
    const text = this.analysis?.mermaid ?? '';
    try {
      await navigator.clipboard.writeText(text);
      this.note.textContent = 'Mermaid source copied.';
    } catch (err) {
      this.note.textContent = `Could not copy the Mermaid source: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  private updateModeButton(): void {
    const b = this.modeButton;
    if (this.mode === 'mermaid') {
      b.textContent = 'Fanout graph';
      b.disabled = false;
      setLabel(b, "Draw this graph with Fanout's own renderer (zoom, pan, groups, live status)");
      return;
    }
    const why = this.analysis ? mermaidUnavailable(this.analysis, mermaidScriptSrc()) : 'There is no graph to draw.';
    b.textContent = 'Mermaid';
    b.disabled = why !== null;
    setLabel(b, why ?? MERMAID_TOOLTIP);
    // A page without mermaid.min.js (the host always passes it) offers no Mermaid view at all.
    const offered = mermaidScriptSrc() !== null;
    b.hidden = !offered;
    // The warning is noise under a small graph; it shows only where pressing the button would hurt.
    const warn = offered && why === null && (this.analysis?.tools.length ?? 0) >= MERMAID_NOTE_TOOLS;
    this.modeNote.hidden = !warn;
    if (warn) b.setAttribute('aria-describedby', this.modeNote.id);
    else b.removeAttribute('aria-describedby');
  }

  /** Expands (or collapses) one group of alike calls. */
  setCollapsed(groupKey: string, collapsed: boolean): void {
    this.choices.set(groupKey, collapsed);
    // The drawing changed shape: show it afresh (fitted, or readable and pannable).
    this.settled = this.redraw(true);
  }

  private redraw(refit: boolean): Promise<void> {
    const a = this.analysis;
    if (!a) return Promise.resolve();
    this.canvas.setAttribute('aria-label', graphLabel(a));
    this.display = displayGraph(a, this.choices);
    this.nodeOfTool.clear();
    for (const n of this.display.nodes) for (const t of n.tools) this.nodeOfTool.set(t.id, n.key);
    this.note.textContent = noteFor(a, this.display);
    this.updateGroupBar();
    return this.relayout(refit);
  }

  /**
   * Lays the display graph out in the direction that fits the panel better, draws it and fits it.
   * The work is cut into tasks (layouts, then nodes in slices, built off-document and swapped in at
   * once) so no task blocks the webview for long: the bench's `graph` section measures it.
   */
  private async relayout(refit: boolean): Promise<void> {
    const gen = ++this.layoutGeneration;
    const d = this.display;
    if (!d) return;
    if (d.nodes.length === 0) {
      replaceChildren(this.world);
      this.drawn.clear();
      this.layout = null;
      this.canvas.hidden = true;
      this.controls.hidden = true;
      return;
    }
    this.canvas.hidden = this.mode === 'mermaid';
    this.controls.hidden = false;
    const sizes = this.measureAll(d.nodes);
    const edges = d.edges.map((e) => ({ from: e.from, to: e.to }));
    const panelW = this.canvas.clientWidth || 800;
    const maxH = this.maxCanvasHeight();
    const score = (l: GraphLayout): number => Math.min(panelW / l.width, maxH / l.height, MAX_FIRST_ZOOM);
    const aspect = panelW / maxH;
    const lr = layoutGraph(sizes, edges, { direction: 'LR', aspect });
    let layout = lr;
    // Top-down reads better when the columns would be tall and few (a narrow side column, a deep chain).
    if (score(lr) < MAX_FIRST_ZOOM) {
      if (!(await yieldTask(() => gen === this.layoutGeneration))) return;
      const td = layoutGraph(sizes, edges, { direction: 'TD', aspect });
      if (score(td) > score(lr) * 1.15) layout = td;
    }
    if (!(await yieldTask(() => gen === this.layoutGeneration))) return;
    if (!(await this.draw(d, layout, () => gen === this.layoutGeneration))) return;
    const previous = this.layout;
    this.layout = layout;
    this.viewport.setContent(layout.width, layout.height);
    if (refit || !previous) this.firstView(panelW, maxH);
    else this.viewport.show(this.viewport.state.k);
    if (this.renderAsked !== null) {
      // From render() to the first drawing that completed (a resize or a newer analysis may have
      // superseded one in between): user timing the workbench scenario reads (docs/plan-view-graph.md,
      // "No long stalls"). Only the latest is kept.
      performance.clearMeasures(GRAPH_RENDER_MEASURE);
      performance.measure(GRAPH_RENDER_MEASURE, { start: this.renderAsked });
      this.renderAsked = null;
    }
  }

  /** The first view: the whole graph if that keeps nodes readable, else readable and pannable. */
  private firstView(panelW: number, maxH: number): void {
    const layout = this.layout as GraphLayout;
    const fit = Math.min(MAX_FIRST_ZOOM, panelW / layout.width, maxH / layout.height);
    const k = Math.max(READABLE_ZOOM, fit);
    const height = Math.round(Math.max(MIN_CANVAS_PX, Math.min(maxH, layout.height * k + 2)));
    this.canvas.style.height = `${height}px`;
    this.fittedWidth = panelW;
    this.viewport.setViewSize(panelW, height);
    this.viewport.show(k);
    this.viewport.touched = false;
  }

  private maxCanvasHeight(): number {
    return Math.max(240, Math.round(window.innerHeight * MAX_CANVAS_SHARE));
  }

  /** Builds the drawing off-document in slices of nodes, then swaps it in; false when superseded. */
  private async draw(d: DisplayGraph, layout: GraphLayout, current: () => boolean): Promise<boolean> {
    const edgeLayer = svgEl('g', { class: 'fo-edges' });
    const nodeLayer = svgEl('g', { class: 'fo-nodes' });
    const criticalEdge = new Set(d.edges.filter((e) => e.critical).map((e) => `${e.from}\u0000${e.to}`));
    const critical: SVGPathElement[] = [];
    for (const e of layout.edges) {
      const isCritical = criticalEdge.has(`${e.from}\u0000${e.to}`);
      const path = svgEl('path', { class: `fo-edge${isCritical ? ' critical' : ''}${e.reversed ? ' fo-edge-back' : ''}`, d: edgePath(e, layout.direction), 'marker-end': `url(#${isCritical ? 'fo-arrow-critical' : 'fo-arrow'})` });
      // Critical edges last, so they are drawn over the others.
      if (isCritical) critical.push(path);
      else edgeLayer.append(path);
    }
    edgeLayer.append(...critical);
    const drawn = new Map<string, DrawnNode>();
    const byKey = new Map(d.nodes.map((n) => [n.key, n]));
    for (const [i, p] of layout.nodes.entries()) {
      if (i > 0 && i % SLICE_NODES === 0 && !(await yieldTask(current))) return false;
      const node = byKey.get(p.id) as DisplayNode;
      const classes = ['node', 'fo-node', `fo-kind-${node.shape}`];
      if (node.critical) classes.push('critical');
      if (node.invalid) classes.push('invalid');
      if (node.group) classes.push('fo-group');
      const g = svgEl('g', { class: classes.join(' '), transform: `translate(${round(p.x)} ${round(p.y)})` });
      const tool = node.tools.length === 1 && !node.group && d.mode === 'full' ? node.tools[0] : undefined;
      if (tool) {
        g.dataset.tool = tool.nodeId ?? tool.id;
        g.dataset.id = tool.id;
      }
      if (node.group) {
        g.dataset.group = node.group.key;
        g.dataset.count = String(node.group.ids.length);
        // Two offset outlines behind the node: a stack of alike calls.
        for (const off of [6, 3]) g.append(svgEl('path', { class: 'fo-node-stack', d: shapePath(node.shape, p.width, p.height), transform: `translate(${off} ${off})` }));
      }
      const title = svgEl('title', {});
      const text = svgEl('text', { x: round(p.width / 2), y: 0, 'text-anchor': 'middle' });
      const main = svgEl('tspan', { class: 'fo-node-title', x: round(p.width / 2), y: node.subtitle ? 18 : 26 });
      main.textContent = node.title;
      const sub = svgEl('tspan', { class: 'fo-node-sub', x: round(p.width / 2), y: 33 });
      sub.textContent = node.subtitle;
      text.append(main, sub);
      // The critical path's mark is a second outline around the node (not a status colour; see
      // docs/plan-view-graph.md, "Critical path and statuses").
      if (node.critical) g.append(svgEl('path', { class: 'fo-node-ring', d: shapePath(node.shape, p.width + 2 * RING_GAP, p.height + 2 * RING_GAP), transform: `translate(${-RING_GAP} ${-RING_GAP})` }));
      const glyph = svgEl('text', { class: 'fo-node-glyph', x: 0, y: 0, 'text-anchor': 'middle' });
      const badge = svgEl('g', { class: 'fo-node-badge', transform: 'translate(3 3)', 'aria-hidden': 'true' });
      badge.append(svgEl('circle', { r: 7.5 }), glyph);
      g.append(title, svgEl('path', { class: 'fo-node-shape label-container', d: shapePath(node.shape, p.width, p.height) }), text, badge);
      nodeLayer.append(g);
      drawn.set(node.key, { node, g, title, sub, glyph });
    }
    if (!(await yieldTask(current))) return false;
    this.drawn.clear();
    for (const [k, v] of drawn) this.drawn.set(k, v);
    for (const dn of this.drawn.values()) this.paint(dn);
    replaceChildren(this.world, edgeLayer, nodeLayer);
    if (this.selectedTool !== null) this.setSelected(this.selectedTool);
    return true;
  }

  /** Colours one tool's node by live status and updates its tooltip (a group shows its members' tally). */
  setStatus(id: string, _status: LiveStatus): void {
    const key = this.nodeOfTool.get(id);
    const dn = key === undefined ? undefined : this.drawn.get(key);
    if (dn) this.paint(dn);
  }

  private paint(dn: DrawnNode): void {
    const { node, g } = dn;
    const statuses = node.tools.map((t) => this.callbacks.statusOf(t.id));
    const status = node.shape === 'summary' ? 'pending' : combined(statuses);
    g.classList.remove(...STATUS_CLASSES);
    g.classList.add(`fo-st-${status}`);
    dn.glyph.textContent = statusIcon(status);
    if (status === 'approval' || status === 'denied') this.legendEl.querySelector<HTMLElement>(`.fo-legend-status[data-status="${status}"]`)?.removeAttribute('hidden');
    if (node.group) {
      const tally = tallyText(statuses);
      dn.sub.textContent = tally ?? node.subtitle;
      const running = runningCount(statuses);
      dn.title.textContent = `${node.title}: ${node.group.ids.length} alike calls (${tally ?? statusText(status)}${running > 0 ? `, ${running} running` : ''}). Click to expand.`;
    } else if (node.shape === 'summary') {
      dn.title.textContent = `${node.title}${node.subtitle ? `, ${node.subtitle}` : ''}`;
    } else {
      const t = node.tools[0];
      dn.title.textContent = `${t.label}${t.label !== t.id ? ` (${t.id})` : ''}: ${statusText(status)}${node.critical ? ', on the critical path' : ''}${t.args ? `\n${t.args}` : ''}`;
    }
  }

  setSelected(id: string | null): void {
    this.selectedTool = id;
    for (const g of this.world.querySelectorAll('g.fo-selected')) g.classList.remove('fo-selected');
    if (id === null) return;
    const key = this.nodeOfTool.get(id);
    if (key !== undefined) this.drawn.get(key)?.g.classList.add('fo-selected');
  }

  hasNode(id: string): boolean {
    return this.nodeOfTool.has(id);
  }

  /**
   * Gives the graph keyboard focus (Show Graph: + − 0 and the arrows work at once) without a scroll
   * of its own: the app has already brought the section into view. In Mermaid mode (no canvas) the
   * focus stays where it was.
   */
  focus(): void {
    if (this.canvas.hidden || this.canvas.getClientRects().length === 0) return;
    this.canvas.focus({ preventScroll: true });
  }

  get nodeCount(): number {
    return this.drawn.size;
  }

  private onClick(ev: MouseEvent): void {
    const g = ev.target instanceof Element ? ev.target.closest('g.node') : null;
    if (!g) return;
    const group = g.getAttribute('data-group');
    if (group !== null) {
      this.setCollapsed(group, false);
      return;
    }
    const id = g.getAttribute('data-id');
    const tool = id === null ? undefined : this.analysis?.tools.find((t) => t.id === id);
    if (tool) this.callbacks.onReveal(tool);
  }

  private updateGroupBar(): void {
    const groups = this.display?.groups ?? [];
    const buttons: HTMLElement[] = [];
    const collapsed = groups.filter((g) => isCollapsed(g, this.choices));
    if (groups.length > 0 && groups.length <= MAX_GROUP_BUTTONS) {
      for (const g of groups) {
        const c = isCollapsed(g, this.choices);
        buttons.push(button(c ? `Expand ${g.name} × ${g.ids.length}` : `Collapse ${g.name} × ${g.ids.length}`,
          c ? `Draw the ${g.ids.length} alike ${g.name} calls one by one` : `Draw the ${g.ids.length} alike ${g.name} calls as one node`,
          () => this.setCollapsed(g.key, !c), { 'aria-pressed': String(!c), 'data-group': g.key }));
      }
    } else if (groups.length > MAX_GROUP_BUTTONS) {
      const all = collapsed.length > 0;
      buttons.push(button(all ? `Expand ${collapsed.length} groups` : `Collapse ${groups.length} groups`, all ? 'Draw every alike call one by one' : 'Draw each group of alike calls as one node', () => {
        for (const g of groups) this.choices.set(g.key, !all);
        this.settled = this.redraw(true);
      }));
    }
    replaceChildren(this.groupBar, ...buttons);
  }

  /**
   * Node sizes from their text, measured on a canvas. The font is set once per line style: setting
   * ctx.font parses it, and doing that per node took most of a 150-tool draw.
   */
  private measureAll(nodes: readonly DisplayNode[]): { id: string; width: number; height: number }[] {
    if (!this.measureCtx) this.measureCtx = document.createElement('canvas').getContext('2d');
    const ctx = this.measureCtx;
    const family = getComputedStyle(document.body).fontFamily || 'sans-serif';
    const widths = (texts: readonly string[], font: string): number[] => {
      if (!ctx) return texts.map((t) => 8 * t.length);
      ctx.font = font;
      const cache = new Map<string, number>();
      return texts.map((t) => {
        let w = cache.get(t);
        if (w === undefined) cache.set(t, (w = ctx.measureText(t).width));
        return w;
      });
    };
    const titles = widths(nodes.map((n) => n.title), `600 ${TITLE_PX}px ${family}`);
    // A group's subtitle becomes a tally during a run ("12/40 done · 3 failed"): leave room for it.
    const subs = widths([...nodes.map((n) => n.subtitle), '00/00 done · 00 failed'], `${SUB_PX}px ${family}`);
    const tally = subs[nodes.length];
    return nodes.map((n, i) => {
      const textW = Math.max(titles[i], subs[i], n.group ? tally : 0);
      return { id: n.key, width: Math.ceil(Math.max(56, textW + 2 * PAD_X + SHAPE_EXTRA[n.shape])), height: NODE_H };
    });
  }
}

/** Only what changes the drawing: tools, their dependencies, labels, durations, critical path, errors. */
function graphKey(a: ViewAnalysis): string {
  return JSON.stringify([a.mermaidMode, a.tools.map((t) => [t.id, t.label, t.kind, t.durationMs, t.dependsOn, t.nodeId]), a.criticalPath.tools, a.levels.length,
    a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.tools)]);
}

function noteFor(a: ViewAnalysis, d: DisplayGraph): string {
  if (d.mode === 'empty') return a.tools.length === 0 ? 'No graph: the plan has no tools that could be read.' : 'No graph for this plan.';
  if (d.mode === 'summary') return `Summary view: ${a.tools.length} tools are grouped by level (too many to draw one by one). The timeline below shows every tool.`;
  return '';
}

/** One status for a node standing for several tools: activity first, then the worst outcome. */
function combined(statuses: readonly LiveStatus[]): LiveStatus {
  if (statuses.length === 1) return statuses[0];
  const has = (s: LiveStatus): boolean => statuses.includes(s);
  if (has('running')) return 'running';
  if (has('retrying')) return 'retrying';
  if (statuses.every((s) => s === statuses[0])) return statuses[0];
  if (has('queued') || has('pending')) return statuses.some((s) => s !== 'pending' && s !== 'queued') ? 'running' : 'queued';
  for (const s of ['failed', 'timed-out', 'cancelled', 'skipped'] as const) if (has(s)) return s;
  return 'succeeded';
}

/**
 * "12/40 done · 3 failed" once any member has started; null before. Running members show in the
 * node's colour and its tooltip, keeping the line short enough for a narrow node.
 */
function tallyText(statuses: readonly LiveStatus[]): string | null {
  if (statuses.every((s) => s === 'pending')) return null;
  const done = statuses.filter((s) => s === 'succeeded' || s === 'failed' || s === 'timed-out' || s === 'skipped' || s === 'cancelled').length;
  const failed = statuses.filter((s) => s === 'failed' || s === 'timed-out').length;
  return [`${done}/${statuses.length} done`, failed > 0 ? `${failed} failed` : ''].filter(Boolean).join(' · ');
}

function runningCount(statuses: readonly LiveStatus[]): number {
  return statuses.filter((s) => s === 'running' || s === 'retrying').length;
}

function graphLabel(a: ViewAnalysis): string {
  const cp = a.criticalPath.tools;
  const path = cp.length > 0 ? ` Critical path: ${cp.slice(0, 12).join(' → ')}${cp.length > 12 ? ` and ${cp.length - 12} more` : ''}.` : '';
  return `Dependency graph of ${a.tools.length} tools.${path} Click a node to reveal the tool in the editor.`;
}

/** Cubic segments between the layout's points, leaving and entering along the rank axis. */
function edgePath(e: PlacedEdge, direction: LayoutDirection): string {
  const p = e.points;
  if (p.length === 0) return '';
  let d = `M${round(p[0][0])},${round(p[0][1])}`;
  for (let i = 1; i < p.length; i++) {
    const [ax, ay] = p[i - 1];
    const [bx, by] = p[i];
    if (direction === 'LR') {
      const m = (bx - ax) / 2;
      d += ` C${round(ax + m)},${round(ay)} ${round(bx - m)},${round(by)} ${round(bx)},${round(by)}`;
    } else {
      const m = (by - ay) / 2;
      d += ` C${round(ax)},${round(ay + m)} ${round(bx)},${round(by - m)} ${round(bx)},${round(by)}`;
    }
  }
  return d;
}

/** Shapes tell kinds apart at a glance, as the CLI's Mermaid output does (core/render/mermaid SHAPES). */
function shapePath(shape: NodeShape, w: number, h: number): string {
  const r = (x: number): number => round(x);
  const s = 11; // slant / point depth
  switch (shape) {
    case 'vscode.lm': return roundedRect(w, h, h / 2);
    case 'shell': return `${roundedRect(w, h, 2)} M7,0 V${h} M${r(w - 7)},0 V${h}`;
    case 'http': return `M${s},0 H${r(w - s)} L${r(w)},${r(h / 2)} L${r(w - s)},${h} H${s} L0,${r(h / 2)} Z`;
    case 'cpu': return `M${s},0 H${r(w)} L${r(w - s)},${h} H0 Z`;
    case 'vscode.command': return `M0,0 H${r(w - s)} L${r(w)},${h} H${s} Z`;
    case 'mcp': {
      const ry = 5;
      return `M0,${ry} A${r(w / 2)},${ry} 0 0 1 ${r(w)},${ry} V${h - ry} A${r(w / 2)},${ry} 0 0 1 0,${h - ry} Z M0,${ry} A${r(w / 2)},${ry} 0 0 0 ${r(w)},${ry}`;
    }
    case 'function': return `M0,0 H${r(w)} V${h} H0 L${s},${r(h / 2)} Z`;
    case 'summary': return roundedRect(w, h, 3);
    default: return roundedRect(w, h, 8);
  }
}

function roundedRect(w: number, h: number, radius: number): string {
  const q = Math.min(radius, h / 2, w / 2);
  const r = (x: number): number => round(x);
  return `M${r(q)},0 H${r(w - q)} A${r(q)},${r(q)} 0 0 1 ${r(w)},${r(q)} V${r(h - q)} A${r(q)},${r(q)} 0 0 1 ${r(w - q)},${r(h)} H${r(q)} A${r(q)},${r(q)} 0 0 1 0,${r(h - q)} V${r(q)} A${r(q)},${r(q)} 0 0 1 ${r(q)},0 Z`;
}

function markers(): SVGDefsElement {
  const defs = svgEl('defs', {});
  for (const [id, cls] of [['fo-arrow', 'fo-arrowhead'], ['fo-arrow-critical', 'fo-arrowhead critical']] as const) {
    const m = svgEl('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, orient: 'auto', markerUnits: 'userSpaceOnUse' });
    m.append(svgEl('path', { class: cls, d: 'M0,0 L10,5 L0,10 Z' }));
    defs.append(m);
  }
  return defs;
}

function legend(): HTMLElement {
  const items: [LiveStatus, string][] = [
    ['pending', 'pending'], ['queued', 'queued'], ['running', 'running'], ['retrying', 'retrying'],
    ['succeeded', 'succeeded'], ['failed', 'failed'], ['timed-out', 'timed out'], ['skipped', 'skipped'], ['cancelled', 'cancelled'],
  ];
  // Approval states exist only for plans with approval-gated tools: shown once a node takes one.
  const gated: [LiveStatus, string][] = [['approval', 'waiting for approval'], ['denied', 'denied']];
  const item = (status: LiveStatus, text: string, hidden: boolean): HTMLElement =>
    el('li', { class: 'fo-legend-status', 'data-status': status, hidden },
      el('span', { class: `fo-swatch fo-st-${status}`, 'aria-hidden': 'true' }),
      // Pending nodes carry no glyph (a plan not yet run stays quiet), so its legend shows none.
      ...(status === 'pending' ? [] : [el('span', { class: 'fo-legend-glyph', 'aria-hidden': 'true' }, statusIcon(status))]),
      text);
  return el('ul', { class: 'fo-legend', 'aria-label': 'Legend' },
    el('li', { class: 'fo-legend-critical' }, el('span', { class: 'fo-swatch fo-swatch-critical', 'aria-hidden': 'true' }), 'critical path'),
    ...items.map(([status, text]) => item(status, text, false)),
    ...gated.map(([status, text]) => item(status, text, true)));
}

function setLabel(b: HTMLButtonElement, label: string): void {
  b.setAttribute('aria-label', label);
  b.title = label;
}

function button(text: string, label: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = el('button', { type: 'button', class: 'fo-button fo-graph-button', 'aria-label': label, title: label, ...attrs }, text);
  b.addEventListener('click', onClick);
  return b;
}

type SvgTag = 'g' | 'path' | 'text' | 'tspan' | 'title' | 'defs' | 'marker' | 'circle';
function svgEl<K extends SvgTag>(tag: K, attrs: Readonly<Record<string, string | number>>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag) as SVGElementTagNameMap[K];
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

function nextFrame(): Promise<void> {
  return new Promise((resolve) => {
    // requestAnimationFrame does not fire in hidden pages; the timeout keeps drawing moving there.
    let done = false;
    const finish = (): void => {
      if (!done) {
        done = true;
        resolve();
      }
    };
    requestAnimationFrame(() => setTimeout(finish, 0));
    setTimeout(finish, 50);
  });
}

/** Lets other tasks (input, messages, painting) run; resolves to whether the work is still wanted. */
function yieldTask(current: () => boolean): Promise<boolean> {
  return new Promise((resolve) => {
    // A message task, not a timer: timers are throttled in hidden pages (a retained, hidden webview).
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve(current());
    };
    ch.port2.postMessage(null);
  });
}

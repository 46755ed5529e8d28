// The Mermaid dependency graph. The host builds the flowchart text with every plan label escaped
// (core/render/mermaid); Mermaid renders it with securityLevel 'strict' (DOMPurify on labels, no
// click handlers). That sanitised SVG is the only markup this webview inserts as HTML.
import type { LiveStatus, ViewAnalysis, ViewTool } from '../../protocol/planView';
import { el, replaceChildren } from './dom';
import { statusText } from './status';
import { LIVE_STATUSES } from './runModel';

interface MermaidApi {
  initialize(config: Record<string, unknown>): void;
  render(id: string, text: string): Promise<{ svg: string }>;
}

export type ThemeKind = 'dark' | 'light' | 'high-contrast' | 'high-contrast-light';

export function themeKindOf(body: HTMLElement): ThemeKind {
  const c = body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  if (c.contains('vscode-light')) return 'light';
  return 'dark';
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const FIT_MAX_TOOLS = 40;
const STATUS_CLASSES = LIVE_STATUSES.map((s) => `fo-st-${s}`);

export interface GraphCallbacks {
  readonly onReveal: (tool: ViewTool) => void;
  readonly onError: (message: string) => void;
  /** Status of a tool right now (for the class and tooltip of freshly rendered nodes). */
  readonly statusOf: (id: string) => LiveStatus;
}

export class GraphView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLDivElement;
  private readonly note: HTMLParagraphElement;
  private generation = 0;
  private chain: Promise<void> = Promise.resolve();
  private nodes = new Map<string, SVGGElement>();
  private toolsByNode = new Map<string, ViewTool>();
  private analysis: ViewAnalysis | null = null;
  /** Rendered (text, theme) so an identical analysis does not re-layout. */
  private renderedKey = '';
  /** Resolves when the latest requested render has finished (tests and callers wait on it). */
  settled: Promise<void> = Promise.resolve();

  constructor(private readonly callbacks: GraphCallbacks) {
    this.note = el('p', { class: 'fo-note', role: 'status' });
    this.canvas = el('div', { class: 'fo-graph-canvas', tabindex: 0, role: 'group', 'aria-label': 'Dependency graph' });
    this.element = el('section', { class: 'fo-section fo-graph', 'aria-labelledby': 'fo-graph-title' },
      el('h2', { id: 'fo-graph-title' }, 'Dependency graph'),
      legend(),
      this.note,
      this.canvas);
    this.canvas.addEventListener('click', (ev) => {
      const tool = this.toolAt(ev.target);
      if (tool) this.callbacks.onReveal(tool);
    });
  }

  /** Re-renders when the text or theme changed; a newer call supersedes a pending one. */
  render(analysis: ViewAnalysis, theme: ThemeKind, force = false): Promise<void> {
    this.analysis = analysis;
    const key = `${theme}\u0000${analysis.mermaid}`;
    if (!force && key === this.renderedKey) {
      this.toolsByNode = new Map(analysis.tools.filter((t) => t.nodeId).map((t) => [t.nodeId as string, t]));
      return this.settled;
    }
    const gen = ++this.generation;
    this.renderedKey = key;
    this.settled = this.chain = this.chain.then(() => (gen === this.generation ? this.renderNow(analysis, theme, gen) : undefined));
    return this.settled;
  }

  private async renderNow(analysis: ViewAnalysis, theme: ThemeKind, gen: number): Promise<void> {
    this.canvas.setAttribute('aria-label', graphLabel(analysis));
    if (analysis.mermaid.trim() && !mermaidApi()) {
      this.note.textContent = 'Loading the graph renderer…';
      await mermaidLoaded();
      if (gen !== this.generation) return;
    }
    const mermaid = mermaidApi();
    if (!analysis.mermaid.trim()) {
      this.note.textContent = analysis.tools.length === 0 ? 'No graph: the plan has no tools that could be read.' : 'No graph for this plan.';
      replaceChildren(this.canvas);
      this.nodes.clear();
      return;
    }
    if (!mermaid) {
      this.note.textContent = 'The graph renderer (Mermaid) did not load.';
      this.callbacks.onError('mermaid.min.js did not load');
      return;
    }
    this.note.textContent = analysis.mermaidMode === 'summary'
      ? `Summary view: ${analysis.tools.length} tools are grouped by level (too many to draw one by one). The timeline below shows every tool.`
      : 'Rendering graph…';
    // Let the header, summary and timeline paint before Mermaid's synchronous layout work.
    await nextFrame();
    if (gen !== this.generation) return;
    const id = `fo-graph-${gen}`;
    try {
      mermaid.initialize({
        ...analysis.mermaidConfig,
        startOnLoad: false,
        securityLevel: 'strict',
        theme: theme === 'light' || theme === 'high-contrast-light' ? 'default' : 'dark',
        fontFamily: 'var(--vscode-font-family)',
      });
      const { svg } = await mermaid.render(id, analysis.mermaid);
      if (gen !== this.generation) return;
      // Mermaid output, rendered with securityLevel 'strict' from host-escaped text (see header).
      this.canvas.innerHTML = svg;
      this.indexNodes(id, analysis);
      // Small graphs fit the canvas (whole plan at a glance); big ones keep a legible size and scroll.
      this.canvas.classList.toggle('fo-graph-fit', analysis.tools.length <= FIT_MAX_TOOLS);
      if (analysis.mermaidMode !== 'summary') this.note.textContent = '';
    } catch (err) {
      if (gen !== this.generation) return;
      const message = err instanceof Error ? err.message : String(err);
      this.note.textContent = `The graph could not be drawn: ${message}`;
      replaceChildren(this.canvas);
      this.nodes.clear();
      this.callbacks.onError(`mermaid render failed: ${message}`);
    } finally {
      // A failed render leaves Mermaid's scratch element (`d<id>`) in the body.
      document.getElementById(`d${id}`)?.remove();
    }
  }

  private indexNodes(renderId: string, analysis: ViewAnalysis): void {
    this.nodes.clear();
    this.toolsByNode = new Map(analysis.tools.filter((t) => t.nodeId).map((t) => [t.nodeId as string, t]));
    const prefix = `${renderId}-flowchart-`;
    for (const g of this.canvas.querySelectorAll<SVGGElement>('g.node[id]')) {
      // Mermaid 11 names a flowchart node's group `<renderId>-flowchart-<nodeId>-<counter>`.
      if (!g.id.startsWith(prefix)) continue;
      const nodeId = g.id.slice(prefix.length).replace(/-\d+$/, '');
      const tool = this.toolsByNode.get(nodeId);
      if (!tool) continue;
      g.dataset.tool = nodeId;
      this.nodes.set(tool.id, g);
      const title = document.createElementNS(SVG_NS, 'title');
      g.insertBefore(title, g.firstChild);
      this.setStatus(tool.id, this.callbacks.statusOf(tool.id));
    }
  }

  /** Colours one node by live status (class on its <g>) and updates its tooltip. */
  setStatus(id: string, status: LiveStatus): void {
    const g = this.nodes.get(id);
    if (!g) return;
    g.classList.remove(...STATUS_CLASSES);
    g.classList.add(`fo-st-${status}`);
    const title = g.querySelector('title');
    const tool = this.analysis?.tools.find((t) => t.id === id);
    if (title) title.textContent = `${tool?.label ?? id}: ${statusText(status)}`;
  }

  setSelected(id: string | null): void {
    for (const g of this.canvas.querySelectorAll('g.fo-selected')) g.classList.remove('fo-selected');
    if (id !== null) this.nodes.get(id)?.classList.add('fo-selected');
  }

  hasNode(id: string): boolean {
    return this.nodes.has(id);
  }

  get nodeCount(): number {
    return this.nodes.size;
  }

  private toolAt(target: EventTarget | null): ViewTool | undefined {
    const g = target instanceof Element ? target.closest('g.node[data-tool]') : null;
    const nodeId = g?.getAttribute('data-tool');
    return nodeId ? this.toolsByNode.get(nodeId) : undefined;
  }
}

function graphLabel(a: ViewAnalysis): string {
  const cp = a.criticalPath.tools;
  const path = cp.length > 0 ? ` Critical path: ${cp.slice(0, 12).join(' → ')}${cp.length > 12 ? ` and ${cp.length - 12} more` : ''}.` : '';
  return `Dependency graph of ${a.tools.length} tools.${path} Click a node to reveal the tool in the editor.`;
}

function legend(): HTMLElement {
  const items: [string, string][] = [
    ['pending', 'pending'], ['queued', 'queued'], ['running', 'running'], ['retrying', 'retrying'],
    ['succeeded', 'succeeded'], ['failed', 'failed'], ['timed-out', 'timed out'], ['skipped', 'skipped'], ['cancelled', 'cancelled'],
  ];
  return el('ul', { class: 'fo-legend', 'aria-label': 'Legend' },
    el('li', { class: 'fo-legend-critical' }, el('span', { class: 'fo-swatch fo-swatch-critical', 'aria-hidden': 'true' }), 'critical path'),
    ...items.map(([status, text]) => el('li', {}, el('span', { class: `fo-swatch fo-st-${status}`, 'aria-hidden': 'true' }), text)));
}

function mermaidApi(): MermaidApi | undefined {
  return (globalThis as { mermaid?: MermaidApi }).mermaid;
}

/** mermaid.min.js is an async script (extension/planView/html.ts): the window's load event follows it. */
function mermaidLoaded(): Promise<void> {
  if (document.readyState === 'complete') return Promise.resolve();
  return new Promise((resolve) => window.addEventListener('load', () => resolve(), { once: true }));
}

function nextFrame(): Promise<void> {
  return new Promise((resolve) => {
    // requestAnimationFrame does not fire in hidden pages; the timeout keeps rendering moving there.
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

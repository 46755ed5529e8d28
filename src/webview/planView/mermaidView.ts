// The graph drawn by Mermaid, on demand (the "Mermaid" button of the graph toolbar). Fanout's own
// graph stays the default: Mermaid's render() lays out on the main thread and blocked the view for
// 200 ms (10 tools) to 1.5 s (150 tools) — docs/plan-view-graph.md. mermaid.min.js (3 MB) is not
// loaded with the page: its webview URI comes in #app's data-mermaid-src and a <script> carrying the
// page's nonce is added on first use, so the CSP stays nonce-only. The host builds the flowchart
// text with every plan label escaped (core/render/mermaid); Mermaid renders it with securityLevel
// 'strict' (DOMPurify on labels, no click handlers). That sanitised SVG is the only markup this
// webview inserts as HTML.
import type { ViewAnalysis } from '../../protocol/planView';
import { replaceChildren } from './dom';
import type { ThemeKind } from './graph';

/** Above this many tools the Mermaid button is disabled: the layout would pause the view too long. */
export const MERMAID_MAX_TOOLS = 60;

interface MermaidApi {
  initialize(config: Record<string, unknown>): void;
  render(id: string, text: string): Promise<{ svg: string }>;
}

/** Why Mermaid is not offered for this analysis, or null when it is. */
export function mermaidUnavailable(a: ViewAnalysis, scriptSrc: string | null): string | null {
  if (!scriptSrc) return 'Mermaid is not available in this view.';
  if (a.tools.length === 0 || !a.mermaid.trim()) return 'There is no graph to draw.';
  if (a.tools.length > MERMAID_MAX_TOOLS) {
    return `Mermaid is offered up to ${MERMAID_MAX_TOOLS} tools: this plan has ${a.tools.length}, and Mermaid's layout would pause the view.`;
  }
  return null;
}

/** The URI of mermaid.min.js the host put on #app (extension/planView/html.ts), or null. */
export function mermaidScriptSrc(): string | null {
  return document.getElementById('app')?.dataset.mermaidSrc || null;
}

let loading: Promise<MermaidApi> | null = null;

/** Adds the one <script nonce> for mermaid.min.js on first call; later calls share its load. */
export function loadMermaid(src: string): Promise<MermaidApi> {
  const ready = (globalThis as { mermaid?: MermaidApi }).mermaid;
  if (ready) return Promise.resolve(ready);
  if (loading) return loading;
  loading = new Promise<MermaidApi>((resolve, reject) => {
    const script = document.createElement('script');
    // The page's own nonce (read from its scripts' nonce property, which Chromium keeps after hiding
    // the attribute): the CSP's script-src allows nothing else.
    const nonce = document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce ?? '';
    script.nonce = nonce;
    script.src = src;
    script.addEventListener('load', () => {
      const api = (globalThis as { mermaid?: MermaidApi }).mermaid;
      if (api) resolve(api);
      else reject(new Error('mermaid.min.js loaded but defined no mermaid'));
    });
    script.addEventListener('error', () => reject(new Error('mermaid.min.js did not load')));
    document.head.append(script);
  });
  loading.catch(() => { loading = null; });
  return loading;
}

export class MermaidView {
  readonly element: HTMLDivElement;
  private generation = 0;
  private renderedKey = '';

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'fo-mermaid-canvas';
    this.element.setAttribute('role', 'img');
    this.element.hidden = true;
  }

  /** Renders the analysis' Mermaid text (again only when the text or theme changed). */
  async render(a: ViewAnalysis, theme: ThemeKind, src: string): Promise<void> {
    const key = `${theme}\u0000${a.mermaid}`;
    if (key === this.renderedKey) return;
    const gen = ++this.generation;
    const mermaid = await loadMermaid(src);
    if (gen !== this.generation) return;
    const id = `fo-mermaid-${gen}`;
    try {
      mermaid.initialize({
        ...a.mermaidConfig,
        startOnLoad: false,
        securityLevel: 'strict',
        theme: theme === 'light' || theme === 'high-contrast-light' ? 'default' : 'dark',
        fontFamily: 'var(--vscode-font-family)',
      });
      const { svg } = await mermaid.render(id, a.mermaid);
      if (gen !== this.generation) return;
      // Mermaid output, rendered with securityLevel 'strict' from host-escaped text (see header).
      this.element.innerHTML = svg;
      this.element.setAttribute('aria-label', `Dependency graph of ${a.tools.length} tools, drawn by Mermaid.`);
      this.renderedKey = key;
    } catch (err) {
      if (gen === this.generation) replaceChildren(this.element);
      throw err;
    } finally {
      // A failed render leaves Mermaid's scratch element (`d<id>`) in the body.
      document.getElementById(`d${id}`)?.remove();
    }
  }

  /** Forgets the drawing so the next render draws afresh, and drops a pending one. */
  reset(): void {
    this.generation++;
    this.renderedKey = '';
  }
}

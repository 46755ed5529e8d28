// DOM building without HTML strings: course text reaches the page as textContent or attribute
// values. The one exception is host-rendered Markdown, which goes through sanitize.ts.

export type Child = Node | string | number | null | undefined | false;
export type Attrs = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** Never set from here: event handlers, URL-bearing attributes and inline styles. */
const FORBIDDEN = /^(on|href$|src$|srcdoc$|action$|formaction$|xlink:href$|style$)/i;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (FORBIDDEN.test(key)) throw new Error(`el(): refusing to set ${key}`);
    if (value === undefined || value === null || value === false) continue;
    node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

export function append(node: Node, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function replaceChildren(node: Node, ...children: Child[]): void {
  while (node.firstChild) node.removeChild(node.firstChild);
  append(node, children);
}

export function button(label: Child, attrs: Attrs, onClick: (ev: MouseEvent) => void): HTMLButtonElement {
  const b = el('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

/** Text for screen readers only (the visible mark is a symbol). */
export function srOnly(text: string): HTMLSpanElement {
  return el('span', { class: 'fl-sr-only' }, text);
}

let ids = 0;
export function uid(prefix: string): string {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** Moves focus to a heading or region that is not normally focusable. */
export function focusTarget(node: HTMLElement | null | undefined): void {
  if (!node) return;
  if (!node.hasAttribute('tabindex')) node.setAttribute('tabindex', '-1');
  // Focus without the browser's own scroll (it may centre the node and push the title and tabs
  // out of view); scroll only as far as needed to show it.
  node.focus({ preventScroll: true });
  node.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
}

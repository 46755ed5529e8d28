// DOM building without HTML strings: every piece of plan text reaches the page as textContent or
// an attribute value, never as markup. (Mermaid's sanitised SVG is the one exception: graph.ts.)

export type Child = Node | string | number | null | undefined | false;
export type Attrs = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** Attribute names we never set from here: event handlers and URL-bearing attributes. */
const FORBIDDEN = /^(on|href$|src$|srcdoc$|action$|formaction$|xlink:href$|style$)/i;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

export function setAttrs(node: Element, attrs: Attrs): void {
  for (const [key, value] of Object.entries(attrs)) {
    if (FORBIDDEN.test(key)) throw new Error(`el(): refusing to set ${key}`);
    if (value === undefined || value === null || value === false) node.removeAttribute(key);
    else if (key === 'class') node.setAttribute('class', String(value));
    else node.setAttribute(key, value === true ? '' : String(value));
  }
}

export function append(node: Node, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

export function replaceChildren(node: Node, ...children: Child[]): void {
  clear(node);
  append(node, children);
}

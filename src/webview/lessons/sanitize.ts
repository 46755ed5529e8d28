// The only way course HTML enters the page. The host rendered it from Markdown with raw HTML
// disabled, so this is a second line: an allowlist rebuild that copies only known elements and
// attributes into fresh nodes. Script-like elements vanish with their content; unknown elements
// keep only their text; links keep only in-view step targets and http(s) URLs.

const KEEP = new Set(['p', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'pre', 'code', 'em', 'strong', 'a', 'blockquote',
  'table', 'thead', 'tbody', 'tr', 'th', 'td', 'hr', 'br', 's', 'del', 'sup', 'sub', 'span']);
const DROP = new Set(['script', 'style', 'iframe', 'object', 'embed', 'template', 'svg', 'math', 'noscript', 'link', 'meta', 'base', 'form', 'input', 'textarea', 'select', 'button', 'img', 'video', 'audio', 'frame', 'frameset']);
const CLASS = /^(fo|fl)-[A-Za-z0-9_-]+$|^language-[A-Za-z0-9_+-]+$/;
const STEP_ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const WEB = /^https?:\/\/[^\s]+$/i;
const SECTION = /^[a-z0-9][a-z0-9-]{0,79}$/;

export function sanitizeHtml(html: string, doc: Document = document): DocumentFragment {
  const template = doc.createElement('template');
  template.innerHTML = html; // inert: template content neither runs scripts nor loads resources
  const out = doc.createDocumentFragment();
  copyChildren(template.content, out, doc);
  return out;
}

function copyChildren(from: Node, to: Node, doc: Document): void {
  for (const child of Array.from(from.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE) {
      to.appendChild(doc.createTextNode(child.textContent ?? ''));
    } else if (child.nodeType === Node.ELEMENT_NODE) {
      const src = child as Element;
      const tag = src.tagName.toLowerCase();
      if (DROP.has(tag)) continue;
      if (!KEEP.has(tag)) {
        copyChildren(src, to, doc);
        continue;
      }
      const node = doc.createElement(tag);
      copyAttributes(src, node, tag);
      copyChildren(src, node, doc);
      to.appendChild(node);
    }
    // Comments and processing instructions are dropped.
  }
}

function copyAttributes(src: Element, node: Element, tag: string): void {
  const cls = (src.getAttribute('class') ?? '').split(/\s+/).filter((c) => CLASS.test(c));
  if (cls.length > 0) node.setAttribute('class', cls.join(' '));
  if (/^h[2-6]$/.test(tag)) {
    const section = src.getAttribute('data-section');
    if (section && SECTION.test(section)) node.setAttribute('data-section', section);
  }
  if (tag === 'ol') {
    const start = src.getAttribute('start');
    if (start && /^\d{1,6}$/.test(start)) node.setAttribute('start', start);
  }
  if (tag !== 'a') return;
  const step = src.getAttribute('data-step');
  const href = src.getAttribute('href') ?? '';
  if (step && STEP_ID.test(step)) {
    node.setAttribute('href', `#${step}`);
    node.setAttribute('data-step', step);
  } else if (src.getAttribute('data-external') === 'true' && WEB.test(href)) {
    node.setAttribute('href', href);
    node.setAttribute('data-external', 'true');
    node.setAttribute('title', `${href} (opens in your browser)`);
  }
  // Any other anchor keeps its text and no target.
}

/** A container element holding sanitised HTML. */
export function htmlBlock(tag: 'div' | 'span' | 'legend' | 'p', cls: string, html: string, doc: Document = document): HTMLElement {
  const node = doc.createElement(tag);
  node.className = cls;
  node.appendChild(sanitizeHtml(html, doc));
  return node;
}

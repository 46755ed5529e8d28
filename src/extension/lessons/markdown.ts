// Course Markdown to HTML, in the host (no vscode import: the browser tests render with this
// exact module). Rendering here rather than in the webview keeps markdown-it out of the webview
// bundle, renders the whole course once per session instead of on every panel open, and puts the
// one place that turns data into markup under plain-Node unit tests.
//
// Safety: `html: false` escapes any raw HTML in the source; links are only `step:<id>` (turned
// into in-view navigation) or http(s) (opened by the host through vscode.env.openExternal);
// anything else (javascript:, data:, file:, command:) stays literal text. Images render as their
// alt text (the CSP would block remote images anyway). Headings move down one level so the
// view's own h1/h2 stay the outline's top. Headings carry data-section="<slug>" for Learn why.
import MarkdownIt from 'markdown-it';
import { headingSlug } from '../../core/lessons/sections';

const STEP_LINK = /^step:([A-Za-z0-9][A-Za-z0-9_-]*)$/;
const WEB_LINK = /^https?:\/\/[^\s]+$/i;

export interface CourseMarkdown {
  /** Block Markdown: step bodies, explanations, briefs. */
  block(source: string): string;
  /** One paragraph's worth, without the <p>: prompts, choices, hints, flashcards. */
  inline(source: string): string;
}

export function createCourseMarkdown(): CourseMarkdown {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false });
  md.validateLink = (url: string) => STEP_LINK.test(url) || WEB_LINK.test(url);
  // markdown-it percent-encodes URLs; `step:` ids are already plain, keep them readable.
  const normalize = md.normalizeLink.bind(md);
  md.normalizeLink = (url: string) => (STEP_LINK.test(url) ? url : normalize(url));

  md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
    const t = tokens[idx];
    const href = t.attrGet('href') ?? '';
    const step = STEP_LINK.exec(href);
    t.attrs = [];
    if (step) {
      t.attrSet('href', `#${step[1]}`);
      t.attrSet('data-step', step[1]);
      t.attrSet('class', 'fo-step-link');
    } else if (WEB_LINK.test(href)) {
      t.attrSet('href', href);
      t.attrSet('data-external', 'true');
      t.attrSet('class', 'fo-external-link');
    }
    return self.renderToken(tokens, idx, options);
  };
  md.renderer.rules.image = (tokens, idx) => md.utils.escapeHtml(tokens[idx].content);
  md.renderer.rules.heading_open = (tokens, idx, options, _env, self) => {
    shiftHeading(tokens[idx]);
    // "Learn why" lands here (src/core/lessons/sections.ts): a data attribute, not an id, so
    // course text cannot clobber the page's own ids.
    const slug = headingSlug(tokens[idx + 1]?.content ?? '');
    if (slug) tokens[idx].attrSet('data-section', slug);
    return self.renderToken(tokens, idx, options);
  };
  md.renderer.rules.heading_close = (tokens, idx, options, _env, self) => {
    shiftHeading(tokens[idx]);
    return self.renderToken(tokens, idx, options);
  };
  // Table alignment comes as style="text-align:…", which the CSP (no unsafe-inline) would block:
  // carry it as a class instead.
  const cell = (tokens: { attrGet(n: string): string | null; attrs: [string, string][] | null }[], idx: number) => {
    const t = tokens[idx];
    const m = /text-align:\s*(left|right|center)/.exec(t.attrGet('style') ?? '');
    t.attrs = m ? [['class', `fo-align-${m[1]}`]] : null;
  };
  md.renderer.rules.th_open = (tokens, idx, options, _env, self) => {
    cell(tokens, idx);
    return self.renderToken(tokens, idx, options);
  };
  md.renderer.rules.td_open = (tokens, idx, options, _env, self) => {
    cell(tokens, idx);
    return self.renderToken(tokens, idx, options);
  };
  return {
    block: (source) => md.render(source),
    inline: (source) => md.renderInline(source),
  };
}

function shiftHeading(token: { tag: string }): void {
  const m = /^h([1-6])$/.exec(token.tag);
  if (m) token.tag = `h${Math.min(6, Number(m[1]) + 1)}`;
}

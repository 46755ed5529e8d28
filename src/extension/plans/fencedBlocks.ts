// Fenced code blocks in Markdown (``` or ~~~, CommonMark's rules for where a fence opens and
// closes) and selections that include their fence lines. Analyze and Run on a Markdown note use
// them to offer the blocks that hold a plan or a tool-call payload instead of reading the whole
// note as YAML (README, "In VS Code"). Pure: no 'vscode'.
import { parsePlan } from '../../core/plan/parse';
import type { TextBase } from './offsets';

export interface FencedBlock {
  /** The info string after the opening fence, e.g. `json`, `yaml` (lower-cased first word). */
  readonly lang: string;
  /** The text between the fence lines. */
  readonly text: string;
  /** Where that text starts in the document. */
  readonly base: TextBase;
  /** 1-based lines of the opening fence and of the closing one (the last line when unclosed). */
  readonly openLine: number;
  readonly closeLine: number;
}

const OPEN = /^ {0,3}(`{3,}|~{3,})([^\n]*)$/;

/** Every fenced block of a Markdown text, in order. An unclosed fence runs to the end (CommonMark). */
export function fencedBlocks(text: string): FencedBlock[] {
  const out: FencedBlock[] = [];
  const starts = lineStarts(text);
  let i = 0;
  while (i < starts.length) {
    const line = lineAt(text, starts, i);
    const m = OPEN.exec(line);
    // A backtick fence's info string cannot contain a backtick (that is inline code).
    if (!m || (m[1][0] === '`' && m[2].includes('`'))) {
      i++;
      continue;
    }
    const fence = m[1];
    const close = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`);
    let j = i + 1;
    while (j < starts.length && !close.test(lineAt(text, starts, j))) j++;
    const from = i + 1 < starts.length ? starts[i + 1] : text.length;
    const to = j < starts.length ? starts[j] : text.length;
    out.push({
      lang: (m[2].trim().split(/\s+/)[0] ?? '').toLowerCase(),
      text: text.slice(from, to),
      base: { offset: from, line: i + 2, column: 1 },
      openLine: i + 1,
      closeLine: Math.min(j, starts.length - 1) + 1,
    });
    i = j + 1;
  }
  return out;
}

/**
 * A selection with its fence lines (```json … ```, leading blank lines allowed): the text inside
 * and where it starts in the document. Anything else comes back unchanged.
 */
export function stripSelectionFences(text: string, base: TextBase): { readonly text: string; readonly base: TextBase } {
  const m = /^((?:[ \t]*\r?\n)*)( {0,3}(`{3,}|~{3,})[^\n]*\n)/.exec(text);
  if (!m) return { text, base };
  const skipped = m[1] + m[2];
  const newlines = skipped.split('\n').length - 1;
  let body = text.slice(skipped.length);
  const fence = m[3];
  const close = new RegExp(`(?:^|\\n) {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*\\s*$`);
  const c = close.exec(body);
  if (c) body = body.slice(0, c.index + (c[0].startsWith('\n') ? 1 : 0));
  return { text: body, base: { offset: base.offset + skipped.length, line: base.line + newlines, column: 1 } };
}

/** A block that reads as a plan or a tool-call payload, with what the quick pick shows of it. */
export interface PlanBlock extends FencedBlock {
  readonly planName: string;
  readonly tools: number;
  /** The detected format (`native`, `openai`, …). */
  readonly format: string;
}

/** The fenced blocks that parse as a plan or a payload (other code blocks in a note are skipped). */
export function planBlocks(text: string, defaultEstimateMs: number): PlanBlock[] {
  const out: PlanBlock[] = [];
  for (const b of fencedBlocks(text)) {
    if (b.text.trim() === '') continue;
    const parsed = parsePlan(b.text, { fileName: fileNameForLang(b.lang), defaultEstimateMs });
    if (!parsed.plan || parsed.plan.tools.length === 0) continue;
    out.push({ ...b, planName: parsed.plan.name, tools: parsed.plan.tools.length, format: parsed.plan.format });
  }
  return out;
}

/** A file name that gives the parser the block's syntax when the info string names one. */
export function fileNameForLang(lang: string): string {
  if (lang === 'json' || lang === 'jsonc' || lang === 'json5') return 'block.json';
  if (lang === 'yaml' || lang === 'yml') return 'block.yaml';
  return '';
}

/** The last line (1-based) a text starting at `base` covers. */
export function lastLine(text: string, base: TextBase): number {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  return base.line + (body.match(/\n/g)?.length ?? 0);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  if (starts.length > 1 && starts[starts.length - 1] === text.length) starts.pop();
  return starts;
}

function lineAt(text: string, starts: readonly number[], i: number): string {
  const end = i + 1 < starts.length ? starts[i + 1] - 1 : text.length;
  return text.slice(starts[i], end).replace(/\r$/, '');
}

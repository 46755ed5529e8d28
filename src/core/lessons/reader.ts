// Typed reading of one YAML document of course data, with a line and column for every complaint.
// Course files are written by hand; a misspelt key or a string where a list belongs must point
// at the exact spot, not surface later as `undefined` in the webview.
import { LineIndex } from '../plan/positions';
import { parseYamlTree, type PNode } from '../plan/tree';
import type { CourseError, SourceLocation } from './types';

export type ObjectNode = Extract<PNode, { type: 'object' }>;

export class DocReader {
  private readonly lines: LineIndex;

  /** `lineOffset`: lines before `text` in the file (YAML front matter starts after `---`). */
  constructor(readonly file: string, text: string, private readonly errors: CourseError[], private readonly lineOffset = 0) {
    this.lines = new LineIndex(text);
  }

  static parse(file: string, text: string, errors: CourseError[], lineOffset = 0): { reader: DocReader; root?: PNode } {
    const reader = new DocReader(file, text, errors, lineOffset);
    const tree = parseYamlTree(text);
    if (!tree.ok) {
      for (const e of tree.errors.slice(0, 5)) reader.error({ offset: e.offset }, `invalid YAML: ${e.message}`);
      return { reader };
    }
    return { reader, root: tree.root };
  }

  at(node: { readonly offset: number } | undefined): SourceLocation {
    const p = this.lines.position(node?.offset ?? 0);
    return { file: this.file, line: p.line + this.lineOffset, column: p.column };
  }

  error(node: { readonly offset: number } | undefined, message: string): void {
    const at = this.at(node);
    this.errors.push({ file: this.file, line: at.line, column: at.column, message });
  }

  object(node: PNode | undefined, what: string): ObjectNode | undefined {
    if (node?.type === 'object') return node;
    this.error(node, `${what} must be a mapping (key: value lines), not ${describe(node)}`);
    return undefined;
  }

  /** Complains about keys not in `known`: a typo like `anwser` must not silently drop data. */
  keys(node: ObjectNode, known: readonly string[], what: string): void {
    for (const p of node.properties) {
      if (!known.includes(p.key)) this.error({ offset: p.keyOffset }, `unknown key '${p.key}' in ${what}; expected one of: ${known.join(', ')}`);
    }
  }

  field(node: ObjectNode, key: string): PNode | undefined {
    for (let i = node.properties.length - 1; i >= 0; i--) if (node.properties[i].key === key) return node.properties[i].value;
    return undefined;
  }

  string(node: ObjectNode, key: string, what: string, required = true): string | undefined {
    const v = this.field(node, key);
    if (v === undefined) {
      if (required) this.error(node, `${what} is missing '${key}'`);
      return undefined;
    }
    if (v.type !== 'string' || v.value.trim() === '') {
      this.error(v, `'${key}' in ${what} must be a non-empty string, not ${describe(v)}`);
      return undefined;
    }
    return v.value;
  }

  integer(node: ObjectNode, key: string, what: string, required = true): number | undefined {
    const v = this.field(node, key);
    if (v === undefined) {
      if (required) this.error(node, `${what} is missing '${key}'`);
      return undefined;
    }
    if (v.type !== 'number' || !Number.isInteger(v.value)) {
      this.error(v, `'${key}' in ${what} must be a whole number, not ${describe(v)}`);
      return undefined;
    }
    return v.value;
  }

  strings(node: ObjectNode, key: string, what: string, required = true): string[] | undefined {
    const v = this.field(node, key);
    if (v === undefined) {
      if (required) this.error(node, `${what} is missing '${key}'`);
      return undefined;
    }
    if (v.type !== 'array' || v.items.some((i) => i.type !== 'string')) {
      this.error(v, `'${key}' in ${what} must be a list of strings, not ${describe(v)}`);
      return undefined;
    }
    return v.items.map((i) => (i as Extract<PNode, { type: 'string' }>).value);
  }

  list(node: ObjectNode, key: string, what: string, required = true): readonly PNode[] | undefined {
    const v = this.field(node, key);
    if (v === undefined) {
      if (required) this.error(node, `${what} is missing '${key}'`);
      return undefined;
    }
    if (v.type !== 'array') {
      this.error(v, `'${key}' in ${what} must be a list, not ${describe(v)}`);
      return undefined;
    }
    return v.items;
  }
}

export function describe(node: PNode | undefined): string {
  if (!node) return 'nothing';
  switch (node.type) {
    case 'string': return `the string "${node.value.length > 30 ? `${node.value.slice(0, 30)}…` : node.value}"`;
    case 'number': return `the number ${node.value}`;
    case 'boolean': return `${node.value}`;
    case 'null': return 'an empty value';
    case 'array': return 'a list';
    case 'object': return 'a mapping';
  }
}

/** Splits `---\nYAML\n---\nMarkdown`; null when the file has no front matter. */
export function splitFrontMatter(text: string): { yaml: string; yamlLine: number; body: string; bodyLine: number } | null {
  const m = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!m) return null;
  const yaml = m[1];
  const bodyLine = m[0].split('\n').length - (m[0].endsWith('\n') ? 1 : 0) + 1;
  return { yaml, yamlLine: 2, body: text.slice(m[0].length), bodyLine };
}

// Analysis of a selection: the core reports offsets into the selected text; the editor needs
// offsets into the whole document. Pure: no 'vscode'.
import type { Diagnostic, SourceRange, TextEdit } from '../../core/plan/types';

/** Where the selection starts in the document: UTF-16 offset and 1-based line/column. */
export interface TextBase {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export const DOCUMENT_START: TextBase = { offset: 0, line: 1, column: 1 };

export function shiftRange(r: SourceRange, base: TextBase): SourceRange {
  if (base.offset === 0 && base.line === 1 && base.column === 1) return r;
  const col = (line: number, column: number): number => (line === 1 ? column + base.column - 1 : column);
  return {
    offset: r.offset + base.offset,
    length: r.length,
    line: r.line + base.line - 1,
    column: col(r.line, r.column),
    endLine: r.endLine + base.line - 1,
    endColumn: col(r.endLine, r.endColumn),
  };
}

export function shiftEdits(edits: readonly TextEdit[], base: TextBase): TextEdit[] {
  return edits.map((e) => ({ ...e, offset: e.offset + base.offset }));
}

/** A diagnostic of the selected text, moved to where the selection sits in the document. */
export function shiftDiagnostic(d: Diagnostic, base: TextBase): Diagnostic {
  if (base.offset === 0 && base.line === 1 && base.column === 1) return d;
  const range = shiftRange(d.range, base);
  return {
    ...d,
    range,
    line: range.line,
    column: range.column,
    ...(d.fix ? { fix: { title: d.fix.title, edits: shiftEdits(d.fix.edits, base) } } : {}),
  };
}

import { START_RANGE } from '../../plan/positions';
import type { Plan, QuickFix, SourceRange, TextEdit, ToolSpec } from '../../plan/types';

/** Lists at most a few names in a message; big plans would otherwise get paragraph-long lines. */
const MAX_NAMED = 5;

export function names(ids: readonly string[], max = MAX_NAMED): string {
  const quoted = ids.slice(0, max).map((id) => `'${id}'`);
  const more = ids.length > max ? ` and ${ids.length - max} more` : '';
  if (quoted.length <= 1) return quoted.join('') + more;
  if (more) return quoted.join(', ') + more;
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/** Durations in messages, spelled as everywhere else (render/format.ts). */
export { formatMs as ms } from '../../render/format';

/** A quick fix when the edits exist (text known, layout understood), else nothing. */
export function quickFix(title: string, edits: readonly TextEdit[] | undefined): { fix?: QuickFix } {
  return edits && edits.length > 0 ? { fix: { title, edits } } : {};
}

/** A tool's field (e.g. `retries`), else its id, else the whole tool. */
export function toolRange(tool: ToolSpec, ...fields: readonly string[]): SourceRange {
  const f = tool.ranges.fields;
  for (const key of fields) {
    if (key === 'args' && tool.ranges.args) return tool.ranges.args;
    if (key === 'dependsOn' && tool.ranges.dependsOn) return tool.ranges.dependsOn;
    if (f && Object.prototype.hasOwnProperty.call(f, key)) return f[key];
  }
  return tool.ranges.id ?? tool.ranges.tool;
}

/**
 * Where plan-level diagnostics point: the `tools` key alone (a squiggle over the whole list would
 * hide the per-tool ones), else the root, else the start of the file.
 */
export function planRange(plan: Plan): SourceRange {
  const tools = plan.ranges.tools;
  if (tools) {
    const length = plan.syntax === 'json' ? 7 : 5; // `"tools"` or `tools`
    return { offset: tools.offset, length, line: tools.line, column: tools.column, endLine: tools.line, endColumn: tools.column + length };
  }
  return plan.ranges.root ?? START_RANGE;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Position of each tool in the topological order (ancestors always have smaller positions). */
export function topoPositions(order: readonly number[]): Int32Array {
  const pos = new Int32Array(order.length);
  order.forEach((v, k) => { pos[v] = k; });
  return pos;
}

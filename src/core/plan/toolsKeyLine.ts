// Where the CodeLens goes before the analysis has landed: a cheap line scan for the plan's
// top-level `tools` key (YAML `tools:` or JSON `"tools":`), so the lens appears on its final line
// at once instead of above line 1 and then jumping when the parse arrives (issue 11).

const TOOLS_KEY = /^(\s*)(?:"tools"|'tools'|tools)\s*:/;

/**
 * The 0-based line of the least-indented `tools` key (the top-level one; a nested `tools` key in a
 * tool's arguments sits deeper), or 0 when there is none.
 */
export function toolsKeyLine(text: string): number {
  let best = 0;
  let bestIndent = Number.POSITIVE_INFINITY;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = TOOLS_KEY.exec(lines[i]);
    if (m && m[1].length < bestIndent) {
      best = i;
      bestIndent = m[1].length;
    }
  }
  return best;
}

// Which documents are tool plans (analysed as you type, with CodeLens). Pure: no 'vscode'.

export const PLAN_FILE_PATTERN = /\.toolplan\.(json|ya?ml)$/i;

/** A path or URI path naming a plan file (`*.toolplan.json|yaml|yml`). */
export function isPlanFileName(path: string): boolean {
  return PLAN_FILE_PATTERN.test(path);
}

/** The plan's file name without folders or the `.toolplan.*` suffix, for titles and trace files. */
export function planBaseName(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? '';
  return base.replace(PLAN_FILE_PATTERN, '').replace(/\.(json|ya?ml|md|txt)$/i, '') || 'plan';
}

/** The default file name for a trace export next to its plan: `trip.toolplan.json` → `trip.trace.json`. */
export function traceFileName(path: string): string {
  return `${planBaseName(path)}.trace.json`;
}

/**
 * A sample path as the lessons webview sends it ("lessons/samples/x.toolplan.json"), checked so
 * that only files inside lessons/samples can be opened: the argument may come from a webview.
 */
export function sampleRelativePath(arg: string): string | undefined {
  const parts = arg.replace(/\\/g, '/').split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) return undefined;
  const rel = parts[0] === 'lessons' && parts[1] === 'samples' ? parts.slice(2) : parts[0] === 'samples' ? parts.slice(1) : parts;
  if (rel.length !== 1 || !isPlanFileName(rel[0])) return undefined;
  return `lessons/samples/${rel[0]}`;
}

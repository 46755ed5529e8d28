// Short human figures for CodeLens, notifications and the run log. Pure: no 'vscode'.
import type { Analysis } from '../../core/analysis/types';
import type { Diagnostic } from '../../core/plan/types';

// One duration and speedup spelling for the CLI, the host and the webviews (src/core/render/format.ts):
// 90 minutes is "1 h 30 min" everywhere.
import { formatMs, formatSpeedup } from '../../core/render/format';

export { formatMs, formatSpeedup };

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

export interface SeverityCounts {
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
}

export function countSeverities(diagnostics: readonly Diagnostic[]): SeverityCounts {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else if (d.severity === 'warning') warnings++;
    else infos++;
  }
  return { errors, warnings, infos };
}

export function describeCounts(c: SeverityCounts): string {
  const parts: string[] = [];
  if (c.errors) parts.push(plural(c.errors, 'error'));
  if (c.warnings) parts.push(plural(c.warnings, 'warning'));
  if (c.infos) parts.push(plural(c.infos, 'note'));
  return parts.length ? parts.join(', ') : 'no problems';
}

/** "12 tools · critical path 1.30 s · 3.1× faster than sequential" (the CodeLens summary). */
export function analysisLensText(a: Analysis): string {
  const n = plural(a.plan.tools.length, 'tool');
  if (!a.valid) {
    const c = countSeverities(a.diagnostics);
    return `${n} · ${plural(c.errors, 'error')}: see Problems`;
  }
  const parts = [n, `critical path ${formatMs(a.criticalPath.ms)}`];
  const s = a.estimate.speedup;
  if (a.plan.tools.length > 1) parts.push(s > 1.05 ? `${formatSpeedup(s)} faster than sequential` : 'no faster than sequential');
  return parts.join(' · ');
}

/** The analysis summary shown for the Analyze command (notification and log). */
export function analysisSummary(a: Analysis, source: string): string {
  const counts = describeCounts(countSeverities(a.diagnostics));
  const name = a.plan.name ? `"${a.plan.name}"` : 'Plan';
  const format = a.plan.format === 'native' ? '' : ` (${a.plan.format})`;
  if (!a.valid) return `${name}${format} in ${source}: ${plural(a.plan.tools.length, 'tool')}, cannot run: ${counts}.`;
  const e = a.estimate;
  return `${name}${format} in ${source}: ${plural(a.plan.tools.length, 'tool')} in ${plural(a.levels.length, 'level')}, ` +
    `critical path ${formatMs(a.criticalPath.ms)}, sequential ${formatMs(e.sequentialMs)}, parallel ≈ ${formatMs(e.parallelMs)} ` +
    `(${formatSpeedup(e.speedup)}); ${counts}.`;
}

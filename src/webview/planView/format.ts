// Number formatting shared by the summary, timeline and history. Durations and speedups are the
// core's (src/core/render/format.ts), so the plan view, the host and the CLI spell them alike.
import { formatMs, formatSpeedup } from '../../core/render/format';

export const fmtMs = formatMs;
export const fmtX = formatSpeedup;

export function fmtPct(x: number): string {
  return Number.isFinite(x) ? `${Math.round(x * 100)}%` : '–';
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A "nice" axis step (1, 2, 5 × 10^k) giving about `ticks` ticks over `span`. */
export function niceStep(span: number, ticks: number): number {
  if (!(span > 0)) return 1;
  const raw = span / Math.max(1, ticks);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

/** Axis end: grows in nice steps so a live run does not rescale every frame. */
export function niceCeil(x: number): number {
  if (!(x > 0)) return 1000;
  const mag = 10 ** Math.floor(Math.log10(x));
  for (const f of [1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (f * mag >= x) return f * mag;
  return 10 * mag;
}

/**
 * When a run started, as short as its row allows (the run history's one-third column cut
 * "Dec 7, 03:29:46 …"): "today 03:29:46" (runs of one session are seconds apart), "yesterday
 * 03:29", "Dec 7, 03:29" this year, "Dec 7, 2025" before. The row's tooltip has fmtFullDate.
 */
export function fmtWhen(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const day = (x: Date): number => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const days = Math.round((day(now) - day(d)) / 86_400_000);
  const hm = { hour: '2-digit', minute: '2-digit' } as const;
  if (days === 0) return `today ${d.toLocaleTimeString(undefined, { ...hm, second: '2-digit' })}`;
  if (days === 1) return `yesterday ${d.toLocaleTimeString(undefined, hm)}`;
  if (d.getFullYear() === now.getFullYear()) return d.toLocaleString(undefined, { month: 'short', day: 'numeric', ...hm });
  return d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** The whole date and time of a run (the history row's tooltip). */
export function fmtFullDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}


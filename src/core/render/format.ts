// Small number formatters shared by the renderers, so every view spells durations the same way.

/** 850 → "850 ms", 1234 → "1.23 s", 75000 → "1 min 15 s". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const a = Math.abs(ms);
  if (a < 1000) return `${roundTo(ms, a < 10 ? 1 : 0)} ms`;
  if (a < 60_000) return `${trim((ms / 1000).toFixed(a < 10_000 ? 2 : 1))} s`;
  const min = Math.floor(a / 60_000);
  const s = Math.round((a - min * 60_000) / 1000);
  return `${ms < 0 ? '-' : ''}${min} min${s ? ` ${s} s` : ''}`;
}

/** 3.0769 → "3.08×". */
export function formatSpeedup(x: number): string {
  return Number.isFinite(x) ? `${trim(x.toFixed(2))}×` : '—';
}

function roundTo(x: number, digits: number): string {
  return trim(x.toFixed(digits));
}

function trim(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

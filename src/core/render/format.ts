// Small number formatters shared by the renderers, so every view spells durations the same way.

/** 850 → "850 ms", 1234 → "1.23 s", 75000 → "1 min 15 s", 5400000 → "1 h 30 min", 2 days → "2 d". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const a = Math.abs(ms);
  if (a < 999.5) return `${roundTo(ms, a < 9.95 ? 1 : 0)} ms`;
  if (a < 59_950) return `${trim((ms / 1000).toFixed(a < 9_995 ? 2 : 1))} s`;
  const sign = ms < 0 ? '-' : '';
  // Round once, to the unit shown last, so 119.9 s is "2 min", never "1 min 60 s".
  if (a < 3_600_000 - 500) return `${sign}${pair(Math.round(a / 1000), 60, 'min', 's')}`;
  if (a < 86_400_000 - 30_000) return `${sign}${pair(Math.round(a / 60_000), 60, 'h', 'min')}`;
  const days = a / 86_400_000;
  // Nobody waits 1000 days; a figure like that is a typo, still shown readably.
  if (days >= 1000) return `${sign}${days.toExponential(2)} d`;
  return `${sign}${pair(Math.round(a / 3_600_000), 24, 'd', 'h')}`;
}

/** 135 small units of which 60 make a big one → "2 min 15 s". */
function pair(total: number, per: number, big: string, small: string): string {
  const b = Math.floor(total / per);
  const r = total - b * per;
  return `${b} ${big}${r ? ` ${r} ${small}` : ''}`;
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

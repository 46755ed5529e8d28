// What every bench section hands back: its figures as JSON, its lines of the printed table, and
// the targets it checked (issue 3 / issue 2), each with the measured value and whether it was met.

export interface Target {
  readonly section: string;
  readonly name: string;
  /** The target as stated, e.g. "≤ 1.002". */
  readonly target: string;
  readonly value: number;
  readonly unit: string;
  readonly met: boolean;
}

export interface SectionResult {
  readonly key: string;
  readonly title: string;
  readonly json: Record<string, unknown>;
  readonly lines: readonly string[];
  readonly targets: readonly Target[];
}

export interface BenchContext {
  readonly quick: boolean;
  /** Repository root (the bench's cwd-independent anchor). */
  readonly root: string;
  /** Progress lines (stderr), so --json stdout stays one object. */
  readonly progress: (line: string) => void;
}

/** A fixed-width text table: first column left-aligned, the others right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const fmt = (r: readonly string[]): string =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)];
}

export function fx(x: number, digits = 4): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

export function ms(x: number, digits = 1): string {
  return `${fx(x, digits)} ms`;
}

export function tick(met: boolean): string {
  return met ? 'met' : 'MISSED';
}

// ANSI styling for terminal output. Callers decide whether colour is on (a TTY without NO_COLOR);
// with colour off every function is the identity, so plain output stays byte-for-byte readable.

export interface Style {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly blue: (s: string) => string;
  readonly magenta: (s: string) => string;
  readonly cyan: (s: string) => string;
}

const wrap = (open: number, close: number) => (s: string): string => (s === '' ? s : `\u001b[${open}m${s}\u001b[${close}m`);
const identity = (s: string): string => s;

export function makeStyle(color: boolean): Style {
  if (!color) return { bold: identity, dim: identity, red: identity, green: identity, yellow: identity, blue: identity, magenta: identity, cyan: identity };
  return {
    bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39),
    blue: wrap(34, 39), magenta: wrap(35, 39), cyan: wrap(36, 39),
  };
}

/** Removes ANSI escapes (width measurement, tests). */
export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}

/**
 * Makes plan text safe to print on a terminal: control characters (including ESC, which could
 * rewrite the screen or the title bar) become visible escapes.
 */
export function safeText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Truncates to `width` characters (code points), ending with … when cut. */
export function truncate(s: string, width: number): string {
  const chars = [...s];
  if (chars.length <= width) return s;
  if (width <= 1) return chars.slice(0, Math.max(0, width)).join('');
  return chars.slice(0, width - 1).join('') + '…';
}

// One glyph per tool status, the same on every surface: the terminal timeline, the audit report,
// the Output log and the plan view. Each is a single-width character from blocks that system UI
// and monospace fonts cover (Dingbats, Arrows, Geometric Shapes, Mathematical Operators: DejaVu
// Sans and Sans Mono have all six), not an emoji, so it draws where no emoji font is installed
// and a terminal column stays one cell wide (docs/plan-view-graph.md, "Critical path and statuses").

/** A final tool status's glyph. */
export const FINAL_GLYPH = {
  succeeded: '✓',
  failed: '✗',
  // A clock face: a stopwatch (U+23F1) is an emoji and was an empty box without an emoji font.
  'timed-out': '◷',
  skipped: '↷',
  cancelled: '■',
  denied: '⊗',
} as const;

/** Live statuses before the end, for views that draw a run as it goes. */
export const LIVE_GLYPH = {
  pending: '○',
  queued: '◔',
  approval: '?',
  running: '▶',
  retrying: '↻',
  ...FINAL_GLYPH,
} as const;

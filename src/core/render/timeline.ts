// A terminal Gantt chart of a run: one row per tool in plan order, fitted to the terminal width.
// Queued time, running attempts, failed attempts and retry waits each get their own character,
// so a reader sees at a glance where the batch waited and where it worked.

import type { RunCaps, RunRecord, ToolRecord, ToolStatus } from '../engine/types';
import { formatMs, formatSpeedup } from './format';
import { FINAL_GLYPH } from './statusGlyphs';
import { makeStyle, safeText, truncate, type Style } from './style';

export interface TimelineOptions {
  /** Total width in columns (the terminal's). Default 100; clamped to 60…240. */
  readonly width?: number;
  readonly color?: boolean;
  /** Heading: usually the plan name. */
  readonly title?: string;
  /** 'simulated' (virtual clock) or 'run' (real): only changes the wording. */
  readonly mode?: 'simulated' | 'run';
  /** At most this many rows (the rest are counted). Default 200. */
  readonly maxRows?: number;
  /** Tool labels by id (imported calls: the function name), shown after ids that differ. */
  readonly labels?: ReadonlyMap<string, string>;
  /** A streamed turn (DESIGN §9): the model's generation gets a row of its own, marked where each call closed. */
  readonly stream?: TimelineStream;
}

/** What the timeline shows of a streamed turn (src/core/stream/run.ts StreamRunInfo). */
export interface TimelineStream {
  readonly endMs: number;
  readonly waitForEndMakespanMs: number;
  readonly policy: 'dispatch-on-close' | 'wait-for-end';
  readonly timing: 'recorded' | 'token-rate';
  readonly tokensPerSecond?: number;
  readonly unclosed?: readonly unknown[];
}

export const CELL = {
  queued: '·',
  running: '█',
  failedAttempt: '▒',
  retryWait: '╌',
  connecting: '◌',
  /** Streamed turns: arguments closed, the call waits for the stream's end (wait-for-end). */
  held: '┈',
  /** Approval lanes: the call was ready and waited for the user's answer (holding no slot). */
  approval: '?',
  empty: ' ',
} as const;

/** The model row of a streamed turn: generating, and the instants where a call's arguments closed. */
export const MODEL_CELL = { generating: '─', closed: '●' } as const;

const SYMBOL: Readonly<Record<ToolStatus, string>> = FINAL_GLYPH;

type Cell = keyof typeof CELL;
/** Which state wins a cell that several share: work beats waiting. */
const PRIORITY: Readonly<Record<Cell, number>> = { empty: 0, held: 1, queued: 1, approval: 2, retryWait: 2, failedAttempt: 3, running: 4, connecting: 5 };

interface Span {
  readonly from: number;
  readonly to: number;
  readonly cell: Cell;
}

/** The time spans of one tool: queued until its first attempt, then attempts and the waits between them. */
export function toolSpans(t: ToolRecord): Span[] {
  const spans: Span[] = [];
  const firstStart = t.attempts[0]?.startedAt ?? t.startedAt;
  // Wait-for-end: the arguments were there (readyAt) before the call was let in (queuedAt).
  if (t.readyAt !== undefined && t.queuedAt !== null && t.queuedAt > t.readyAt) spans.push({ from: t.readyAt, to: t.queuedAt, cell: 'held' });
  if (t.queuedAt !== null) {
    const queuedUntil = firstStart ?? t.endedAt;
    if (queuedUntil !== null && queuedUntil > t.queuedAt) spans.push({ from: t.queuedAt, to: queuedUntil, cell: 'queued' });
  }
  if (t.approval) {
    const until = t.approval.answeredAt ?? t.endedAt;
    if (until !== null && until >= t.approval.askedAt) spans.push({ from: t.approval.askedAt, to: until, cell: 'approval' });
  }
  t.attempts.forEach((a, i) => {
    if (i > 0) {
      const prevEnd = t.attempts[i - 1].endedAt;
      if (a.startedAt > prevEnd) spans.push({ from: prevEnd, to: a.startedAt, cell: 'retryWait' });
    }
    const last = i === t.attempts.length - 1;
    const failed = a.error !== null && (!last || t.status !== 'succeeded');
    spans.push({ from: a.startedAt, to: a.endedAt, cell: failed ? 'failedAttempt' : 'running' });
  });
  return spans;
}

/** Draws spans onto `width` cells covering [0, total] ms. A span shorter than a cell still shows. */
export function drawBar(spans: readonly Span[], total: number, width: number): string {
  const cells: Cell[] = new Array<Cell>(width).fill('empty');
  const scale = total > 0 ? width / total : 0;
  for (const s of spans) {
    if (!(s.to >= s.from)) continue;
    let a = Math.floor(s.from * scale);
    let b = Math.ceil(s.to * scale);
    a = Math.min(Math.max(a, 0), width - 1);
    b = Math.min(Math.max(b, a + 1), width);
    for (let k = a; k < b; k++) if (PRIORITY[s.cell] > PRIORITY[cells[k]]) cells[k] = s.cell;
  }
  return cells.map((c) => CELL[c]).join('');
}

function colourFor(status: ToolStatus, style: Style): (s: string) => string {
  switch (status) {
    case 'succeeded': return style.green;
    case 'failed': return style.red;
    case 'timed-out': return style.yellow;
    case 'cancelled': return style.magenta;
    case 'skipped': return style.dim;
    case 'denied': return style.yellow;
  }
}

function colourBar(bar: string, status: ToolStatus, style: Style): string {
  // Colour runs of the same character so the escape codes stay few.
  return bar.replace(/(█+)|(▒+)|(·+)|(╌+|┈+)|(◌+)|(\?+)/g, (m: string, run?: string, failed?: string, _q?: string, _w?: string, connecting?: string, approval?: string) => {
    if (run) return colourFor(status, style)(m);
    if (failed) return style.red(m);
    if (connecting) return style.cyan(m);
    if (approval) return style.yellow(m);
    return style.dim(m);
  });
}

function duration(t: ToolRecord): number | null {
  if (t.startedAt === null || t.endedAt === null) return null;
  return t.endedAt - t.startedAt;
}

function rowNote(t: ToolRecord): string {
  const parts: string[] = [];
  const d = duration(t);
  parts.push(d === null ? '—' : formatMs(d));
  if (t.attempts.length > 1) parts.push(`${t.attempts.length} attempts`);
  if (t.dedupedFrom) parts.push(`= ${t.dedupedFrom}`);
  const p = t.progress?.[t.progress.length - 1];
  if (p) parts.push(p.total !== undefined ? `progress ${p.progress}/${p.total}` : `progress ${p.progress}`);
  if (t.status !== 'succeeded') parts.push(t.status);
  return parts.join(' · ');
}

/** Tick labels under the bar: start, end and a few evenly spaced times between, never overlapping. */
export function axis(total: number, barWidth: number, indent: number): string {
  const ticks = Math.max(1, Math.min(5, Math.floor(barWidth / 16)));
  const placed: { pos: number; label: string }[] = [];
  const end = formatMs(total);
  const endPos = Math.max(0, barWidth - end.length);
  for (let k = 0; k < ticks; k++) {
    const label = formatMs((total * k) / ticks);
    const pos = Math.round((barWidth * k) / ticks);
    const prev = placed[placed.length - 1];
    // At least two spaces between labels: they contain single spaces themselves ("1 min 5 s").
    if (prev && pos < prev.pos + prev.label.length + 2) continue;
    if (pos + label.length + 2 > endPos) continue;
    placed.push({ pos, label });
  }
  placed.push({ pos: endPos, label: end });
  let line = '';
  for (const { pos, label } of placed) line += ' '.repeat(Math.max(pos - line.length, line.length ? 1 : 0)) + label;
  return ' '.repeat(indent) + line;
}

/** The full timeline: heading, one row per tool, axis, legend and the run's figures. */
export function renderTimeline(record: RunRecord, options: TimelineOptions = {}): string {
  const style = makeStyle(options.color ?? false);
  const width = Math.min(240, Math.max(60, Math.floor(options.width ?? 100)));
  const tools = record.tools;
  const total = tools.reduce((m, t) => Math.max(m, t.endedAt ?? 0), Math.max(0, record.makespanMs, options.stream?.endMs ?? 0));
  const shown = tools.slice(0, options.maxRows ?? 200);
  const rowName = (t: ToolRecord): string => {
    const label = options.labels?.get(t.id);
    return safeText(label !== undefined && label !== t.id ? `${t.id} ${label}` : t.id);
  };
  const nameWidth = Math.min(28, shown.reduce((m, t) => Math.max(m, [...rowName(t)].length), options.stream ? 5 : 4));
  const modelNote = options.stream ? modelRowNote(options.stream, tools) : '';
  const noteWidth = Math.min(32, shown.reduce((m, t) => Math.max(m, [...rowNote(t)].length), Math.max(6, modelNote.length)));
  // "✓ " + name + " │" + bar + "│ " + note
  const barWidth = Math.max(20, width - (2 + nameWidth + 2 + 2 + noteWidth));
  const out: string[] = [];

  const verb = options.mode === 'simulated' ? 'simulated' : 'run';
  const statusText = record.status === 'succeeded' ? style.green(record.status) : record.status === 'failed' ? style.red(record.status) : style.magenta(record.status);
  const title = options.title ? `${style.bold(safeText(options.title))} — ` : '';
  out.push(`${title}${verb} ${statusText} in ${formatMs(record.makespanMs)}`);
  const byStatus = new Map<ToolStatus, number>();
  for (const t of tools) byStatus.set(t.status, (byStatus.get(t.status) ?? 0) + 1);
  out.push(style.dim(`${tools.length} tools: ${[...byStatus].map(([s, n]) => `${n} ${s}`).join(', ')}`));
  out.push('');

  if (options.stream) out.push(modelRow(options.stream, tools, total, modelNote, { nameWidth, noteWidth, barWidth }, style));
  for (const t of shown) {
    const colour = colourFor(t.status, style);
    const name = truncate(rowName(t), nameWidth).padEnd(nameWidth);
    // The MCP connection this call opened (and waited for) shows inside its attempt.
    const connects = (record.connections ?? []).filter((c) => c.id === t.id).map((c): Span => ({ from: c.startedAt, to: c.endedAt, cell: 'connecting' }));
    const bar = drawBar(connects.length ? [...toolSpans(t), ...connects] : toolSpans(t), total, barWidth);
    out.push(`${colour(SYMBOL[t.status])} ${name} │${colourBar(bar, t.status, style)}│ ${style.dim(truncate(rowNote(t), noteWidth))}`);
  }
  if (tools.length > shown.length) out.push(style.dim(`  … ${tools.length - shown.length} more tools (see --json or --trace)`));
  out.push(axis(total, barWidth, 2 + nameWidth + 2));
  const connections = record.connections ?? [];
  const connectLegend = connections.some((c) => c.id !== undefined) ? `  ${CELL.connecting} connecting to an MCP server` : '';
  const approvalLegend = tools.some((t) => t.approval) ? `  ${CELL.approval} waiting for approval` : '';
  const deniedLegend = tools.some((t) => t.status === 'denied') ? ` ${SYMBOL.denied} denied` : '';
  const streamLegend = options.stream ? `  ${MODEL_CELL.generating} model generating ${MODEL_CELL.closed} a call's arguments closed${options.stream.policy === 'wait-for-end' ? `  ${CELL.held} waiting for the stream's end` : ''}` : '';
  out.push(style.dim(`legend: ${CELL.running} running  ${CELL.failedAttempt} failed attempt  ${CELL.retryWait} retry wait  ${CELL.queued} queued${approvalLegend}${connectLegend}${streamLegend}   ${(['succeeded', 'failed', 'timed-out', 'skipped', 'cancelled'] as const).map((s) => `${SYMBOL[s]} ${s === 'timed-out' ? 'timed out' : s}`).join(' ')}${deniedLegend}`));
  if (connections.length > 0) {
    const shownC = connections.slice(0, 10).map((c) => `${safeText(c.server)} (${c.transport}) ${formatMs(c.endedAt - c.startedAt)}${c.id === undefined ? ' before the run' : ` by ${safeText(c.id)}`}${c.error ? ' — failed' : ''}`);
    out.push(style.dim(`MCP connections: ${shownC.join(', ')}${connections.length > 10 ? ` … ${connections.length - 10} more` : ''}`));
  }
  out.push('');
  const speedup = record.makespanMs > 0 && record.sequentialMs > 0 ? record.sequentialMs / record.makespanMs : 1;
  out.push(`${style.bold('sequential')} ${formatMs(record.sequentialMs)} · ${style.bold('makespan')} ${formatMs(record.makespanMs)} · ` +
    `${style.bold('critical path')} ${formatMs(record.criticalPathMs)} (lower bound ${formatMs(record.lowerBoundMs)}) · ` +
    `${style.bold('speedup')} ${formatSpeedup(Math.round(speedup * 100) / 100)} · ${style.bold('max concurrency')} ${record.maxObservedConcurrency}`);
  if (record.caps) out.push(`${style.bold('caps')} ${describeCaps(record.caps)}`);
  if (options.stream) out.push(streamSummary(options.stream, record.makespanMs, style));
  const failures = tools.filter((t) => t.status !== 'succeeded' && t.error);
  for (const t of failures.slice(0, 10)) out.push(`${colourFor(t.status, style)(SYMBOL[t.status])} ${safeText(t.id)}: ${safeText(truncate(t.error ?? '', 300))}`);
  if (failures.length > 10) out.push(style.dim(`… ${failures.length - 10} more failures`));
  return out.join('\n') + '\n';
}

/**
 * What bounded a run (RunRecord.caps), in one line: "at most 4 at once · api ≤ 8, adaptive down
 * to 2 · db ≤ 3". The first 12 limits are named, the rest counted.
 */
export function describeCaps(caps: RunCaps): string {
  const global = caps.maxConcurrency === null ? 'no global cap' : `at most ${caps.maxConcurrency} at once`;
  const entries = Object.entries(caps.limits);
  const named = entries.slice(0, 12).map(([resource, l]) => {
    const name = safeText(truncate(resource, 40));
    return typeof l === 'number' ? `${name} ≤ ${l}` : `${name} ≤ ${l.max}, adaptive down to ${l.min}`;
  });
  const more = entries.length > 12 ? [`${entries.length - 12} more limits`] : [];
  return [global, ...named, ...more].join(' · ');
}

/** The model's generation as a row: from the first event to the stream's end, a mark per closed call. */
function modelRowNote(stream: TimelineStream, tools: readonly ToolRecord[]): string {
  const closed = tools.filter((t) => t.readyAt !== undefined).length;
  const cut = stream.unclosed?.length ?? 0;
  return `${formatMs(stream.endMs)} · ${closed} call${closed === 1 ? '' : 's'} closed${cut ? ` · ${cut} cut off` : ''}`;
}

function modelRow(stream: TimelineStream, tools: readonly ToolRecord[], total: number, note: string, w: { nameWidth: number; noteWidth: number; barWidth: number }, style: Style): string {
  const scale = total > 0 ? w.barWidth / total : 0;
  const cells = new Array<string>(w.barWidth).fill(CELL.empty);
  const endCell = Math.min(w.barWidth, Math.max(1, Math.ceil(stream.endMs * scale)));
  for (let k = 0; k < endCell; k++) cells[k] = MODEL_CELL.generating;
  for (const t of tools) {
    if (t.readyAt === undefined) continue;
    cells[Math.min(w.barWidth - 1, Math.max(0, Math.floor(t.readyAt * scale)))] = MODEL_CELL.closed;
  }
  const bar = cells.join('').replace(/(─+)|(●+)/g, (m: string, gen?: string) => (gen ? style.cyan(m) : style.bold(m)));
  return `${style.cyan('»')} ${'model'.padEnd(w.nameWidth)} │${bar}│ ${style.dim(truncate(note, w.noteWidth))}`;
}

/** One line: when the stream ended, how it was timed, and the policy against the other one. */
function streamSummary(stream: TimelineStream, makespanMs: number, style: Style): string {
  const timing = stream.timing === 'recorded' ? 'recorded times' : `replayed at ${stream.tokensPerSecond ?? '?'} tokens/s`;
  const head = `${style.bold('stream')} ended at ${formatMs(stream.endMs)} (${timing})`;
  if (stream.policy === 'wait-for-end') return `${head} · ${style.bold('wait-for-end')}: nothing started before the end`;
  const ratio = makespanMs > 0 ? stream.waitForEndMakespanMs / makespanMs : 1;
  const gain = ratio > 1.005 ? `${formatSpeedup(Math.round(ratio * 100) / 100)} longer` : 'no gain';
  return `${head} · ${style.bold('dispatch-on-close')} ${formatMs(makespanMs)} · ${style.bold('wait-for-end')} would take ${formatMs(stream.waitForEndMakespanMs)} (${gain})`;
}

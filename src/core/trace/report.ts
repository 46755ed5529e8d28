// The readable `fanout audit` report: what happened (model turns and tool calls on one time
// axis), the same work as Fanout would schedule it, the findings with their lessons, and the
// counterfactual broken down by cause. Pure: a string from an AuditResult.
import { formatMs, formatSpeedup } from '../render/format';
import { FINAL_GLYPH } from '../render/statusGlyphs';
import { formatDiagnostic } from '../render/report';
import { makeStyle, safeText, truncate, type Style } from '../render/style';
import { axis } from '../render/timeline';
import type { AuditResult } from './audit';
import type { CallStatus } from './turns';
import { maxOf } from './values';

export interface AuditReportOptions {
  readonly width?: number;
  readonly color?: boolean;
  /** One row per tool call up to this many calls; beyond, calls share lanes. Default 40. */
  readonly maxRows?: number;
}

const SYMBOL: Readonly<Record<CallStatus, string>> = { succeeded: FINAL_GLYPH.succeeded, failed: FINAL_GLYPH.failed, 'timed-out': FINAL_GLYPH['timed-out'], cancelled: FINAL_GLYPH.cancelled, unfinished: '…' };
const MODEL = '▓';
const TOOL = '█';

interface Bar {
  readonly from: number;
  readonly to: number;
  readonly ch: string;
}

function draw(bars: readonly Bar[], total: number, width: number): string {
  const cells = new Array<string>(width).fill(' ');
  const scale = total > 0 ? width / total : 0;
  for (const b of bars) {
    if (!(b.to >= b.from)) continue;
    const a = Math.min(Math.max(Math.floor(b.from * scale), 0), width - 1);
    const e = Math.min(Math.max(Math.ceil(b.to * scale), a + 1), width);
    for (let k = a; k < e; k++) cells[k] = b.ch;
  }
  return cells.join('');
}

function colourOf(s: CallStatus, style: Style): (t: string) => string {
  return s === 'succeeded' ? style.green : s === 'cancelled' ? style.magenta : s === 'unfinished' ? style.yellow : s === 'timed-out' ? style.yellow : style.red;
}

export function renderAuditReport(file: string, a: AuditResult, options: AuditReportOptions = {}): string {
  const style = makeStyle(options.color ?? false);
  const width = Math.min(240, Math.max(60, Math.floor(options.width ?? 100)));
  const { rebuilt: r, counterfactual: cf } = a;
  const out: string[] = [];
  const total = Math.max(cf.actualMs, 1e-9);
  const speed = cf.counterfactualMs > 0 ? cf.actualMs / cf.counterfactualMs : 1;
  out.push(`${style.bold('Trace audit')} ${style.dim(`— ${safeText(file)} (${r.format})`)}`);
  const realTurns = r.synthetic ? 0 : r.turns.length;
  out.push(`${realTurns} turn${realTurns === 1 ? '' : 's'} · ${r.tools.length} tool call${r.tools.length === 1 ? '' : 's'} · ${r.contentCaptured ? 'content captured' : 'timing only (no captured content)'} · actual ${style.bold(formatMs(cf.actualMs))} → with Fanout ${style.bold(formatMs(cf.counterfactualMs))} (${formatSpeedup(Math.round(speed * 100) / 100)})`);

  const maxRows = options.maxRows ?? 40;
  const perCall = r.tools.length <= maxRows;
  const label = (i: number): string => {
    const t = r.tools[i];
    return safeText(`${t.turn >= 0 && !r.synthetic ? `${t.turn + 1}·` : ''}${t.name}`);
  };
  const lanes = [...new Set(r.turns.map((t) => t.lane))];
  const laneName = (l: string): string => (lanes.length === 1 ? 'model' : `model ${lanes.indexOf(l) + 1}`);
  const names = [...lanes.map(laneName), ...(perCall ? r.tools.map((t) => label(t.index)) : ['tools 00'])];
  const nameWidth = Math.min(28, names.reduce((m, s) => Math.max(m, [...s].length), 6));
  const noteWidth = 12;
  const barWidth = Math.max(20, width - (2 + nameWidth + 2 + 2 + noteWidth));

  const section = (title: string, turnAt: (k: number) => { startedAt: number; endedAt: number } | null, toolAt: (i: number) => { startedAt: number; endedAt: number }, end: number): void => {
    out.push('', style.bold(title));
    if (!r.synthetic) {
      for (const l of lanes) {
        const bars: Bar[] = [];
        let n = 0;
        for (const t of r.turns) {
          if (t.lane !== l) continue;
          const p = turnAt(t.index);
          if (!p) continue;
          n++;
          bars.push({ from: p.startedAt, to: p.endedAt, ch: MODEL });
        }
        out.push(`  ${truncate(laneName(l), nameWidth).padEnd(nameWidth)} │${style.cyan(draw(bars, total, barWidth))}│ ${style.dim(`${n} turn${n === 1 ? '' : 's'}`)}`);
      }
    }
    if (perCall) {
      for (const t of r.tools) {
        const p = toolAt(t.index);
        const bar = draw([{ from: p.startedAt, to: p.endedAt, ch: TOOL }], total, barWidth);
        const c = colourOf(t.status, style);
        out.push(`${c(SYMBOL[t.status])} ${truncate(label(t.index), nameWidth).padEnd(nameWidth)} │${c(bar)}│ ${style.dim(formatMs(p.endedAt - p.startedAt))}`);
      }
    } else {
      const spans = r.tools.map((t) => {
        const p = toolAt(t.index);
        return { from: p.startedAt, to: p.endedAt };
      });
      const lane = assignLanesCapped(spans, 12);
      const rows = Math.max(0, maxOf(lane)) + 1;
      for (let k = 0; k < rows; k++) {
        const bars = spans.filter((_, i) => lane[i] === k).map((s) => ({ ...s, ch: TOOL }));
        out.push(`  ${`tools ${k + 1}`.padEnd(nameWidth)} │${style.green(draw(bars, total, barWidth))}│ ${style.dim(`${bars.length} calls`)}`);
      }
    }
    out.push(axis(total, barWidth, 2 + nameWidth + 2));
    out.push(style.dim(`  ends at ${formatMs(end)}`));
  };
  section('What happened', (k) => r.turns[k], (i) => r.tools[i], cf.actualMs);
  section('Scheduled by Fanout (same durations, only the dependencies the trace supports)', (k) => cf.turns[k], (i) => cf.tools[i], cf.counterfactualMs);
  out.push(style.dim(`legend: ${MODEL} model turn  ${TOOL} tool call   ${FINAL_GLYPH.succeeded} succeeded ${FINAL_GLYPH.failed} failed ${FINAL_GLYPH['timed-out']} timed out ${FINAL_GLYPH.cancelled} cancelled … never ended${perCall ? '   N·name = emitted by turn N' : ''}`));

  out.push('');
  const ds = a.diagnostics;
  if (ds.length === 0) out.push(style.green('No findings: the calls of each turn overlapped and nothing was asked for late.'));
  else {
    out.push(`${style.bold('Findings')} ${style.dim(`(${ds.length})`)}`);
    for (const d of ds.slice(0, 100)) out.push(formatDiagnostic(file, d, style));
    if (ds.length > 100) out.push(style.dim(`… ${ds.length - 100} more (see --json)`));
  }
  out.push('');
  const s = cf.savings;
  const parts = [`serialized batches −${formatMs(s.serializedBatchMs)}`];
  if (r.contentCaptured) parts.push(`missed parallelism −${formatMs(s.missedParallelismMs)}${s.turnsRemoved > 0 ? ` (${s.turnsRemoved} turn${s.turnsRemoved === 1 ? '' : 's'} fewer)` : ''}`);
  else parts.push('missed parallelism not assessed (no captured content)');
  out.push(`${style.bold('Counterfactual')}  actual ${formatMs(cf.actualMs)} → ${formatMs(cf.counterfactualMs)}: ${parts.join(' · ')}`);
  if (r.notes.length > 0) {
    out.push('', style.bold('Notes'));
    for (const n of r.notes) out.push(`  - ${safeText(n)}`);
  }
  return out.join('\n') + '\n';
}

/**
 * Lanes for the compact view: greedy by start, at most `max` lanes (calls that find none free are
 * drawn on the last one), so 100k overlapping calls cost 100k × max steps, not a lane each.
 */
function assignLanesCapped(spans: readonly { from: number; to: number }[], max: number): number[] {
  const order = spans.map((_, i) => i).sort((a, b) => spans[a].from - spans[b].from || a - b);
  const ends: number[] = [];
  const lane = new Array<number>(spans.length).fill(0);
  for (const i of order) {
    let k = ends.findIndex((e) => e <= spans[i].from);
    if (k < 0) k = ends.length < max ? ends.length : max - 1;
    ends[k] = Math.max(ends[k] ?? -Infinity, spans[i].to);
    lane[i] = k;
  }
  return lane;
}

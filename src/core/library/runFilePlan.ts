// A run file as the plan view shows it (README "Run records": VS Code's *Open Run Record*): a
// plan with one `simulate` tool per recorded call, lasting what the call took, and the record
// with the same tool ids. A record of runToolCalls names its tools call0, call1…; the view names
// them after their function instead (get_weather, get_weather_2…), so its rows read as the calls.
import type { RunRecord } from '../engine/types';
import type { RunFile } from './runFile';
import { describeCaps } from '../render/timeline';

export interface RunFilePlan {
  /** A native plan (JSON text) of the recorded calls. */
  readonly planText: string;
  /** The record, its tool ids those of the plan. */
  readonly record: RunRecord;
}

const PLAN_ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** The plan and record of a checked run file (readRunFile). `fallbackName` names an unnamed run. */
export function runFilePlan(run: RunFile, fallbackName: string): RunFilePlan {
  const taken = new Set<string>();
  const ids = run.tools.map((t) => {
    const base = idFrom(t.label ?? t.id);
    let id = base;
    for (let k = 2; taken.has(id); k++) id = `${base}_${k}`;
    taken.add(id);
    return id;
  });
  const tools = run.tools.map((t, i) => {
    const ran = t.startedAt !== null && t.endedAt !== null ? Math.max(0, t.endedAt - t.startedAt) : 0;
    const about = [t.label !== undefined && t.label !== ids[i] ? t.label : undefined, t.callId !== undefined ? `call ${t.callId}` : undefined, t.id !== ids[i] ? `recorded as ${t.id}` : undefined]
      .filter((x): x is string => x !== undefined);
    return {
      id: ids[i],
      kind: 'simulate',
      // What the call took, so the plan view's prediction of the same calls is comparable.
      args: { durationMs: Math.round(ran * 10) / 10 },
      ...(about.length > 0 ? { description: about.join(' · ') } : {}),
    };
  });
  const name = run.name ?? fallbackName;
  // The caps the run ran under (RunRecord.caps): the global one becomes the plan's, so the view's
  // prediction has the same slots; all of them are stated in the description.
  const caps = run.caps;
  const capped = caps ? {
    ...(caps.maxConcurrency !== null ? { maxConcurrency: caps.maxConcurrency } : {}),
    description: `Ran under: ${describeCaps(caps)}`,
  } : {};
  const planText = `${JSON.stringify({ name: `${name} (recorded${run.recordedAt ? ` ${run.recordedAt}` : ''})`, ...capped, tools }, null, 2)}\n`;
  const record: RunRecord = { ...run, tools: run.tools.map((t, i) => ({ ...t, id: ids[i]! })) };
  return { planText, record };
}

/** A plan id from a function name: other characters become `_`, a leading digit gets one. */
function idFrom(name: string): string {
  if (PLAN_ID.test(name)) return name;
  const cleaned = name.replace(/[^A-Za-z0-9_-]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

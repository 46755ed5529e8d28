// Hand-made run records for renderer tests (times in ms from the run start).
import type { RunRecord, ToolRecord } from '../../../src/core/engine/types';

export function tool(id: string, init: Partial<ToolRecord> & { readonly span?: readonly [number, number, number] }): ToolRecord {
  const [q, s, e] = init.span ?? [0, 0, 0];
  return {
    id, status: 'succeeded', queuedAt: q, startedAt: s, endedAt: e,
    attempts: init.span ? [{ startedAt: s, endedAt: e, error: null }] : [], output: null, error: null, ...init,
  };
}

/** a 0–400, b queued 0–400 then 400–1000, c retried (0–200 fails, wait 200–300, 300–600), d failed, e skipped. */
export const SAMPLE: RunRecord = {
  status: 'failed', makespanMs: 1000, sequentialMs: 1900, criticalPathMs: 1000, lowerBoundMs: 1000, maxObservedConcurrency: 2,
  tools: [
    tool('a', { span: [0, 0, 400] }),
    tool('b', { span: [0, 400, 1000] }),
    tool('c', {
      queuedAt: 0, startedAt: 0, endedAt: 600,
      attempts: [{ startedAt: 0, endedAt: 200, error: 'flaky' }, { startedAt: 300, endedAt: 600, error: null }],
    }),
    tool('d', { status: 'failed', span: [600, 600, 700], error: 'boom', attempts: [{ startedAt: 600, endedAt: 700, error: 'boom' }] }),
    tool('e', { status: 'skipped', queuedAt: null, startedAt: null, endedAt: 700, error: "dependency 'd' failed" }),
  ],
};

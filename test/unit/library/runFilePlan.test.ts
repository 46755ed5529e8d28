import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { readRunFile } from '../../../src/core/library/runFile';
import { runFilePlan } from '../../../src/core/library/runFilePlan';
import { parsePlan } from '../../../src/core/plan/parse';

describe('library: a run file as the plan view shows it', () => {
  it('one simulate tool per call, named after its function and unique, lasting what the call took; the record follows the ids', () => {
    const read = readRunFile(readFileSync('test/vscode/fixtures/trip-turn.fanoutrun.json', 'utf8'));
    assert.ok(read.ok);
    const { planText, record } = runFilePlan(read.run, 'trip-turn');
    const parsed = parsePlan(planText, { fileName: 'x.json' });
    assert.ok(parsed.plan, JSON.stringify(parsed.diagnostics));
    assert.deepEqual(parsed.plan.tools.map((t) => [t.id, t.kind]), [['get_weather', 'simulate'], ['get_weather_2', 'simulate'], ['search_flights', 'simulate'], ['book_hotel', 'simulate']]);
    assert.deepEqual(record.tools.map((t) => [t.id, t.status]), [['get_weather', 'succeeded'], ['get_weather_2', 'succeeded'], ['search_flights', 'succeeded'], ['book_hotel', 'failed']]);
    const t = read.run.tools[2]!;
    assert.equal(parsed.plan.tools[2]!.args.durationMs, Math.round((t.endedAt! - t.startedAt!) * 10) / 10);
    assert.match(parsed.plan.name, /^trip agent, turn 3 \(recorded 2026-/);
  });

  it('a plain run --json record keeps its ids; odd labels become plan ids; a call that never started lasts 0', () => {
    const tool = (id: string, extra: object = {}) => ({ id, status: 'skipped', queuedAt: null, startedAt: null, endedAt: null, attempts: [], output: null, error: null, ...extra });
    const run = { status: 'failed' as const, makespanMs: 0, sequentialMs: 0, criticalPathMs: 0, lowerBoundMs: 0, maxObservedConcurrency: 0, tools: [tool('fetch'), tool('call1', { label: '9 lives!' }), tool('call2', { label: '9 lives!' })] };
    const { planText, record } = runFilePlan(run as never, 'plain');
    const parsed = parsePlan(planText, { fileName: 'x.json' });
    assert.ok(parsed.plan, JSON.stringify(parsed.diagnostics));
    assert.deepEqual(record.tools.map((t) => t.id), ['fetch', '_9_lives_', '_9_lives__2']);
    assert.deepEqual(parsed.plan.tools.map((t) => t.args.durationMs), [0, 0, 0]);
    assert.equal(parsed.plan.name, 'plain (recorded)');
  });

  it('a record with caps: the plan view plan has its global cap and states every cap in its description (Open Run Record)', () => {
    const tool = { id: 'a', status: 'succeeded', queuedAt: 0, startedAt: 0, endedAt: 5, attempts: [], output: null, error: null };
    const run = { status: 'succeeded' as const, makespanMs: 5, sequentialMs: 5, criticalPathMs: 5, lowerBoundMs: 5, maxObservedConcurrency: 1,
      caps: { maxConcurrency: 4, limits: { api: { max: 8, adaptive: true as const, min: 2 }, db: 3 } }, tools: [tool] };
    const parsed = JSON.parse(runFilePlan(run as never, 'capped').planText) as { maxConcurrency?: number; description?: string };
    assert.equal(parsed.maxConcurrency, 4);
    assert.equal(parsed.description, 'Ran under: at most 4 at once · api ≤ 8, adaptive down to 2 · db ≤ 3');
    const plan = parsePlan(runFilePlan(run as never, 'capped').planText, { fileName: 'x.json' }).plan!;
    assert.equal(plan.maxConcurrency, 4);
    const none = JSON.parse(runFilePlan({ ...run, caps: { maxConcurrency: null, limits: {} } } as never, 'free').planText) as { maxConcurrency?: number; description?: string };
    assert.equal(none.maxConcurrency, undefined);
    assert.equal(none.description, 'Ran under: no global cap');
  });
});

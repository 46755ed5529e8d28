// Traces taken from public projects' specifications (test/fixtures/traces/README.md names each
// source; each file's `_source` key says what was kept verbatim and what was added here).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditJson, auditTrace } from '../../../src/core/trace/audit';

const FIX = join(__dirname, '..', '..', 'fixtures', 'traces');
const load = (f: string) => auditJson(f, auditTrace(readFileSync(join(FIX, f), 'utf8')));

describe('trace audit: traces from public specifications', () => {
  it('OpenTelemetry semconv "Tool calls (functions)": two chat turns (the second without gen_ai.operation.name), the call matched by its id, nothing to report', () => {
    const a = load('otel-semconv-tool-call.otlp.json');
    assert.equal(a.format, 'otlp');
    // The page's second chat span has gen_ai.provider.name and gen_ai.request.model but no
    // operation name: it is still a model turn (read as one, there would be a single turn).
    assert.deepEqual(a.turns.map((t) => [t.id, t.calls, t.model]), [['00f067aa0ba902b7', [0], 'gpt-4-0613'], ['00f067aa0ba902b9', [], 'gpt-4-0613']]);
    assert.deepEqual(a.tools.map((t) => [t.id, t.name, t.turn, t.matchedBy, t.status]), [['call_VSPygqKTWdrhaFErNvMV18Yl', 'get_weather', 0, 'call-id', 'succeeded']]);
    assert.deepEqual(a.diagnostics, []);
    assert.equal(a.actualMs, 2430);
    assert.equal(a.counterfactualMs, 2430);
    // The page's execute_tool span carries no arguments or result: timing evidence only, said so.
    assert.equal(a.contentCaptured, false);
    assert.ok(a.notes.some((n) => /only timing evidence was used/.test(n)), a.notes.join(' | '));
  });

  it('OpenInference spec "Multiple Tool Calls": both get_weather calls of the one turn, matched by tool_call.id, ran one after another (serialized-batch, 610 ms)', () => {
    const a = load('openinference-spec-multiple-tool-calls.otlp.json');
    assert.equal(a.format, 'openinference');
    assert.deepEqual(a.turns.map((t) => t.calls), [[0, 1], []]);
    assert.deepEqual(a.tools.map((t) => [t.id, t.turn, t.matchedBy, t.startedAt, t.endedAt]), [['call_001', 0, 'call-id', 920, 1520], ['call_002', 0, 'call-id', 1530, 2130]]);
    assert.deepEqual(a.diagnostics.map((d) => [d.code, d.line, d.column, d.costMs, d.lesson]), [['serialized-batch', 128, 25, 610, 'sequential-baseline']]);
    assert.equal(a.actualMs, 2950);
    assert.equal(a.counterfactualMs, 2340);
    assert.equal(a.contentCaptured, true);
  });
});

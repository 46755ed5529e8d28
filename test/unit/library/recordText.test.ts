import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runToolCalls, type ToolCall } from '../../../src/core/index';
import { recordPrelude, recordText } from '../../../src/core/library/recordText';
import type { RunRecord } from '../../../src/core/engine/types';

// recordText.ts writes the record in two parts (head and call fields while the calls run, the
// engine's record at the end) and must give the very text one whole-record stringify gives, which
// is what record files held before: readers, diffs and `fanout show` see no change.
function wholeStringify(name: string, recordedAt: string, record: RunRecord, calls: readonly ToolCall[]): string {
  return JSON.stringify({
    fanoutRun: 1, name, recordedAt, ...record,
    tools: record.tools.map((t, i) => ({ ...t, label: calls[i]!.name, callId: calls[i]!.id, args: calls[i]!.args })),
  }, null, 2) + '\n';
}

describe('library: the record text, written in two parts', function () {
  this.timeout(30_000);
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fanout-recordtext-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is byte for byte the whole-record stringify, for every status, nested arguments and outputs, dedupe and approval', async () => {
    const calls: ToolCall[] = [
      { id: 'a', name: 'ok', args: { city: 'Zürich "centre"\n', deep: { list: [1, { x: [] }], empty: {} } } },
      { id: 'b', name: 'boom', args: {} },
      { id: 'c', name: 'missing', args: { n: 1 } },
      { id: 'd', name: 'ok', args: { city: 'Zürich "centre"\n', deep: { list: [1, { x: [] }], empty: {} } } },
      { id: 'e', name: 'slow', args: { k: [null, true, 1.5e-7] } },
      { id: 'f', name: 'refused', args: { x: 'y' } },
      { id: 'g', name: 'ok', args: undefined as unknown as ToolCall['args'] },
    ];
    const handlers = {
      ok: async (a: unknown) => ({ echo: a ?? null, nested: [[], {}, [{ s: 'é\t' }]] }),
      boom: async () => { throw new Error('it broke\non two lines'); },
      slow: (_: unknown, { signal }: { signal: AbortSignal }) => new Promise((_r, rej) => signal.addEventListener('abort', () => rej(signal.reason))),
      refused: async () => 'never',
    };
    const path = join(dir, 'r.fanoutrun.json');
    const batch = await runToolCalls(calls, handlers, { recordFile: path, name: 'two "parts"', dedupe: true, timeoutMs: 50, approve: (c) => c.name !== 'refused' });
    assert.equal((await batch.recorded)?.ok, true);
    const text = readFileSync(path, 'utf8');
    // The engine's record back from the file: the file's own fields taken off again.
    const { fanoutRun: _v, name, recordedAt, ...rest } = JSON.parse(text) as Record<string, unknown> & { name: string; recordedAt: string; tools: Record<string, unknown>[] };
    const record = { ...rest, tools: rest.tools.map(({ label: _l, callId: _c, args: _a, ...t }) => t) } as unknown as RunRecord;
    assert.deepEqual(new Set(record.tools.map((t) => t.status)), new Set(['succeeded', 'failed', 'timed-out', 'denied']));
    assert.equal(text, wholeStringify(name, recordedAt, record, calls));
    assert.equal(recordText(recordPrelude(name, recordedAt, calls), record), text);
  });

  it('puts the call fields into the right tools when caps and outputs hold objects indented like a tool entry', () => {
    const tool = (id: string, output: unknown) => ({ id, status: 'succeeded', queuedAt: 0, startedAt: 0, endedAt: 1, attempts: [], output, error: null });
    const record = {
      status: 'succeeded', makespanMs: 1, sequentialMs: 2, criticalPathMs: 1, lowerBoundMs: 1, maxObservedConcurrency: 2,
      caps: { maxConcurrency: 2, limits: { api: 2, 'x\n    }': 1 } },
      tools: [tool('call0', { text: '\n    }\n  ]', nested: { deep: [{ a: 1 }] } }), tool('call1', [])],
      connections: [{ server: 's', tools: { a: 1 } }],
    } as unknown as RunRecord;
    const calls: ToolCall[] = [{ id: 'A', name: 'f', args: { q: { r: [1] } } }, { id: 'B', name: 'g', args: {} }];
    const text = recordText(recordPrelude('n', 't', calls), record);
    assert.equal(text, wholeStringify('n', 't', record, calls));
  });

  it('an empty batch and a record with an undefined field', () => {
    const record = { status: 'succeeded', makespanMs: 0, sequentialMs: 0, criticalPathMs: 0, lowerBoundMs: 0, maxObservedConcurrency: 0, caps: undefined, tools: [] } as unknown as RunRecord;
    assert.equal(recordText(recordPrelude('n', 't', []), record), wholeStringify('n', 't', record, []));
  });
});

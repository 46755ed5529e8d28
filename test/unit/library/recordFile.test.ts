import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runToolCalls, readRunFile, type ToolCall } from '../../../src/core/index';
import { buildOnce, FIXTURES, json, runCli } from '../cli/helpers';

// recordFile and `fanout show` (README "Run records"): the batch an agent ran, written atomically
// whatever its outcome, and printed by the real CLI process from that file.
const call = (id: string, name: string, args: Record<string, unknown> = {}): ToolCall => ({ id, name, args: args as ToolCall['args'] });
const sleep = (ms: number, signal?: AbortSignal): Promise<void> => new Promise((resolve, reject) => {
  const t = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason); }, { once: true });
});

describe('library: recordFile and fanout show', function () {
  this.timeout(60_000);
  let dir = '';
  before(() => {
    buildOnce();
    dir = mkdtempSync(join(tmpdir(), 'fanout-runfile-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const mixed = [
    call('toolu_1', 'get_weather', { city: 'Oslo' }),
    call('toolu_2', 'flaky', {}),
    call('toolu_3', 'slow', {}),
    call('toolu_4', 'missing', { q: 1 }),
  ];
  const handlers = {
    get_weather: async ({ city }: { city: string }) => ({ city, tempC: 4 }),
    flaky: async () => { throw new Error('upstream said 500'); },
    slow: async (_: unknown, { signal }: { signal: AbortSignal }) => { await sleep(5_000, signal); return 'late'; },
  };

  it('writes the run --json record plus name, recordedAt, label, callId and args; fanout show prints it', async () => {
    const file = join(dir, 'mixed.fanoutrun.json');
    const batch = await runToolCalls(mixed, handlers, { recordFile: file, name: 'weather turn', timeoutMs: 50, maxConcurrency: 2 });
    assert.deepEqual(await batch.recorded, { ok: true, path: file });
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & { tools: Record<string, unknown>[] };
    assert.equal(saved.fanoutRun, 1);
    assert.equal(saved.name, 'weather turn');
    assert.ok(!Number.isNaN(Date.parse(String(saved.recordedAt))));
    for (const key of ['status', 'makespanMs', 'sequentialMs', 'criticalPathMs', 'lowerBoundMs', 'maxObservedConcurrency']) assert.ok(key in saved, key);
    assert.equal(saved.status, 'failed');
    assert.deepEqual(saved.tools.map((t) => [t.id, t.label, t.callId, t.status]), [
      ['call0', 'get_weather', 'toolu_1', 'succeeded'],
      ['call1', 'flaky', 'toolu_2', 'failed'],
      ['call2', 'slow', 'toolu_3', 'timed-out'],
      ['call3', 'missing', 'toolu_4', 'failed'],
    ]);
    assert.deepEqual(saved.tools[0]!.args, { city: 'Oslo' });
    assert.deepEqual(saved.tools[0]!.output, { city: 'Oslo', tempC: 4 });
    assert.deepEqual(batch.results.map((r) => r.status), saved.tools.map((t) => t.status));
    assert.deepEqual(readdirSync(dir), ['mixed.fanoutrun.json'], 'no temporary file left beside it');

    const shown = await runCli(['show', file]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.equal(shown.stderr, '');
    assert.match(shown.stdout, /recorded \d{4}-\d\d-\d\dT/);
    assert.match(shown.stdout, /weather turn — run failed in /);
    assert.match(shown.stdout, /4 tools: 1 succeeded, 2 failed, 1 timed-out/);
    for (const row of ['call0 get_weather toolu_1', 'call1 flaky toolu_2', 'call2 slow toolu_3', 'call3 missing toolu_4']) assert.ok(shown.stdout.includes(row), `${row} in\n${shown.stdout}`);
    assert.match(shown.stdout, /call1: upstream said 500/);
    assert.match(shown.stdout, /no handler for the tool "missing"/);

    const asJson = await runCli(['show', file, '--json']);
    assert.equal(asJson.code, 0, asJson.stderr);
    assert.deepEqual(json(asJson), JSON.parse(readFileSync(file, 'utf8')));
  });

  it('states the caps the batch ran under (maxConcurrency, limits incl. adaptive); fanout show prints them', async () => {
    const file = join(dir, 'caps.fanoutrun.json');
    const calls = [call('c1', 'search', { q: 1 }), call('c2', 'search', { q: 2 }), call('c3', 'lookup', {})];
    const batch = await runToolCalls(calls, { search: async () => 'ok', lookup: async () => 'ok' }, {
      recordFile: file, maxConcurrency: 4, resourceOf: (c) => c.name, limits: { search: { max: 8, adaptive: true, min: 2 }, lookup: 1 },
    });
    assert.equal(batch.status, 'succeeded');
    await batch.recorded;
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { caps: unknown };
    assert.deepEqual(saved.caps, { maxConcurrency: 4, limits: { search: { max: 8, adaptive: true, min: 2 }, lookup: 1 } });
    const shown = await runCli(['show', file]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^caps at most 4 at once · search ≤ 8, adaptive down to 2 · lookup ≤ 1$/m);
    const unbounded = join(dir, 'nocap.fanoutrun.json');
    await (await runToolCalls(calls, { search: async () => 'ok', lookup: async () => 'ok' }, { recordFile: unbounded })).recorded;
    assert.deepEqual((JSON.parse(readFileSync(unbounded, 'utf8')) as { caps: unknown }).caps, { maxConcurrency: null, limits: {} });
    assert.match((await runCli(['show', unbounded])).stdout, /^caps no global cap$/m);
  });

  it('a cancelled batch is still recorded, with every call answered', async () => {
    const file = join(dir, 'cancelled.fanoutrun.json');
    const stop = new AbortController();
    setTimeout(() => stop.abort(new Error('user pressed stop')), 30);
    const batch = await runToolCalls([call('a', 'slow'), call('b', 'slow'), call('c', 'slow')], handlers, { recordFile: file, signal: stop.signal, maxConcurrency: 2 });
    assert.equal(batch.status, 'cancelled');
    assert.equal((await batch.recorded)?.ok, true);
    const read = readRunFile(readFileSync(file, 'utf8'));
    assert.ok(read.ok);
    assert.deepEqual(read.run.tools.map((t) => [t.callId, t.status]), [['a', 'cancelled'], ['b', 'cancelled'], ['c', 'cancelled']]);
    const shown = await runCli(['show', file]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /run cancelled in/);
  });

  it('refuses a recordFile in a directory that does not exist before any call runs', async () => {
    let ran = 0;
    await assert.rejects(
      runToolCalls([call('a', 'f')], { f: () => { ran++; return 1; } }, { recordFile: join(dir, 'no', 'such', 'run.fanoutrun.json') }),
      (e: Error) => e instanceof TypeError && /cannot write the record file .*the directory .* does not exist; create it/.test(e.message),
    );
    assert.equal(ran, 0);
    await assert.rejects(runToolCalls([], {}, { recordFile: dir }), /is a directory; give a file name such as run\.fanoutrun\.json/);
  });

  it('fanout show reads a fanout run --json record as well', async () => {
    const ran = await runCli(['run', join(FIXTURES, 'failing.toolplan.json'), '--json']);
    const file = join(dir, 'from-cli.json');
    writeFileSync(file, ran.stdout);
    const shown = await runCli(['show', file]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /from-cli\.json — run failed in/);
    const asJson = await runCli(['show', file, '--json']);
    assert.deepEqual(json(asJson), JSON.parse(ran.stdout));
  });

  describe('bad run files: exit 2 with file:line:column and what to fix', () => {
    const cases: readonly (readonly [string, string, RegExp])[] = [
      ['cut-off', '{\n  "status": "succeeded",\n  "makespanMs": 3,\n  "tools": [\n', /cut-off\.json:5:1 error parse-error Not valid JSON: .*/],
      ['wrong status', '{\n  "status": "succeeded",\n  "makespanMs": 3,\n  "tools": [\n    { "id": "a", "status": "done" }\n  ]\n}\n', /wrong status\.json:5:28 error parse-error tools\[0\]\.status must be one of "succeeded", "failed", "skipped", "cancelled", "timed-out", "denied", not "done"\./],
      ['no tools', '{ "status": "failed", "makespanMs": 1 }', /no tools\.json:1:1 error parse-error The run file has no "tools" list: expected \{ status, makespanMs, tools: \[\.\.\.\] \}/],
      ['a list', '[1, 2]', /a list\.json:1:1 error parse-error A run file is an object \{ status, makespanMs, tools: \[\.\.\.\] \}, not a list\./],
      ['bad time', '{"status":"failed","makespanMs":-4,"tools":[{"id":"a","status":"failed","startedAt":"soon","attempts":[{"startedAt":1}]}]}', /bad time\.json:1:33 error parse-error "makespanMs" must be a time in ms from the run start \(a number ≥ 0\), not -4\.\n.*:1:85 error parse-error "tools\[0\]\.startedAt" must be .*not "soon"\.\n.*:1:104 error parse-error "tools\[0\]\.attempts\[0\]\.endedAt" is missing/],
      ['empty', '  \n', /empty\.json:1:1 error parse-error The run file is empty\./],
      ['bad caps', '{"status":"failed","makespanMs":1,"caps":{"maxConcurrency":0,"limits":{"api":{"max":8,"adaptive":"yes","min":1},"db":-1}},"tools":[]}',
        /bad caps\.json:1:60 error parse-error "caps\.maxConcurrency" must be a whole number ≥ 1 or null \(no cap\), not 0\.\n.*:1:98 error parse-error "caps\.limits\.api\.adaptive" must be true .*not "yes"\.\n.*:1:118 error parse-error "caps\.limits\.db" must be a whole number ≥ 1 or \{ max, adaptive: true, min \}, not -1\./],
    ];
    for (const [name, text, expected] of cases) {
      it(name, async () => {
        const file = join(dir, `${name}.json`);
        writeFileSync(file, text);
        const r = await runCli(['show', file]);
        assert.equal(r.code, 2);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, expected);
        assert.doesNotMatch(r.stderr, /internal error|at .*\.js:\d+/);
      });
    }

    it('--json gives the diagnostics as an object; a missing file is positioned too', async () => {
      const r = await runCli(['show', join(dir, 'nope.fanoutrun.json'), '--json']);
      assert.equal(r.code, 2);
      const out = json(r) as { valid: boolean; diagnostics: { code: string; message: string; line: number }[] };
      assert.equal(out.valid, false);
      assert.equal(out.diagnostics[0]!.code, 'parse-error');
      assert.match(out.diagnostics[0]!.message, /does not exist\. Check the path/);
      assert.match(r.stderr, /nope\.fanoutrun\.json:1:1 error parse-error/);
    });
  });
});

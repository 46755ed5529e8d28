import { strict as assert } from 'node:assert';
import { parsePlan } from '../../../src/core/plan/parse';
import type { Plan, ToolSpec } from '../../../src/core/plan/types';
import { needsApproval } from '../../../src/core/plan/safety';
import { createApprover, parseBatchAnswer, READ_ONLY_DENIED, USER_DENIED } from '../../../src/core/tools/approval';
import { setupApproval } from '../../../src/cli/approval';

const plan = (): Plan => parsePlan(JSON.stringify({
  mcpServers: { fs: { command: 'node', args: ['fs.js'] } },
  tools: [
    { id: 'read', kind: 'mcp', args: { server: 'fs', tool: 'read_file', input: { path: 'a' } }, annotations: { readOnlyHint: true } },
    { id: 'write', kind: 'mcp', args: { server: 'fs', tool: 'write_file', input: { path: 'b', content: 'x' } } },
    { id: 'fn', kind: 'function', args: { module: './tools.mjs', export: 'count' } },
    { id: 'sim', kind: 'simulate', args: { durationMs: 1 } },
    { id: 'sh', kind: 'shell', args: { command: 'true' } },
  ],
}), { fileName: 'a.toolplan.json' }).plan as Plan;
const tool = (p: Plan, id: string): ToolSpec => p.tools.find((t) => t.id === id) as ToolSpec;

describe('approval lanes', () => {
  it('needs approval: MCP calls not known read-only and functions by default; the kinds are configurable', () => {
    const p = plan();
    assert.deepEqual(p.tools.filter((t) => needsApproval(t)).map((t) => t.id), ['write', 'fn']);
    assert.deepEqual(p.tools.filter((t) => needsApproval(t, ['mcp', 'function', 'shell'])).map((t) => t.id), ['write', 'fn', 'sh']);
  });

  it('all lets everything through without waiting; read-only denies what needs approval without asking', async () => {
    const p = plan();
    const all = createApprover({ mode: 'all' });
    assert.deepEqual(p.tools.filter((t) => all.needs(t)), [], 'with all, nothing waits');
    const ro = createApprover({ mode: 'read-only' });
    const waiting = p.tools.filter((t) => ro.needs(t));
    assert.deepEqual(waiting.map((t) => t.id), ['write', 'fn']);
    const verdicts = await ro.decide(waiting.map((t) => ({ tool: t, args: t.args })), new AbortController().signal);
    assert.deepEqual(verdicts, [{ allowed: false, reason: READ_ONLY_DENIED }, { allowed: false, reason: READ_ONLY_DENIED }]);
  });

  it('prompt: batches that ask while a prompt is open share the next one; "rest of run" stops asking', async () => {
    const p = plan();
    const asked: string[][] = [];
    const signal = new AbortController().signal;
    let release: () => void = () => undefined;
    const approve = createApprover({
      mode: 'prompt', gatherMs: 1,
      askBatch: async (calls) => {
        asked.push(calls.map((c) => c.id));
        if (asked.length === 1) {
          await new Promise<void>((r) => (release = r));
          return { allowed: new Set(['write']), allowRest: false };
        }
        return { allowed: new Set(['fn2']), allowRest: true };
      },
    });
    assert.equal(approve.needs(tool(p, 'read')), false, 'a read-only call does not wait');
    const req = (t: ToolSpec) => ({ tool: t, args: t.args });
    const first = approve.decide([req(tool(p, 'write')), req(tool(p, 'fn'))], signal);
    await new Promise((r) => setTimeout(r, 10));
    const fn2 = { ...tool(p, 'fn'), id: 'fn2' };
    const fn4 = { ...tool(p, 'fn'), id: 'fn4' };
    const second = approve.decide([req(fn2)], signal);
    const third = approve.decide([req(fn4)], signal);
    release();
    assert.deepEqual(await first, [true, { allowed: false, reason: USER_DENIED }]);
    assert.deepEqual(await second, [true]);
    assert.deepEqual(await third, [{ allowed: false, reason: USER_DENIED }]);
    assert.deepEqual(asked, [['write', 'fn'], ['fn2', 'fn4']], 'one prompt per batch; batches that came during a prompt share the next');
    assert.deepEqual(await approve.decide([req({ ...tool(p, 'fn'), id: 'fn3' })], signal), [true]);
    assert.equal(asked.length, 2, 'after "allow the rest of this run" nothing is asked');
    assert.deepEqual([...approve.decisions], [['write', true], ['fn', false], ['fn2', true], ['fn4', false], ['fn3', true]]);
  });

  it('prompt: the prompt shows the resolved arguments; a prompt that throws denies with its error', async () => {
    const p = plan();
    const shown: unknown[] = [];
    const approve = createApprover({ mode: 'prompt', gatherMs: 1, askBatch: async (calls) => { shown.push(calls[0].args.input); throw new Error('stdin closed'); } });
    const w = tool(p, 'write');
    const v = await approve.decide([{ tool: w, args: { ...w.args, input: { path: 'resolved' } } }], new AbortController().signal);
    assert.deepEqual(shown, [{ path: 'resolved' }]);
    assert.deepEqual(v, [{ allowed: false, reason: 'the approval prompt failed: stdin closed' }]);
  });

  it('parses terminal answers: y, n, r, and numbers or ranges', () => {
    const calls = plan().tools.slice(0, 4);
    assert.deepEqual([...(parseBatchAnswer('y', calls)?.allowed ?? [])], ['read', 'write', 'fn', 'sim']);
    assert.deepEqual(parseBatchAnswer('n', calls), { allowed: new Set(), allowRest: false });
    assert.equal(parseBatchAnswer('r', calls)?.allowRest, true);
    assert.deepEqual([...(parseBatchAnswer('1 3-4', calls)?.allowed ?? [])], ['read', 'fn', 'sim']);
    assert.equal(parseBatchAnswer('5', calls), undefined);
    assert.equal(parseBatchAnswer('maybe', calls), undefined);
  });

  it('the CLI refuses before starting anything when calls need approval and there is no terminal', () => {
    const r = setupApproval({}, plan(), undefined, () => undefined);
    assert.ok(!r.ok);
    assert.match(r.error, /^2 calls need approval \(write: write_file on MCP server 'fs'; fn: count of \.\/tools\.mjs\) and there is no terminal to ask on\. Nothing was started\. Pass --approve all/);
    assert.ok(setupApproval({ approve: 'all' }, plan(), undefined, () => undefined).ok);
    assert.match((setupApproval({ approve: 'prompt' }, plan(), undefined, () => undefined) as { error: string }).error, /--approve prompt needs a terminal/);
    assert.match((setupApproval({ approve: 'maybe' }, plan(), undefined, () => undefined) as { error: string }).error, /takes all, read-only or prompt/);
    assert.match((setupApproval({ 'needs-approval': 'mcp,bash' }, plan(), undefined, () => undefined) as { error: string }).error, /'bash' is not a tool kind/);
  });
});

import { strict as assert } from 'node:assert';
import { parsePlan } from '../../../src/core/plan/parse';
import type { Plan, ToolSpec } from '../../../src/core/plan/types';
import { needsApproval } from '../../../src/core/plan/safety';
import { createApprover, parseBatchAnswer } from '../../../src/core/tools/approval';
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

  it('all approves everything; read-only denies what needs approval without asking', async () => {
    const p = plan();
    const all = createApprover({ mode: 'all' });
    assert.deepEqual(await Promise.all(p.tools.map((t) => all(t))), [true, true, true, true, true]);
    const ro = createApprover({ mode: 'read-only' });
    assert.deepEqual(await Promise.all(p.tools.map((t) => ro(t))), [true, false, false, true, true]);
  });

  it('prompt: calls that ask together share one prompt; read-only calls never wait; "rest of run" stops asking', async () => {
    const p = plan();
    const asked: string[][] = [];
    const approve = createApprover({
      mode: 'prompt', gatherMs: 5,
      askBatch: async (calls) => {
        asked.push(calls.map((c) => c.id));
        return asked.length === 1 ? { allowed: new Set(['write']), allowRest: false } : { allowed: new Set(['fn2']), allowRest: true };
      },
    });
    const readFirst = await approve(tool(p, 'read'));
    assert.equal(readFirst, true);
    assert.deepEqual(asked, [], 'a read-only call is not asked about');
    const [w, f] = await Promise.all([approve(tool(p, 'write')), approve(tool(p, 'fn'))]);
    assert.deepEqual([w, f], [true, false]);
    assert.deepEqual(asked, [['write', 'fn']], 'one prompt for the batch');
    const again = { ...tool(p, 'fn'), id: 'fn2' };
    assert.equal(await approve(again), true);
    assert.equal(asked.length, 2);
    assert.equal(await approve({ ...tool(p, 'fn'), id: 'fn3' }), true);
    assert.equal(asked.length, 2, 'after "allow the rest of this run" nothing is asked');
    assert.deepEqual([...approve.decisions], [['read', true], ['write', true], ['fn', false], ['fn2', true], ['fn3', true]]);
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

// runToolCalls({ approve }) (DESIGN §8): a call approve() refuses is `denied`, never runs, and its
// provider result says so; calls waiting for an answer hold no slot.
import { strict as assert } from 'node:assert';
import { runToolCalls, toOpenAIToolMessages, toAnthropicToolResults, type ToolCall } from '../../../src/core/index';

const call = (id: string, name: string, args: Record<string, unknown> = {}): ToolCall => ({ id, name, args: args as ToolCall['args'] });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('library: runToolCalls approve', () => {
  it('denied calls never run and answer the model that they were denied; allowed ones run; a throw denies', async () => {
    const ran: string[] = [];
    const calls = [call('call_rm', 'delete_file', { path: '/x' }), call('call_ls', 'list_dir'), call('call_bad', 'delete_file', { path: '/y' })];
    const asked: string[] = [];
    const batch = await runToolCalls(calls, {
      delete_file: ({ path }: { path: string }) => { ran.push(path); return 'deleted'; },
      list_dir: () => { ran.push('ls'); return ['a']; },
    }, {
      approve: (c) => {
        asked.push(c.id);
        if (c.id === 'call_bad') throw new Error('policy service down');
        return c.name !== 'delete_file';
      },
    });
    assert.deepEqual(asked, ['call_rm', 'call_ls', 'call_bad']);
    assert.deepEqual(ran, ['ls']);
    assert.deepEqual(batch.results.map((r) => [r.id, r.status, r.attempts, r.startedAt]), [
      ['call_rm', 'denied', 0, null], ['call_ls', 'succeeded', 1, batch.results[1]!.startedAt], ['call_bad', 'denied', 0, null],
    ]);
    assert.equal(batch.results[0]!.error, 'approve(call) returned false');
    assert.equal(batch.results[2]!.error, 'approve(call) threw: policy service down');
    assert.equal(batch.status, 'failed');
    const msgs = toOpenAIToolMessages(batch);
    assert.equal(msgs[0]!.tool_call_id, 'call_rm');
    assert.equal(msgs[0]!.content, 'Error: the call to delete_file was denied by the user or the approval policy; it did not run: approve(call) returned false');
    const anthropic = toAnthropicToolResults(batch);
    assert.equal((anthropic.content[0] as { is_error?: boolean }).is_error, true);
  });

  it('an approval that takes its time holds no slot: the other calls run meanwhile at cap 1', async () => {
    const order: string[] = [];
    const calls = [call('slow_ok', 'work'), call('free1', 'work'), call('free2', 'work')];
    const batch = await runToolCalls(calls, {
      work: async (_a: unknown, { call: c }) => { order.push(`start ${c.id}`); await sleep(20); order.push(`end ${c.id}`); return c.id; },
    }, {
      maxConcurrency: 1,
      approve: async (c) => {
        if (c.id === 'slow_ok') await sleep(120);
        return true;
      },
    });
    assert.equal(batch.status, 'succeeded');
    assert.deepEqual(order, ['start free1', 'end free1', 'start free2', 'end free2', 'start slow_ok', 'end slow_ok']);
  });

  it('refuses an approve that is not a function', async () => {
    await assert.rejects(runToolCalls([call('a', 'x')], { x: () => 1 }, { approve: true as unknown as () => boolean }), /runToolCalls: approve must be a function, got true\./);
  });
});

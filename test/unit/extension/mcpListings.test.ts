import { strict as assert } from 'node:assert';
import { checkPlanCalls } from '../../../src/extension/mcpHost';
import { McpListingCache } from '../../../src/extension/runners/mcpListings';
import { parsePlan } from '../../../src/core/plan/parse';
import type { Plan } from '../../../src/core/plan/types';
import type { McpToolInfo } from '../../../src/core/tools/mcp/session';
import { everythingStdio } from '../mcp/servers';

describe('extension: MCP listing cache passed with the services (no module state)', () => {
  it('keeps a listing for its TTL on the given clock, then drops it', () => {
    let now = 1_000;
    const cache = new McpListingCache({ ttlMs: 100, now: () => now });
    const key = McpListingCache.key('/w', { command: 'node', args: ['a.js'] });
    assert.notEqual(key, McpListingCache.key('/other', { command: 'node', args: ['a.js'] }), 'the folder is part of the key');
    assert.notEqual(key, McpListingCache.key('/w', { command: 'node', args: ['b.js'] }), 'so is the config');
    const tools = new Map<string, McpToolInfo>([['echo', { name: 'echo' }]]);
    cache.set(key, tools);
    now += 99;
    assert.equal(cache.get(key), tools);
    now += 1;
    assert.equal(cache.get(key), undefined);
    assert.equal(cache.size, 0, 'the stale entry is dropped');
    cache.set(key, tools);
    cache.dispose();
    assert.equal(cache.get(key), undefined, 'dispose forgets everything');
  });

  it('checkPlanCalls lists a real server once, answers from the cache it is given while fresh, and another cache lists again', async function () {
    this.timeout(60_000);
    const parsed = parsePlan(JSON.stringify({
      mcpServers: { ev: everythingStdio },
      tools: [{ id: 'say', kind: 'mcp', args: { server: 'ev', tool: 'echo', input: { message: 'hi' } } }],
    }), { fileName: 'cache.toolplan.json' });
    const plan = parsed.plan as Plan;
    assert.ok(plan, JSON.stringify(parsed.diagnostics));
    const servers = { ev: everythingStdio };
    let now = 0;
    const cache = new McpListingCache({ ttlMs: 1_000, now: () => now });
    const opts = { cwd: process.cwd(), expand: { env: process.env }, listings: cache };
    const codes = async (c: McpListingCache) => (await checkPlanCalls(plan, servers, { ...opts, listings: c })).map((d) => d.code);

    assert.deepEqual(await codes(cache), [], 'server-everything has echo');
    const key = McpListingCache.key(process.cwd(), everythingStdio);
    const listed = cache.get(key);
    assert.ok(listed instanceof Map && listed.has('echo'), 'the listing is in the cache it was given');

    // A listing without echo in this cache: a fresh entry is used, the server is not asked again.
    cache.set(key, new Map([['other', { name: 'other' }]]));
    assert.deepEqual(await codes(cache), ['unknown-tool']);
    // Another cache (another activation) knows nothing of it and lists the real server.
    assert.deepEqual(await codes(new McpListingCache()), []);
    // Past the TTL the server is listed again, and the real listing replaces the fake one.
    now += 1_000;
    assert.deepEqual(await codes(cache), []);
    assert.ok((cache.get(key) as ReadonlyMap<string, McpToolInfo>).has('echo'));
  });
});

// examples/ as a user runs them: `node examples/…-agent.mjs` in a real child process, importing
// 'fanout' (the package's own exports, built by build-lib) and the official SDK, with the SDK's
// base URL pointed at the replay server on 127.0.0.1 (providerReplay.ts checks each follow-up).
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readRunFile } from '../../../src/core/index';
import { buildLibOnce, ROOT } from './buildLib';
import { recording, startReplayServer, type ReplayServer } from './providerReplay';

const run = promisify(execFile);

describe('library: examples/ run against the replay server', function () {
  this.timeout(120_000);
  let replay: ReplayServer;
  let dir = '';
  before(async () => {
    buildLibOnce();
    replay = await startReplayServer();
    dir = mkdtempSync(join(tmpdir(), 'fanout-examples-'));
  });
  after(async () => {
    await replay.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => replay.requests.splice(0));

  const env = (extra: Record<string, string>): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = { ...process.env, ...extra };
    for (const k of ['OPENAI_ORG_ID', 'OPENAI_PROJECT_ID', 'ANTHROPIC_AUTH_TOKEN']) delete e[k];
    return e;
  };

  it('examples/openai-agent.mjs: one turn of three calls (one failing), then the answer; the turn is recorded', async () => {
    const record = join(dir, 'turn.fanoutrun.json');
    const { stdout, stderr } = await run(process.execPath, ['examples/openai-agent.mjs'], {
      cwd: ROOT, env: env({ OPENAI_BASE_URL: `${replay.origin}/v1`, OPENAI_API_KEY: 'sk-test', FANOUT_RECORD: record }),
    });
    const final = recording('openai-chat-final') as { choices: { message: { content: string } }[] };
    assert.equal(stdout.trim(), final.choices[0]!.message.content);
    assert.match(stderr, /turn 1: 3 tool calls/);
    assert.match(stderr, /failed call_67890abc/);
    assert.deepEqual(replay.requests.map((r) => [r.path, r.status, r.problem]), [['/v1/chat/completions', 200, undefined], ['/v1/chat/completions', 200, undefined]]);
    const tools = (replay.requests[1]!.body.messages as { role: string; tool_call_id?: string; content?: string }[]).filter((m) => m.role === 'tool');
    assert.deepEqual(tools.map((m) => m.tool_call_id), ['call_12345xyz', 'call_67890abc', 'call_99999def']);
    assert.equal(tools[1]!.content, 'Error: the tool get_weather failed: no weather station for Bogotá, Colombia');
    assert.equal(tools[2]!.content, '14:05');
    const read = readRunFile(readFileSync(record, 'utf8'));
    assert.ok(read.ok);
    assert.equal(read.run.name, 'turn 1');
    assert.deepEqual(read.run.tools.map((t) => t.callId), ['call_12345xyz', 'call_67890abc', 'call_99999def']);
  });

  it('examples/anthropic-agent.mjs: tool_results in one user message, then the answer', async () => {
    const { stdout, stderr } = await run(process.execPath, ['examples/anthropic-agent.mjs'], {
      cwd: ROOT, env: env({ ANTHROPIC_BASE_URL: replay.origin, ANTHROPIC_API_KEY: 'sk-ant-test' }),
    });
    const final = recording('anthropic-final') as { content: { text: string }[] };
    assert.equal(stdout.trim(), final.content[0]!.text);
    assert.match(stderr, /turn 1: 3 tool calls/);
    assert.deepEqual(replay.requests.map((r) => [r.path, r.status, r.problem]), [['/v1/messages', 200, undefined], ['/v1/messages', 200, undefined]]);
    const last = (replay.requests[1]!.body.messages as { role: string; content: { type: string; is_error?: boolean }[] }[]).at(-1)!;
    assert.equal(last.role, 'user');
    assert.deepEqual(last.content.map((b) => [b.type, b.is_error === true]), [['tool_result', false], ['tool_result', true], ['tool_result', false]]);
  });
});

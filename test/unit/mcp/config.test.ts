import { spawnSync } from 'node:child_process';
import { strict as assert } from 'node:assert';
import { describeServer, expandServerConfig, readConfigFile, readServerConfig } from '../../../src/core/tools/mcp/config';
import { parsePlan } from '../../../src/core/plan/parse';
import { sideEffects, confirmationText } from '../../../src/extension/plans/sideEffects';

describe('MCP server configs', () => {
  it('reads VS Code mcp.json servers and mcpServers files alike', () => {
    const vscode = readConfigFile({ servers: { fs: { type: 'stdio', command: 'node', args: ['fs.js', 1], env: { A: 'x', N: 2 } }, web: { type: 'http', url: 'http://127.0.0.1:1/mcp', headers: { K: 'v' } } }, inputs: [] }, 'mcp.json');
    assert.deepEqual(vscode.errors, []);
    assert.deepEqual({ ...vscode.servers.fs, env: { ...(vscode.servers.fs as { env: object }).env } }, { command: 'node', args: ['fs.js', '1'], env: { A: 'x', N: '2' } });
    assert.deepEqual({ ...vscode.servers.web, headers: { ...(vscode.servers.web as { headers: object }).headers } }, { url: 'http://127.0.0.1:1/mcp', headers: { K: 'v' } });
    const claude = readConfigFile({ mcpServers: { mem: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] } } }, 'claude.json');
    assert.equal(describeServer(claude.servers.mem), 'npx -y @modelcontextprotocol/server-memory');
  });

  it('says what is wrong with a server, and with a file that has none', () => {
    const bad = (v: unknown) => { const r = readServerConfig('x', v as never, 'mcp.json'); return r.ok ? '' : r.error; };
    assert.match(bad({}), /needs "command" \(a program started over stdio, e\.g\. "node"\) or "url"/);
    assert.match(bad({ type: 'sse', url: 'http://h/sse' }), /old SSE transport.*"type": "http"/);
    assert.match(bad({ command: 'a', url: 'http://h' }), /has both "command" and "url"/);
    assert.match(bad({ url: 'ftp://h' }), /must be http: or https:/);
    assert.match(bad({ command: 'a', envFile: '.env' }), /"envFile", which Fanout does not read/);
    assert.match(readConfigFile({ tools: [] }, 'x.json').errors[0], /no "servers" \(VS Code's mcp\.json\) or "mcpServers" object/);
  });

  it('expands ${env:…}, ${workspaceFolder} and ${userHome}; refuses ${input:…} outside VS Code', () => {
    const cfg = { command: '${userHome}/bin/srv', args: ['${workspaceFolder}/data'], env: { TOKEN: '${env:FANOUT_T}' } };
    const ok = expandServerConfig('s', cfg, { env: { FANOUT_T: 'abc' }, workspaceFolder: '/w', userHome: '/home/u' });
    assert.ok(ok.ok);
    assert.deepEqual(ok.ok && { ...ok.config, env: { ...(ok.config as { env: object }).env } }, { command: '/home/u/bin/srv', args: ['/w/data'], env: { TOKEN: 'abc' } });
    const unset = expandServerConfig('s', cfg, { env: {}, workspaceFolder: '/w', userHome: '/h' });
    assert.ok(!unset.ok && /uses \$\{env:FANOUT_T\}, but FANOUT_T is not set in the environment/.test(unset.error));
    const prompt = expandServerConfig('s', { url: 'http://h/mcp', headers: { A: '${input:key}' } }, { env: {} });
    assert.ok(!prompt.ok && /an input prompt only VS Code can show/.test(prompt.error));
    const inVsCode = expandServerConfig('s', { url: 'http://h/mcp', headers: { A: '${input:key}' } }, { env: {}, inputsAllowed: true });
    assert.ok(inVsCode.ok);
  });

  it('a plan\'s mcpServers are read with positions; a bad one is a schema error at its entry', () => {
    const r = parsePlan('mcpServers:\n  good: { command: node, args: [s.js] }\n  bad: { args: [x] }\ntools:\n  - { id: a, kind: mcp, args: { server: good, tool: t } }\n', { fileName: 'p.toolplan.yaml' });
    assert.deepEqual(Object.keys(r.plan?.mcpServers ?? {}), ['good']);
    const d = r.diagnostics.find((x) => x.code === 'schema');
    assert.ok(d && d.line === 3 && /MCP server 'bad'.*needs "command"/.test(d.message), JSON.stringify(r.diagnostics));
  });

  it('the run confirmation shows the server command and the resolved module path', () => {
    const r = parsePlan(JSON.stringify({
      mcpServers: { fs: { command: 'node', args: ['server.js', '/tmp'] } },
      tools: [
        { id: 'read', kind: 'mcp', args: { server: 'fs', tool: 'read_file', input: { path: 'a' } } },
        { id: 'count', kind: 'function', args: { module: './tools.mjs', export: 'count' } },
      ],
    }), { fileName: 'p.toolplan.json' });
    const effects = sideEffects(r.plan as never, '/work/project');
    // The program as the absolute path that starts (found on PATH), and the directory it starts in.
    const node = spawnSync('/bin/sh', ['-c', 'command -v node'], { encoding: 'utf8' }).stdout.trim();
    assert.deepEqual(effects.map((e) => e.detail), [`fs.read_file — ${node} server.js /tmp  (in /work/project)`, 'count of /work/project/tools.mjs']);
    assert.match(confirmationText('P', effects).message, /1 MCP tool call, 1 JavaScript function/);
  });
});

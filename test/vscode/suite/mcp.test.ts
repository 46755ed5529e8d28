// MCP servers inside the real extension host: a server from the workspace's .vscode/mcp.json (a
// real server-everything over stdio), loaded through the separate mcpHost bundle, in a trusted
// workspace. The confirmation is turned off in the user settings (tests cannot click dialogs).
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { api, closeAllEditors, fixture, repoRoot, runAndWait } from '../helpers';
import { withSettings } from '../settings';

function serverProcesses(marker: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(marker) && !/\) Z /.test(readFileSync(`/proc/${d}/stat`, 'utf8'))) out.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

describe('MCP servers (trusted workspace)', () => {
  // The approval quick pick is tested in approval.test.ts; here every call runs.
  withSettings({ confirmShellAndHttp: false, approveCalls: 'all' });
  before(async () => {
    await api();
  });
  after(async () => {
    await vscode.workspace.fs.delete(fixture('.vscode/mcp.json')).then(undefined, () => undefined);
    await closeAllEditors();
  });

  it('runs mcp calls on a server from .vscode/mcp.json, records the connection, and ends the server with the run', async () => {
    const marker = `fanout-vscode-mcp-${Date.now()}`;
    const entry = join(repoRoot(), 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
    const enc = new TextEncoder();
    await vscode.workspace.fs.writeFile(fixture('.vscode/mcp.json'), enc.encode(JSON.stringify({
      servers: { everything: { type: 'stdio', command: process.execPath, args: [entry, 'stdio', marker] } },
    })));
    await vscode.workspace.fs.writeFile(fixture('mcp.toolplan.json'), enc.encode(JSON.stringify({
      name: 'MCP in VS Code',
      defaults: { timeoutMs: 20000 },
      tools: [
        { id: 'weather', kind: 'mcp', args: { server: 'everything', tool: 'get-structured-content', input: { location: 'Chicago' } } },
        { id: 'say', kind: 'mcp', dependsOn: ['weather'], args: { server: 'everything', tool: 'echo', input: { message: 'it is ${weather.output.temperature}' } } },
        { id: 'slow', kind: 'mcp', args: { server: 'everything', tool: 'trigger-long-running-operation', input: { duration: 1, steps: 2 } } },
      ],
    }, null, 2)));
    const { record } = await runAndWait('fanout.run', fixture('mcp.toolplan.json'), 60_000);
    assert.equal(record.status, 'succeeded', JSON.stringify(record.tools.map((t) => t.error)));
    const temp = (record.tools.find((t) => t.id === 'weather')?.output as { temperature: number }).temperature;
    assert.equal(record.tools.find((t) => t.id === 'say')?.output, `Echo: it is ${temp}`);
    assert.ok((record.tools.find((t) => t.id === 'slow')?.progress ?? []).length >= 1, 'progress recorded');
    assert.equal(record.connections?.length, 1);
    for (let k = 0; k < 50 && serverProcesses(marker).length > 0; k++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(serverProcesses(marker), [], 'no server outlives the run');
  });

  it('refuses a run whose call names a tool the server does not have, with "did you mean"', async () => {
    await vscode.workspace.fs.writeFile(fixture('mcp-typo.toolplan.json'), new TextEncoder().encode(JSON.stringify({
      mcpServers: { ev: { command: process.execPath, args: [join(repoRoot(), 'node_modules/@modelcontextprotocol/server-everything/dist/index.js'), 'stdio'] } },
      tools: [{ id: 'x', kind: 'mcp', timeoutMs: 5000, args: { server: 'ev', tool: 'ecko', input: { message: 'hi' } } }],
    })));
    const { runBus } = await api();
    let started = false;
    const sub = runBus.onDidStartRun(() => { started = true; });
    try {
      await vscode.commands.executeCommand('fanout.run', fixture('mcp-typo.toolplan.json'));
    } finally {
      sub.dispose();
    }
    assert.equal(started, false, 'nothing ran');
  });

  it('lists the servers when a plan is opened and shows unknown-tool and invalid-arguments at the call', async () => {
    const uri = fixture('mcp-check.toolplan.json');
    const entry = join(repoRoot(), 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
    const text = JSON.stringify({
      mcpServers: { ev: { command: process.execPath, args: [entry, 'stdio'] } },
      tools: [
        { id: 'typo', kind: 'mcp', timeoutMs: 5000, args: { server: 'ev', tool: 'ecko', input: { message: 'hi' } } },
        { id: 'wrong', kind: 'mcp', timeoutMs: 5000, args: { server: 'ev', tool: 'get-sum', input: { a: 'one', b: 2 } } },
      ],
    }, null, 2);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    let found: vscode.Diagnostic[] = [];
    for (let k = 0; k < 200; k++) {
      found = vscode.languages.getDiagnostics(uri).filter((d) => typeof d.code === 'object' && ['unknown-tool', 'invalid-arguments'].includes(String(d.code.value)));
      if (found.length >= 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const byCode = new Map(found.map((d) => [String((d.code as { value: string }).value), d]));
    const typo = byCode.get('unknown-tool');
    const wrong = byCode.get('invalid-arguments');
    assert.ok(typo && wrong, `diagnostics: ${found.map((d) => d.message).join(' | ')}`);
    assert.match(typo.message, /has no tool 'ecko' — did you mean 'echo'\?/);
    // At the call: the squiggle covers the call's args, the text that names the tool.
    assert.match(doc.getText(typo.range), /^\{[\s\S]*"tool": "ecko"[\s\S]*\}$/);
    assert.match(doc.getText(wrong.range), /"a": "one"/);
    assert.match(wrong.message, /input\.a must be number/);
    assert.equal(wrong.severity, vscode.DiagnosticSeverity.Error);
  });
});

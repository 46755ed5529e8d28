// Every command the extension contributes is really registered once it is active.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMANDS } from '../../../src/extension/runBus';
import { api, extension } from '../helpers';

describe('commands', () => {
  before(async () => {
    await api();
  });

  it('registers every command contributed in package.json', async () => {
    const contributed = (extension().packageJSON.contributes?.commands ?? []) as { command: string }[];
    assert.ok(contributed.length >= Object.keys(COMMANDS).length, 'package.json contributes the shared command ids');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });
});

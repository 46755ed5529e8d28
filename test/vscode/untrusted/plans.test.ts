// Restricted Mode: a plan with shell tools is refused (nothing runs), simulation still works.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunRecord } from '../../../src/core/engine/types';
import { COMMANDS } from '../../../src/extension/runBus';
import { api, fixture, runAndWait, sleep, workspaceRoot } from '../helpers';

describe('plans: untrusted workspace', () => {
  it('refuses to run shell tools, starts no run, and writes nothing', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const { runBus } = await api();
    let started = false;
    const sub = runBus.onDidStartRun(() => { started = true; });
    try {
      const record = await vscode.commands.executeCommand<RunRecord | undefined>(COMMANDS.run, fixture('shell.toolplan.yaml'));
      assert.equal(record, undefined);
      await sleep(300);
      assert.equal(started, false);
      await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(vscode.Uri.joinPath(workspaceRoot(), 'fanout-shell-ran.txt'))));
    } finally {
      sub.dispose();
    }
  });

  it('still simulates the same plan (nothing is executed)', async () => {
    const ended = await runAndWait(COMMANDS.simulate, fixture('shell.toolplan.yaml'));
    assert.equal(ended.record.status, 'succeeded');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(vscode.Uri.joinPath(workspaceRoot(), 'fanout-shell-ran.txt'))));
  });
});

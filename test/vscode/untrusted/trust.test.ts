// Restricted Mode: VS Code opened the workspace without trusting it (the runner's second launch,
// with workspace trust enabled and no startup prompt). Shell tools never run; plans without side
// effects still do (plans.test.ts next to this file checks simulation). The runner turns the
// confirmation dialog off, so only the trust check stands between this plan and the shell.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, extension, fixture, runAndWait, sleep } from '../helpers';

describe('untrusted workspace', () => {
  it('is really untrusted, and the extension still runs there', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the runner opened this workspace untrusted');
    const manifest = extension().packageJSON;
    assert.equal(manifest.capabilities?.untrustedWorkspaces?.supported, 'limited',
      'package.json declares limited support, so an installed (not only a development) copy is enabled in Restricted Mode');
    await api();
  });

  it('has the shell confirmation turned off, so only the trust check can stop a shell tool', () => {
    assert.equal(vscode.workspace.getConfiguration('fanout').get('confirmShellAndHttp'), false);
  });

  it('refuses to run a plan with shell tools: no run starts and the command never executes', async () => {
    const { runBus } = await api();
    const uri = fixture('shell.toolplan.yaml');
    let started = 0;
    const sub = runBus.onDidStartRun((e) => { if (e.uri === uri.toString()) started++; });
    try {
      const result = await vscode.commands.executeCommand('fanout.run', uri);
      assert.equal(result, undefined, 'fanout.run resolves without a run record');
      await sleep(1000); // a run that slipped through would have written the marker by now
      assert.equal(started, 0, 'no run started');
      const marker = fixture('fanout-shell-ran.txt');
      const exists = await vscode.workspace.fs.stat(marker).then(() => true, () => false);
      assert.equal(exists, false, 'the shell command did not run');
    } finally {
      sub.dispose();
    }
  });

  it('runs a plan of simulate tools only', async () => {
    const { record } = await runAndWait('fanout.run', fixture('basic.toolplan.yaml'));
    assert.equal(record.status, 'succeeded');
  });

  it('refuses to run a code exercise\'s tests: the learner\'s code runs only in a trusted workspace', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('fanout.openExercise', 'tool-result-messages');
    assert.ok(uri, 'the exercise opens (reading and editing are fine in Restricted Mode)');
    const answer = await vscode.commands.executeCommand<{ type: string; message?: string } | undefined>('fanout.runExerciseTests', 'tool-result-messages');
    assert.equal(answer?.type, 'check-failed');
    assert.match(answer?.message ?? '', /^Run tests runs your code on this machine, so Fanout does it only in a trusted workspace/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});

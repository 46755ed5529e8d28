// The control for untrusted/trust.test.ts: in a trusted workspace the same shell plan does run.
// A test cannot click the confirmation dialog (VS Code refuses dialogs in tests), so it is turned
// off in the user settings for this test, as the runner does for the untrusted launch.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, closeAllEditors, fixture, runAndWait } from '../helpers';
import { withSettings } from '../settings';

describe('shell tools (trusted workspace)', () => {
  withSettings({ confirmShellAndHttp: false });
  before(async () => {
    await api();
  });
  after(closeAllEditors);

  it('run for real when the workspace is trusted', async () => {
    assert.equal(vscode.workspace.isTrusted, true);
    const marker = fixture('fanout-shell-ran.txt');
    await vscode.workspace.fs.delete(marker).then(undefined, () => undefined);
    const { record } = await runAndWait('fanout.run', fixture('shell.toolplan.yaml'));
    const greet = record.tools.find((t) => t.id === 'greet');
    assert.equal(greet?.status, 'succeeded', greet?.error ?? '');
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(marker));
    assert.equal(text.trim(), 'hello');
    await vscode.workspace.fs.delete(marker);
  });
});

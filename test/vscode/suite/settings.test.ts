// The suites' settings helper (test/vscode/settings.ts) in the real host: what it restores is what
// the user had, a value or none, so one suite's settings never leak into the next.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { setSettings } from '../settings';

const user = <T>(key: string): T | undefined => vscode.workspace.getConfiguration('fanout').inspect<T>(key)?.globalValue;

describe('test settings helper', () => {
  it('sets user settings and restores each one as it was: a user value, or none', async () => {
    const config = vscode.workspace.getConfiguration('fanout');
    const original = { historySize: user<number>('historySize'), streamPolicy: user<string>('streamPolicy') };
    try {
      await config.update('historySize', 7, vscode.ConfigurationTarget.Global);
      await config.update('streamPolicy', undefined, vscode.ConfigurationTarget.Global);
      const restore = await setSettings({ historySize: 3, streamPolicy: 'wait-for-end' });
      assert.equal(vscode.workspace.getConfiguration('fanout').get('historySize'), 3);
      assert.equal(vscode.workspace.getConfiguration('fanout').get('streamPolicy'), 'wait-for-end');
      await restore();
      assert.equal(user('historySize'), 7, 'the user value is back');
      assert.equal(user('streamPolicy'), undefined, 'a setting the user had not set is unset again');
    } finally {
      await config.update('historySize', original.historySize, vscode.ConfigurationTarget.Global);
      await config.update('streamPolicy', original.streamPolicy, vscode.ConfigurationTarget.Global);
    }
  });
});

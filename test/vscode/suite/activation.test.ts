// The extension as VS Code sees it: activation from package.json's events, and the manifest's
// command list matching the ids the features share.
import * as assert from 'node:assert/strict';
import { COMMANDS } from '../../../src/extension/runBus';
import { extension, openFixture, waitFor } from '../helpers';

describe('activation', () => {
  it('activates on its own when a plan file is in the workspace and opened', async () => {
    // No explicit activate(): VS Code must do it from package.json's activation events.
    await openFixture('basic.toolplan.yaml');
    const ext = extension();
    await waitFor('the extension to activate', () => ext.isActive, 15_000);
    assert.ok(ext.exports?.runBus, 'activate() returns { runBus }');
    assert.equal(typeof ext.exports.runBus.onDidEndRun, 'function');
  });

  it('contributes every command id the features share (runBus COMMANDS)', () => {
    const contributed = new Set(((extension().packageJSON.contributes?.commands ?? []) as { command: string }[]).map((c) => c.command));
    const missing = Object.values(COMMANDS).filter((id) => !contributed.has(id));
    assert.deepEqual(missing, [], `COMMANDS not in package.json: ${missing.join(', ')}`);
  });
});

// The extension as VS Code sees it: activation from package.json's events, and the manifest's
// command list matching the ids the features share.
import * as assert from 'node:assert/strict';
import { COMMANDS } from '../../../src/extension/runBus';
import { extension, openFixture, reportFigure, waitFor } from '../helpers';

describe('activation', () => {
  it('activates on its own when a plan file is in the workspace and opened', async () => {
    // No explicit activate(): VS Code must do it from package.json's activation events.
    await openFixture('basic.toolplan.yaml');
    const ext = extension();
    await waitFor('the extension to activate', () => ext.isActive, 15_000);
    assert.ok(ext.exports?.runBus, 'activate() returns { runBus }');
    assert.equal(typeof ext.exports.runBus.onDidEndRun, 'function');
  });

  it('is the installed VSIX when the runner says so (--vsix), else the development copy', () => {
    const path = extension().extensionPath.replace(/\\/g, '/');
    if (process.env.FANOUT_VSCODE_INSTALLED === '1') {
      assert.match(path, /\/extensions\/fanout-dev\.fanout-[^/]+$/, `loaded from ${path}, not the sandbox's extensions folder`);
    } else {
      assert.doesNotMatch(path, /\/extensions\/fanout-dev\.fanout-/, `a development run loaded an installed copy from ${path}`);
    }
  });

  it('reports what activation cost in this host (module evaluation and activate())', async () => {
    const ext = extension();
    await waitFor('the extension to activate', () => ext.isActive, 15_000);
    const t = ext.exports.activation;
    assert.ok(t, 'activate() returns { activation }');
    assert.ok(Number.isFinite(t.activateMs) && t.activateMs >= 0, `activateMs is ${t.activateMs}`);
    // dist/extension.js's banner and footer stamp its first and last lines (scripts/build.mjs).
    assert.ok(typeof t.loadMs === 'number' && Number.isFinite(t.loadMs) && t.loadMs >= 0, `loadMs is ${t.loadMs}`);
    assert.ok(typeof t.hostMs === 'number' && Number.isFinite(t.hostMs) && t.hostMs >= 0, `hostMs is ${t.hostMs}`);
    reportFigure('activation', `modules ${t.loadMs.toFixed(1)} ms + activate() ${t.activateMs.toFixed(1)} ms (the host's own ${t.hostMs.toFixed(0)} ms between them not counted)`);
  });

  it('contributes every command id the features share (runBus COMMANDS)', () => {
    const contributed = new Set(((extension().packageJSON.contributes?.commands ?? []) as { command: string }[]).map((c) => c.command));
    const missing = Object.values(COMMANDS).filter((id) => !contributed.has(id));
    assert.deepEqual(missing, [], `COMMANDS not in package.json: ${missing.join(', ')}`);
  });
});

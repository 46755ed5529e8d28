// The two webview panels as VS Code sees them: tabs of the right view type, one per plan document
// for the plan view, one for the lessons.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { LESSONS_VIEW_TYPE } from '../../../src/protocol/lessons';
import { PLAN_VIEW_TYPE } from '../../../src/protocol/planView';
import { api, closeAllEditors, fixture, openFixture, sleep, waitFor } from '../helpers';

/** Open webview tabs of one view type (VS Code prefixes extension view types internally). */
function webviewTabs(viewType: string): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && (t.input.viewType === viewType || t.input.viewType.endsWith(`-${viewType}`)));
}

describe('panels', () => {
  before(async () => {
    await api();
    await closeAllEditors();
  });
  afterEach(closeAllEditors);

  it('Show Plan Graph opens one plan view per document, and reuses it', async () => {
    await openFixture('basic.toolplan.yaml');
    await vscode.commands.executeCommand('fanout.showGraph', fixture('basic.toolplan.yaml'));
    await waitFor('a plan view tab', () => webviewTabs(PLAN_VIEW_TYPE).length === 1);
    await vscode.commands.executeCommand('fanout.showGraph', fixture('basic.toolplan.yaml'));
    await vscode.commands.executeCommand('fanout.showGraph', fixture('pitfalls.toolplan.yaml'));
    await waitFor('a second plan view, for the other plan', () => webviewTabs(PLAN_VIEW_TYPE).length === 2);
    await sleep(500); // a duplicate panel would have appeared by now
    assert.equal(webviewTabs(PLAN_VIEW_TYPE).length, 2, 'showing the same plan again reused its panel');
  });

  it('Open Lessons and Start Quiz share the one lessons panel', async () => {
    await vscode.commands.executeCommand('fanout.openLessons');
    await waitFor('the lessons tab', () => webviewTabs(LESSONS_VIEW_TYPE).length === 1);
    await vscode.commands.executeCommand('fanout.startQuiz');
    await vscode.commands.executeCommand('fanout.openLessons', 'dependencies');
    await sleep(500); // a duplicate panel would have appeared by now
    assert.equal(webviewTabs(LESSONS_VIEW_TYPE).length, 1);
  });
});

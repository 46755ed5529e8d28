// Analyze and Run on a document that is not a plan (README, "In VS Code"): no diagnostics unless
// text is selected, fenced blocks offered, failed selections leave nothing behind, a selection
// with its fence lines opens the plan view, and diagnostics carry at most 5 related entries.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { PLAN_VIEW_TYPE } from '../../../src/protocol/planView';
import { api, closeAllEditors, codeOf, fanoutDiagnostics, openFixture, sleep, waitFor, workspaceRoot } from '../helpers';

interface AnalyzeResult { selection: boolean; valid: boolean; tools: number; view?: string }

function planViewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && (t.input.viewType === PLAN_VIEW_TYPE || t.input.viewType.endsWith(`-${PLAN_VIEW_TYPE}`)));
}

let scratch = 0;
async function untitled(content: string, extension: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), `note-${Date.now()}-${++scratch}.${extension}`).with({ scheme: 'untitled' }));
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  await editor.edit((b) => b.insert(new vscode.Position(0, 0), content));
  return editor;
}

describe('non-plan documents', () => {
  before(async () => { await api(); await closeAllEditors(); });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await closeAllEditors();
  });

  it('Run and Analyze on a note with nothing selected publish no diagnostics', async () => {
    const editor = await untitled('# Notes\n\n- buy milk: 2 litres\n- call: Bob\n  at: 5 pm\n\n{ not yaml ]\n', 'md');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const run = await vscode.commands.executeCommand('fanout.run');
    assert.equal(run, undefined);
    const analyzed = await vscode.commands.executeCommand<AnalyzeResult | undefined>('fanout.analyze');
    assert.equal(analyzed, undefined, 'no fenced plan: nothing analysed');
    await sleep(300);
    assert.deepEqual(fanoutDiagnostics(editor.document.uri), []);
  });

  it('a JSON file that is not a payload gets no diagnostics; a payload is analysed whole', async () => {
    const other = await untitled('{ "name": "settings", "port": 8080 }\n', 'json');
    assert.equal(await vscode.commands.executeCommand('fanout.analyze'), undefined);
    assert.deepEqual(fanoutDiagnostics(other.document.uri), []);
    await untitled('{ "tool_calls": [ { "id": "c1", "type": "function", "function": { "name": "search", "arguments": "{}" } } ] }\n', 'json');
    const result = await vscode.commands.executeCommand<AnalyzeResult>('fanout.analyze');
    assert.equal(result.tools, 1);
    assert.equal(result.selection, false);
  });

  it('a Markdown note offers its fenced plans; the picked block opens in the plan view', async () => {
    const editor = await openFixture('notes.md');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const pending = vscode.commands.executeCommand<AnalyzeResult | undefined>('fanout.analyze');
    // Only the YAML plan is offered (the bash block is not one): accepting takes it.
    await sleep(800);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const result = await pending;
    assert.ok(result, 'a block was analysed');
    assert.equal(result.tools, 3);
    assert.ok(result.view?.startsWith('fanout-selection:'), result.view);
    await waitFor('the plan view for the block', () => planViewTabs().length === 1);
    const d = fanoutDiagnostics(editor.document.uri).find((x) => codeOf(x) === 'undeclared-dependency');
    assert.ok(d, 'the block\'s diagnostics are on the note');
    assert.equal(d.range.start.line, 20, 'tool total\'s args, on the real line of the note');
    // The selection document holds the block without its fences.
    const virtual = await vscode.workspace.openTextDocument(vscode.Uri.parse(result.view!));
    assert.match(virtual.getText(), /^name: Trip lookups\n/);
    assert.doesNotMatch(virtual.getText(), /```/);
  });

  it('a selection that includes the fence lines works, with positions in the real document', async () => {
    const editor = await openFixture('notes.md');
    const text = editor.document.getText();
    const open = text.indexOf('```yaml');
    const close = text.indexOf('```', open + 3) + 3;
    editor.selection = new vscode.Selection(editor.document.positionAt(open), editor.document.positionAt(close));
    const result = await vscode.commands.executeCommand<AnalyzeResult>('fanout.analyze');
    assert.equal(result.selection, true);
    assert.equal(result.tools, 3);
    const d = fanoutDiagnostics(editor.document.uri).find((x) => codeOf(x) === 'undeclared-dependency');
    assert.ok(d);
    assert.equal(d.range.start.line, 20);
    await waitFor('the plan view for the selection', () => planViewTabs().length === 1);
  });

  it('a failed selection analysis leaves no diagnostics behind', async () => {
    const editor = await openFixture('notes.md');
    editor.selection = new vscode.Selection(2, 0, 5, 0);
    const result = await vscode.commands.executeCommand<AnalyzeResult>('fanout.analyze');
    assert.equal(result.valid, false);
    assert.equal(result.view, undefined);
    await sleep(300);
    assert.deepEqual(fanoutDiagnostics(editor.document.uri), []);
    assert.equal(planViewTabs().length, 0, 'no plan view for a selection that is not a plan');
  });

  it('Run on a note\'s selection runs it as a plan, and leaves the note without diagnostics when it is not one', async () => {
    const { runBus } = await api();
    const editor = await openFixture('notes.md');
    editor.selection = new vscode.Selection(2, 0, 5, 0);
    assert.equal(await vscode.commands.executeCommand('fanout.run'), undefined);
    assert.deepEqual(fanoutDiagnostics(editor.document.uri), []);
    const text = editor.document.getText();
    const start = text.indexOf('name: Trip lookups');
    editor.selection = new vscode.Selection(editor.document.positionAt(start), editor.document.positionAt(text.indexOf('```', start)));
    const ended = new Promise<string>((resolve) => { const sub = runBus.onDidEndRun((e) => { sub.dispose(); resolve(e.uri); }); });
    await vscode.commands.executeCommand('fanout.simulate');
    assert.match(await ended, /^fanout-selection:/);
  });

  it('a diagnostic has at most 5 related entries and its message counts every tool', async () => {
    const plan = JSON.stringify({ tools: Array.from({ length: 20 }, (_, i) => ({ id: `search${i + 1}`, kind: 'simulate', resource: 'search', args: { durationMs: 5 } })) }, null, 2);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), `wide-${Date.now()}.toolplan.json`).with({ scheme: 'untitled' }));
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), plan));
    await vscode.commands.executeCommand('fanout.analyze', doc.uri);
    const ds = fanoutDiagnostics(doc.uri).filter((d) => codeOf(d) === 'unbounded-concurrency');
    assert.ok(ds.length >= 1, 'unbounded-concurrency reported');
    for (const d of ds) {
      assert.ok((d.relatedInformation?.length ?? 0) <= 5, `${d.relatedInformation?.length} related entries`);
      assert.match(d.message, /and 15 more/);
    }
  });
});

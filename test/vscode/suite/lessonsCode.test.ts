// Code exercises in the real extension host: "Fanout: Open Exercise" puts the learner's copy in
// the editor, and "Fanout: Run Exercise Tests" (the Lab's Run tests) runs the hidden tests against
// what is in the editor — saved or not — in a real node child process, and answers one result
// per test. (In Restricted Mode it refuses: test/vscode/untrusted/trust.test.ts.)
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HostToView } from '../../../src/protocol/lessons';
import { api, extension } from '../helpers';

type Answer = Extract<HostToView, { type: 'grade' | 'check-failed' }>;

async function courseFile(path: string): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension().extensionUri, ...path.split('/'))));
}

async function setText(editor: vscode.TextEditor, text: string): Promise<void> {
  const doc = editor.document;
  const ok = await editor.edit((b) => b.replace(new vscode.Range(0, 0, doc.lineCount, 0), text));
  assert.ok(ok, 'the edit applied');
}

describe('code exercises: Run Exercise Tests runs the hidden tests in the host', function () {
  this.timeout(120_000);
  before(async () => {
    await api();
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('Open Exercise opens the learner\'s copy; Run Exercise Tests grades the editor\'s text with node: the start fails, the solution passes', async () => {
    assert.equal(vscode.workspace.isTrusted, true);
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('fanout.openExercise', 'tool-result-messages');
    assert.ok(uri, 'Open Exercise returns the copy\'s URI');
    assert.match(uri.path, /\/exercises\/tool-result-messages\/tool-result-messages\.mjs$/);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && editor.document.uri.toString() === uri.toString(), 'the copy is the active editor');
    assert.equal(editor.document.getText(), await courseFile('lessons/exercises/tool-result-messages/start.mjs'), 'it starts as the starting file');

    const first = await vscode.commands.executeCommand<Answer | undefined>('fanout.runExerciseTests');
    assert.ok(first, 'an answer');
    assert.equal(first.type, 'grade', first.type === 'check-failed' ? first.message : '');
    if (first.type !== 'grade') return;
    assert.equal(first.exercise, 'tool-result-messages', 'the exercise in the active editor');
    assert.equal(first.result.passed, false);
    assert.equal(first.result.checks.length, 7, 'one check per hidden test');
    assert.ok(first.result.checks.some((c) => !c.passed && /paired by tool_call_id/.test(c.label)), JSON.stringify(first.result.checks));
    assert.match(first.result.runtime ?? '', /^node \d+\./, 'run by node');

    // Unsaved edits count: the reference solution, typed into the editor, passes.
    await setText(editor, await courseFile('lessons/exercises/tool-result-messages/solution.mjs'));
    assert.equal(editor.document.isDirty, true);
    const second = await vscode.commands.executeCommand<Answer | undefined>('fanout.runExerciseTests', 'tool-result-messages');
    assert.ok(second && second.type === 'grade', JSON.stringify(second));
    assert.equal(second.result.passed, true, second.result.checks.filter((c) => !c.passed).map((c) => `${c.label}: ${c.message}`).join('\n'));
    assert.ok(second.result.checks.every((c) => c.passed));
  });
});

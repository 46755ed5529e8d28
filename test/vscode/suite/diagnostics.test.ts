// Analyze puts the core's diagnostics in VS Code at the right places, and a quick fix edits the
// document as the core computed it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, closeAllEditors, codeOf, fanoutDiagnostics, fixture, openFixture, waitFor } from '../helpers';

const PITFALLS_FIXED = `name: Pitfalls
maxConcurrency: 2
tools:
  - id: search
    kind: simulate
    args: { durationMs: 100, result: { hits: 4 } }
  - id: summary
    kind: simulate
    args: { durationMs: 50, result: "Found \${search.output.hits}" }
    dependsOn: [search]
`;

function withCode(uri: vscode.Uri, code: string): vscode.Diagnostic[] {
  return fanoutDiagnostics(uri).filter((d) => codeOf(d) === code);
}

describe('diagnostics', () => {
  before(async () => {
    await api();
  });
  afterEach(async () => {
    // Quick-fix tests leave dirty editors: put the committed text back. Not by the Revert command,
    // which acts on whichever editor is active: under load that was not yet this one, the fix stayed
    // in the document, and later tests reading the fixture saw no warning.
    for (const doc of vscode.workspace.textDocuments) {
      if (!doc.isDirty || doc.uri.scheme !== 'file') continue;
      const onDisk = new TextDecoder().decode(await vscode.workspace.fs.readFile(doc.uri));
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), onDisk);
      assert.ok(await vscode.workspace.applyEdit(edit), `restore ${doc.uri.fsPath}`);
      assert.ok(await doc.save(), `save ${doc.uri.fsPath}`);
      assert.equal(doc.getText(), onDisk, `${doc.uri.fsPath} is back as committed`);
    }
    await closeAllEditors();
  });

  it('Analyze reports undeclared-dependency on the args of the tool that reads ${search.output} (YAML)', async () => {
    const uri = fixture('pitfalls.toolplan.yaml');
    const doc = (await openFixture('pitfalls.toolplan.yaml')).document;
    await vscode.commands.executeCommand('fanout.analyze', uri);
    const [d] = await waitFor('an undeclared-dependency diagnostic', () => {
      const found = withCode(uri, 'undeclared-dependency');
      return found.length > 0 && found;
    });
    assert.equal(withCode(uri, 'undeclared-dependency').length, 1, 'one diagnostic per tool');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(d.source, 'Fanout');
    // Line 9, column 11 (1-based) is where `args:` of tool 'summary' has its value.
    assert.deepEqual([d.range.start.line, d.range.start.character], [8, 10]);
    assert.equal(doc.getText(d.range).trim(), '{ durationMs: 50, result: "Found ${search.output.hits}" }');
    assert.match(d.message, /summary/);
    assert.match(d.message, /search/);
    // The code links to the lesson that explains it.
    assert.ok(typeof d.code === 'object' && d.code.target instanceof vscode.Uri, 'the code carries a lesson link');
  });

  it('Analyze reports unknown-dependency as an error on the bad id (JSON)', async () => {
    const uri = fixture('errors.toolplan.json');
    const doc = (await openFixture('errors.toolplan.json')).document;
    await vscode.commands.executeCommand('fanout.analyze', uri);
    const [d] = await waitFor('an unknown-dependency diagnostic', () => {
      const found = withCode(uri, 'unknown-dependency');
      return found.length > 0 && found;
    });
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character], [4, 86, 4, 95]);
    assert.equal(doc.getText(d.range), '"nowhere"');
  });

  it('a clean plan has no Fanout errors or warnings', async () => {
    const uri = fixture('basic.toolplan.yaml');
    await openFixture('basic.toolplan.yaml');
    await vscode.commands.executeCommand('fanout.analyze', uri);
    // Analysis is synchronous inside the command; give the collection a moment to settle anyway.
    const bad = fanoutDiagnostics(uri).filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning);
    assert.deepEqual(bad.map((d) => `${codeOf(d)}: ${d.message}`), []);
  });

  it('the quick fix adds the missing dependency, and the warning goes away', async () => {
    const uri = fixture('pitfalls.toolplan.yaml');
    const editor = await openFixture('pitfalls.toolplan.yaml');
    await vscode.commands.executeCommand('fanout.analyze', uri);
    const [d] = await waitFor('an undeclared-dependency diagnostic', () => {
      const found = withCode(uri, 'undeclared-dependency');
      return found.length > 0 && found;
    });
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.edit && /dependsOn/.test(a.title));
    assert.ok(fix, `a quick fix that edits dependsOn; got: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.title, "Add 'search' to dependsOn of 'summary'");
    assert.ok(await vscode.workspace.applyEdit(fix.edit!), 'applyEdit succeeds');
    assert.equal(editor.document.getText(), PITFALLS_FIXED);
    await waitFor('the undeclared-dependency warning to clear', () => withCode(uri, 'undeclared-dependency').length === 0);
  });

  it('offers "Learn why" next to the fix', async () => {
    const uri = fixture('pitfalls.toolplan.yaml');
    await openFixture('pitfalls.toolplan.yaml');
    await vscode.commands.executeCommand('fanout.analyze', uri);
    const [d] = await waitFor('an undeclared-dependency diagnostic', () => {
      const found = withCode(uri, 'undeclared-dependency');
      return found.length > 0 && found;
    });
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range);
    const learn = actions.find((a) => a.command?.command === 'fanout.openLessons');
    assert.ok(learn, `a Learn-why action; got: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(typeof learn.command?.arguments?.[0], 'string');
  });
});

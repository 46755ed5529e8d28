// Selection analysis in the real host for every import format (issue 13, "In the editor"): one
// recorded payload of each format pasted into a Markdown note, selected, and analysed with
// `fanout.analyze`: the command reports the format and every call, and the plan view opens on it.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { FORMAT_SAMPLES } from '../../unit/helpers/formatSamples';
import { api, closeAllEditors, repoRoot, workspaceRoot } from '../helpers';

interface AnalyzeResult { selection: boolean; valid: boolean; format?: string; tools: number; view?: string; diagnostics: { severity: string; message: string }[] }

let scratch = 0;
async function untitledNote(content: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), `imports-${Date.now()}-${++scratch}.md`).with({ scheme: 'untitled' }));
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  await editor.edit((b) => b.insert(new vscode.Position(0, 0), content));
  return editor;
}

describe('import formats: a selected payload of every format is analysed', () => {
  before(async () => { await api(); await closeAllEditors(); });
  after(closeAllEditors);

  it('every format, selected in a note, is analysed as its format with all its calls', async function () {
    this.timeout(120_000);
    for (const sample of FORMAT_SAMPLES) {
      const payload = readFileSync(join(repoRoot(), sample.file), 'utf8').replace(/\s+$/, '');
      const note = `# What the agent sent\n\n\`\`\`text\n${payload}\n\`\`\`\n`;
      const editor = await untitledNote(note);
      const start = note.indexOf(payload);
      editor.selection = new vscode.Selection(editor.document.positionAt(start), editor.document.positionAt(start + payload.length));
      const result = await vscode.commands.executeCommand<AnalyzeResult | undefined>('fanout.analyze');
      assert.ok(result, `${sample.file}: nothing analysed`);
      assert.equal(result.selection, true, sample.file);
      assert.equal(result.format, sample.format, `${sample.file}: ${result.diagnostics.map((d) => d.message).join('\n')}`);
      assert.equal(result.valid, true, `${sample.file}: ${result.diagnostics.map((d) => d.message).join('\n')}`);
      if (sample.calls.length > 0) assert.equal(result.tools, sample.calls.length, sample.file);
      assert.ok(result.view?.startsWith('fanout-selection:'), `${sample.file}: the plan view opens on the selection (${result.view})`);
      await closeAllEditors();
    }
  });
});

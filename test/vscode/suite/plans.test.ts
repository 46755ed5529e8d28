// The plans feature inside a real extension host: diagnostics with Learn-why links, quick fixes,
// CodeLens, Analyze on a selection, runs and simulations end to end, vscode.* runners, history,
// trace export, samples. Observed through VS Code's API and the extension's commands.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMANDS } from '../../../src/extension/runBus';
import type { RunRecord } from '../../../src/core/engine/types';
import { api, closeAllEditors, codeOf, fanoutDiagnostics, fixture, openFixture, runAndWait, waitFor, workspaceRoot } from '../helpers';
import { withSettings } from '../settings';

let scratchCount = 0;

/**
 * A new untitled document with a unique name: "Untitled-N" names are reused once closed, and a
 * run still going for an older document of the same name would be mistaken for this one's.
 */
async function untitled(content: string, extension: string): Promise<vscode.TextEditor> {
  const name = `scratch-${Date.now()}-${++scratchCount}.${extension}`;
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), name).with({ scheme: 'untitled' }));
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  await editor.edit((b) => b.insert(new vscode.Position(0, 0), content));
  return editor;
}

describe('plans: analysis in the editor', () => {
  before(async () => { await api(); });
  afterEach(closeAllEditors);

  it('publishes diagnostics at the right range, with a Learn-why link to the lesson', async () => {
    const editor = await openFixture('pitfalls.toolplan.yaml');
    const uri = editor.document.uri;
    const d = await waitFor('an undeclared-dependency diagnostic', () => fanoutDiagnostics(uri).find((x) => codeOf(x) === 'undeclared-dependency'));
    assert.equal(d.source, 'Fanout');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(d.range.start.line, 8, 'on the reference in the summary tool (0-based line 8)');
    const code = d.code as { value: string; target: vscode.Uri };
    assert.equal(code.target.scheme, 'command');
    assert.equal(code.target.path, COMMANDS.openLessons);
    assert.deepEqual(JSON.parse(decodeURIComponent(code.target.query)), ['dependencies', 'undeclared-dependency'], 'the lesson step, then the code whose section it opens on');
  });

  it('offers the mechanical fix as a preferred quick fix, and applying it clears the warning', async () => {
    const text = (await vscode.workspace.openTextDocument(fixture('pitfalls.toolplan.yaml'))).getText();
    const editor = await untitled(text, 'yaml');
    // An untitled YAML document is not a plan file: analyse it by command.
    await vscode.commands.executeCommand(COMMANDS.analyze, editor.document.uri);
    const uri = editor.document.uri;
    const d = await waitFor('the warning', () => fanoutDiagnostics(uri).find((x) => codeOf(x) === 'undeclared-dependency'));
    // The workbench reads diagnostics from its marker service, which the publish reaches asynchronously.
    const actions = await waitFor('code actions for the warning', async () => {
      const list = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
      return list.length > 0 && list;
    });
    const fix = actions.find((a) => a.edit && a.isPreferred);
    assert.ok(fix?.edit, `a preferred fix among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(actions.some((a) => a.title.startsWith('Learn why') && a.command?.command === COMMANDS.openLessons));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(editor.document.getText(), /dependsOn:\s*\[?\s*-?\s*search/);
    // The edit invalidates diagnostics of a non-plan document; analysing again finds no warning.
    await vscode.commands.executeCommand(COMMANDS.analyze, uri);
    assert.equal(fanoutDiagnostics(uri).filter((x) => codeOf(x) === 'undeclared-dependency').length, 0);
  });

  it('shows Run · Simulate · Graph and a summary as CodeLens above a plan', async () => {
    const editor = await openFixture('basic.toolplan.yaml');
    const lenses = await waitFor('code lenses', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
      return l && l.length >= 4 ? l : undefined;
    });
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.some((t) => t.includes('Run')), titles.join(' | '));
    assert.ok(titles.includes('Simulate'));
    assert.ok(titles.includes('Graph'));
    assert.ok(titles.some((t) => /4 tools · critical path/.test(t)), titles.join(' | '));
    assert.equal(lenses[0].range.start.line, 2, 'on the tools key');
  });

  it('puts the CodeLens on the tools key before the plan parses, and keeps it there once it does', async () => {
    // JSON with name and maxConcurrency first: the tools key is on line 3. Unfinished, the plan has
    // no analysis, so the lens comes from the line scan (toolsKeyLine), not from the parser.
    const head = '{\n  "name": "lens line",\n  "maxConcurrency": 2,\n  "tools": [\n    { "id": "a", "kind": "simulate", "args": { "durationMs": 5 } }';
    const editor = await untitled(head, 'toolplan.json');
    const lensesOf = async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri)) ?? [];
    const early = await waitFor('code lenses of the unfinished plan', async () => {
      const l = await lensesOf();
      return l.length > 0 ? l : undefined;
    });
    assert.equal(early.length, 3, `Run · Simulate · Graph, no summary without an analysis: ${early.map((l) => l.command?.title).join(' | ')}`);
    assert.deepEqual(early.map((l) => l.range.start.line), [3, 3, 3], 'on the tools key, from the line scan');
    await editor.edit((b) => b.insert(editor.document.positionAt(head.length), '\n  ]\n}\n'));
    const parsed = await waitFor('code lenses with the summary', async () => {
      const l = await lensesOf();
      return l.length >= 4 ? l : undefined;
    });
    assert.deepEqual(parsed.map((l) => l.range.start.line), [3, 3, 3, 3], 'the same line once the parser places it');
  });

  it('analyses a selection in any document and maps ranges into it', async () => {
    const plan = '{ "tools": [\n  { "id": "a", "kind": "simulate", "args": { "durationMs": 5 } },\n  { "id": "b", "kind": "simulate", "args": { "durationMs": 5, "result": "${a.output}" } }\n] }';
    const md = `# Log\n\nThe model answered:\n\n\`\`\`json\n${plan}\n\`\`\`\n`;
    const editor = await untitled(md, 'md');
    const start = md.indexOf('{ "tools"');
    editor.selection = new vscode.Selection(editor.document.positionAt(start), editor.document.positionAt(start + plan.length));
    const result = await vscode.commands.executeCommand<{ selection: boolean; valid: boolean; tools: number }>(COMMANDS.analyze);
    assert.equal(result.selection, true);
    assert.equal(result.tools, 2);
    const d = fanoutDiagnostics(editor.document.uri).find((x) => codeOf(x) === 'undeclared-dependency');
    assert.ok(d, 'diagnostic published on the markdown document');
    assert.equal(d.range.start.line, 7, 'the line of tool b inside the fence');
  });

  it('refuses to run an invalid plan and says where to look', async () => {
    const { runBus } = await api();
    let started = false;
    const sub = runBus.onDidStartRun(() => { started = true; });
    try {
      const record = await vscode.commands.executeCommand<RunRecord | undefined>(COMMANDS.run, fixture('errors.toolplan.json'));
      assert.equal(record, undefined);
      assert.equal(started, false);
      assert.ok(fanoutDiagnostics(fixture('errors.toolplan.json')).some((d) => codeOf(d) === 'unknown-dependency'));
    } finally {
      sub.dispose();
    }
  });
});

describe('plans: runs', () => {
  withSettings({ confirmShellAndHttp: false });
  before(async () => { await api(); });
  afterEach(closeAllEditors);

  it('simulates a plan: events on the bus, every tool succeeds, the run is in the history', async () => {
    const { runBus } = await api();
    const uri = fixture('basic.toolplan.yaml');
    const seen: string[] = [];
    const sub = runBus.onDidRunEvents((e) => { if (e.uri === uri.toString()) seen.push(...e.events.map((x) => x.type)); });
    try {
      const ended = await runAndWait(COMMANDS.simulate, uri);
      assert.equal(ended.mode, 'simulate');
      assert.equal(ended.record.status, 'succeeded');
      assert.deepEqual(ended.record.tools.map((t) => t.status), ['succeeded', 'succeeded', 'succeeded', 'succeeded']);
      assert.ok(seen.includes('started') && seen.includes('succeeded'), seen.join());
      // Export the trace of that run (by id) to a chosen file: no dialog.
      const dest = vscode.Uri.joinPath(workspaceRoot(), 'basic.trace.json');
      const written = await vscode.commands.executeCommand<vscode.Uri>(COMMANDS.exportTrace, ended.runId, dest);
      assert.equal(written?.toString(), dest.toString());
      const trace = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(dest))) as { traceEvents: { ph: string; name: string }[] };
      assert.ok(trace.traceEvents.filter((e) => e.ph === 'X').length >= 4);
      await vscode.workspace.fs.delete(dest);
    } finally {
      sub.dispose();
    }
  });

  it('runs vscode.command tools, and an unknown LM tool fails that tool only, with a clear message', async () => {
    const calls: unknown[][] = [];
    const reg = vscode.commands.registerCommand('fanoutTest.echo', (...args: unknown[]) => { calls.push(args); return { got: args, uri: vscode.Uri.file('/x') }; });
    try {
      const plan = [
        'name: Host runners',
        'tools:',
        '  - id: cmd',
        '    kind: vscode.command',
        '    args: { command: fanoutTest.echo, args: [1, "two"] }',
        '    timeoutMs: 5000',
        '  - id: lm',
        '    kind: vscode.lm',
        '    args: { tool: no_such_tool_xyz, input: { q: "${cmd.output.got}" } }',
        '    dependsOn: [cmd]',
        '    timeoutMs: 5000',
        '  - id: after',
        '    kind: simulate',
        '    args: { durationMs: 1 }',
        '    dependsOn: [lm]',
        '',
      ].join('\n');
      const editor = await untitled(plan, 'yaml');
      const ended = await runAndWait(COMMANDS.run, editor.document.uri);
      const byId = new Map(ended.record.tools.map((t) => [t.id, t]));
      assert.equal(byId.get('cmd')?.status, 'succeeded');
      assert.deepEqual(calls, [[1, 'two']]);
      assert.deepEqual(byId.get('cmd')?.output, { got: [1, 'two'], uri: 'file:///x' });
      assert.equal(byId.get('lm')?.status, 'failed');
      assert.match(byId.get('lm')?.error ?? '', /No language-model tool named 'no_such_tool_xyz'/);
      assert.equal(byId.get('after')?.status, 'skipped');
      assert.equal(ended.record.status, 'failed');
    } finally {
      reg.dispose();
    }
  });

  it('cancels a running plan with fanout.cancelRun: every tool gets a final state', async () => {
    const plan = 'name: Slow\ntools:\n  - id: a\n    kind: simulate\n    args: { durationMs: 20000 }\n  - id: b\n    kind: simulate\n    args: { durationMs: 20000 }\n    dependsOn: [a]\n';
    const editor = await untitled(plan, 'yaml');
    const { runBus } = await api();
    const mine = editor.document.uri.toString();
    const started = new Promise<void>((resolve) => { const s = runBus.onDidStartRun((e) => { if (e.uri === mine) { s.dispose(); resolve(); } }); });
    const ended = runAndWait(COMMANDS.run, editor.document.uri, 15_000);
    await started;
    await waitFor('the running context', async () => (await vscode.commands.executeCommand<number>(COMMANDS.cancelRun, editor.document.uri)) > 0);
    const info = await ended;
    assert.equal(info.record.status, 'cancelled');
    assert.deepEqual(info.record.tools.map((t) => t.status), ['cancelled', 'cancelled']);
  });

  it('opens a sample as an untitled plan copy that can be simulated', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>(COMMANDS.openSample, 'lessons/samples/parallel-trip.toolplan.json');
    assert.ok(uri, 'the sample opened');
    assert.equal(uri.scheme, 'untitled');
    assert.match(uri.path, /parallel-trip\.toolplan\.json$/);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    assert.ok(doc && doc.getText().includes('"tools"'));
    const ended = await runAndWait(COMMANDS.simulate, uri);
    assert.ok(ended.record.tools.length > 0);
    assert.equal(await vscode.commands.executeCommand(COMMANDS.openSample, '../../package.json'), undefined, 'paths outside lessons/samples are refused');
  });
});

describe('plans: as you type', () => {
  afterEach(closeAllEditors);

  it('re-analyses a plan file shortly after an edit', async () => {
    await api();
    const uri = vscode.Uri.joinPath(workspaceRoot(), `live-${Date.now()}.toolplan.json`).with({ scheme: 'untitled' });
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '{ "tools": [ { "id": "a", "kind": "simulate", "args": { "durationMs": 5 } } ] }'));
    const at = doc.getText().indexOf('"args"');
    await editor.edit((b) => b.insert(doc.positionAt(at), '"dependsOn": ["ghost"], '));
    const d = await waitFor('unknown-dependency after typing', () => fanoutDiagnostics(uri).find((x) => codeOf(x) === 'unknown-dependency'), 5000);
    assert.equal(doc.getText(d.range), '"ghost"');
  });
});

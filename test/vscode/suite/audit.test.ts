// Trace audit in the real extension host: opening a *.otlp.json trace puts its findings in the
// Problems panel with Learn-why links, and `Fanout: Audit Trace…` opens the report beside it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ViewAudit } from '../../../src/protocol/planView';
import { api, closeAllEditors, fixture, openFixture, waitFor } from '../helpers';

const codeValue = (d: vscode.Diagnostic): string => (typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? ''));
const auditDiagnostics = (uri: vscode.Uri): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Fanout');

describe('trace audit', () => {
  before(async () => {
    await api();
  });
  after(() => closeAllEditors());

  it('opening a *.otlp.json trace audits it: serialized-batch at the span, linked to its lesson', async () => {
    const uri = fixture('trip-agent.otlp.json');
    await openFixture('trip-agent.otlp.json');
    const ds = await waitFor('audit diagnostics', () => {
      const found = auditDiagnostics(uri);
      return found.length >= 2 && found;
    });
    assert.deepEqual(ds.map(codeValue).sort(), ['missed-parallelism', 'serialized-batch']);
    const sb = ds.find((d) => codeValue(d) === 'serialized-batch') as vscode.Diagnostic;
    assert.equal(sb.severity, vscode.DiagnosticSeverity.Warning);
    // Line 79, column 18 (1-based): the first call's spanId.
    assert.deepEqual([sb.range.start.line, sb.range.start.character], [78, 17]);
    const target = typeof sb.code === 'object' ? sb.code.target : undefined;
    assert.ok(target, 'the code is a Learn-why link');
    assert.equal(target.scheme, 'command');
    assert.match(decodeURIComponent(target.query), /sequential-baseline/);
  });

  it('Fanout: Audit Trace… shows the trace in the plan view (model lane, tool rows, both schedules, the findings)', async () => {
    const uri = fixture('trip-agent.otlp.json');
    const outcome = (await vscode.commands.executeCommand('fanout.auditTrace', uri)) as {
      reportUri?: vscode.Uri; error?: string; view?: ViewAudit; panel?: { isReady: boolean; shown?: ViewAudit; panel: vscode.WebviewPanel };
    } | undefined;
    assert.ok(outcome?.view && outcome.panel, outcome?.error ?? 'no view');
    const tab = await waitFor('the audit view tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('fanout.auditView')));
    assert.equal(tab.label, 'Audit: trip-agent.otlp.json');
    // The webview said it was ready and was sent the audit (a view that never loads stays not ready).
    // A webview loads only once shown: say where it is if it never gets ready.
    const groups = (): string => vscode.window.tabGroups.all.map((g) => `group ${g.viewColumn}${g.isActive ? ' (active)' : ''}: ${g.tabs.map((t) => `${t.label}${t.isActive ? '*' : ''}`).join(', ')}`).join(' | ');
    await waitFor('the audit view ready', () => outcome.panel?.isReady === true).catch((err: unknown) => {
      throw new Error(`${err instanceof Error ? err.message : String(err)}; panel visible ${outcome.panel?.panel.visible}, active ${outcome.panel?.panel.active}; ${groups()}`);
    });
    const v = outcome.view;
    assert.equal(v.lanes.length, 1);
    assert.deepEqual(v.tools.map((t) => t.label), ['1·search_flights', '1·search_hotels', '2·get_weather']);
    assert.equal(Math.round(v.actualMs), 9000);
    assert.equal(Math.round(v.counterfactualMs), 4970);
    assert.deepEqual(v.diagnostics.map((d) => d.code), ['serialized-batch', 'missed-parallelism']);
    assert.deepEqual([v.tools[0].line, v.tools[0].column], [79, 18]);
    // The text report (the view's "Text report" button) is still served.
    assert.ok(outcome.reportUri);
    const text = (await vscode.workspace.openTextDocument(outcome.reportUri)).getText();
    assert.match(text, /^What happened$/m);
    assert.match(text, /^Scheduled by Fanout/m);
    assert.match(text, /Counterfactual {2}actual 9 s → 4.97 s/);
    outcome.panel.panel.dispose();
  });

  it('an unreadable trace is one positioned parse-error, not a crash', async () => {
    const bad = vscode.Uri.joinPath(fixture('trip-agent.otlp.json'), '..', 'broken.otlp.json');
    await vscode.workspace.fs.writeFile(bad, new TextEncoder().encode('{\n  "resourceSpans": [\n'));
    try {
      const outcome = (await vscode.commands.executeCommand('fanout.auditTrace', bad)) as { error?: string } | undefined;
      assert.match(outcome?.error ?? '', /Not a readable trace/);
      const [d] = auditDiagnostics(bad);
      assert.equal(codeValue(d), 'parse-error');
      assert.equal(d.range.start.line, 2);
    } finally {
      await vscode.workspace.fs.delete(bad);
    }
  });
});

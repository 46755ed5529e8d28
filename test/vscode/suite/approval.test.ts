// Approval lanes in the real extension host (trusted workspace): the quick pick asks once for the
// calls that became ready together while the others run; an unchecked call is denied and its
// dependents skipped; Esc denies the batch. The quick pick is driven with VS Code's own commands.
import * as assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import * as vscode from 'vscode';
import type { RunEvent } from '../../../src/core/engine/types';
import { api, closeAllEditors, fixture, runAndWait } from '../helpers';
import { withSettings } from '../settings';

const TOOLS = `import { writeFileSync } from 'node:fs';
export function mark(input) { writeFileSync(input.file, 'ran'); return 'wrote'; }
`;

/** Resolves when the run of `uri` has calls waiting for approval (the quick pick is up by then). */
async function awaitingApproval(uri: vscode.Uri): Promise<string[]> {
  const { runBus } = await api();
  return new Promise((resolve) => {
    const sub = runBus.onDidRunEvents((e: { uri: string; events: readonly RunEvent[] }) => {
      if (e.uri !== uri.toString()) return;
      const ids = e.events.filter((x) => x.type === 'awaiting-approval').map((x) => (x as { id: string }).id);
      if (ids.length > 0) {
        sub.dispose();
        resolve(ids);
      }
    });
  });
}

describe('approval lanes (trusted workspace)', () => {
  withSettings({ confirmShellAndHttp: false, approveCalls: 'prompt' });
  before(async () => {
    await api();
    await vscode.workspace.fs.writeFile(fixture('approval-tools.mjs'), new TextEncoder().encode(TOOLS));
  });
  after(closeAllEditors);

  const writePlan = async (name: string): Promise<{ uri: vscode.Uri; a: string; b: string }> => {
    const a = fixture(`${name}.a.out`).fsPath;
    const b = fixture(`${name}.b.out`).fsPath;
    rmSync(a, { force: true });
    rmSync(b, { force: true });
    const uri = fixture(`${name}.toolplan.json`);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify({
      name: `Approval ${name}`,
      tools: [
        { id: 'a', kind: 'function', args: { module: './approval-tools.mjs', export: 'mark', input: { file: a } } },
        { id: 'b', kind: 'function', args: { module: './approval-tools.mjs', export: 'mark', input: { file: b } } },
        { id: 'afterA', kind: 'simulate', args: { durationMs: 1 }, dependsOn: ['a'] },
        { id: 'sim', kind: 'simulate', args: { durationMs: 100 } },
      ],
    }, null, 2)));
    return { uri, a, b };
  };

  it('one quick pick for the batch: the unchecked call is denied (never runs), its dependent skipped; the checked one runs', async () => {
    const p = await writePlan('pick');
    const waiting = awaitingApproval(p.uri);
    const run = runAndWait('fanout.run', p.uri, 30_000);
    assert.deepEqual(await waiting, ['a', 'b'], 'both calls in one request');
    await new Promise((r) => setTimeout(r, 300)); // the quick pick opens after the gather
    // Move to the first item (a), uncheck it, then accept.
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.quickPickManyToggle');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const { record } = await run;
    const by = Object.fromEntries(record.tools.map((t) => [t.id, t]));
    assert.equal(by.a.status, 'denied', JSON.stringify(record.tools));
    assert.equal(by.a.error, 'denied by the user');
    assert.equal(by.afterA.status, 'skipped');
    assert.equal(by.afterA.error, "dependency 'a' was denied");
    assert.equal(by.b.status, 'succeeded');
    assert.equal(by.sim.status, 'succeeded');
    assert.ok(by.sim.startedAt !== null && by.sim.startedAt < (by.b.startedAt ?? 0), 'the simulation ran while the prompt was up');
    assert.ok(!existsSync(p.a) && existsSync(p.b));
  });

  it('each row says why its call needs approval; "Allow the rest of this run" starts later calls without a second prompt', async () => {
    const c = fixture('why.c.out').fsPath;
    rmSync(c, { force: true });
    const uri = fixture('why.toolplan.json');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify({
      name: 'Approval why',
      tools: [
        { id: 'wipe', kind: 'function', annotations: { destructiveHint: true }, args: { module: './approval-tools.mjs', export: 'mark', input: { file: fixture('why.a.out').fsPath } } },
        { id: 'note', kind: 'function', args: { module: './approval-tools.mjs', export: 'mark', input: { file: fixture('why.b.out').fsPath } } },
        { id: 'later', kind: 'function', dependsOn: ['note'], args: { module: './approval-tools.mjs', export: 'mark', input: { file: c } } },
      ],
    }, null, 2)));
    const { onDidShowApprovalPrompt } = await api();
    const prompts: { title: string; rows: readonly { label: string; description: string; detail?: string; picked: boolean }[] }[] = [];
    const sub = onDidShowApprovalPrompt((p) => prompts.push(p));
    try {
      const waiting = awaitingApproval(uri);
      const run = runAndWait('fanout.run', uri, 30_000);
      await waiting;
      await new Promise((r) => setTimeout(r, 300)); // the quick pick opens after the gather
      assert.equal(prompts.length, 1);
      const [p] = prompts;
      assert.equal(p.title, '"Approval why": 2 calls wait for approval (the others keep running)');
      assert.deepEqual(p.rows.map((r) => [r.label, r.detail?.replace(/ · input .*/, ''), r.picked]), [
        ['$(warning) wipe', 'Why: function, destructive: stated to delete or overwrite', true],
        ['note', 'Why: function: runs code of a module, not stated read-only', true],
        ['Allow the rest of this run', undefined, false],
      ]);
      assert.match(p.rows[2].description, /every later call of this run that needs approval \(this run only\)/);
      // Check "Allow the rest of this run" (the third row) and accept: `later` then starts unasked.
      for (let k = 0; k < 3; k++) await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
      await vscode.commands.executeCommand('workbench.action.quickPickManyToggle');
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      const { record } = await run;
      assert.deepEqual(record.tools.map((t) => `${t.id} ${t.status}`), ['wipe succeeded', 'note succeeded', 'later succeeded']);
      assert.equal(prompts.length, 1, 'no second prompt for the later call');
      assert.ok(existsSync(c));
    } finally {
      sub.dispose();
    }
  });

  it('Esc denies the whole batch', async () => {
    const p = await writePlan('esc');
    const waiting = awaitingApproval(p.uri);
    const run = runAndWait('fanout.run', p.uri, 30_000);
    await waiting;
    await new Promise((r) => setTimeout(r, 300));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    const { record } = await run;
    assert.deepEqual(record.tools.map((t) => t.status), ['denied', 'denied', 'skipped', 'succeeded']);
    assert.ok(!existsSync(p.a) && !existsSync(p.b));
  });
});

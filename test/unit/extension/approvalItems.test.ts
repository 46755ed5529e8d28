// The approval prompt's wording (VS Code's quick pick and the CLI's list): each row says why its
// call needs approval, from its kind and its annotations; the "rest of this run" row says what it allows.
import { strict as assert } from 'node:assert';
import type { ToolSpec } from '../../../src/core/plan/types';
import { approvalReason } from '../../../src/core/plan/safety';
import { approvalPromptText, REST_ROW } from '../../../src/extension/plans/approvalItems';

const mcp = (id: string, annotations?: ToolSpec['annotations']): ToolSpec => ({
  id, kind: 'mcp', args: { server: 'files', tool: 'write_file', input: { path: 'a.txt' } }, dependsOn: [], ...(annotations ? { annotations } : {}),
} as unknown as ToolSpec);

describe('approval prompt wording', () => {
  it('says why each call needs approval: not known read-only, not read-only, destructive, function, shell, http', () => {
    assert.equal(approvalReason(mcp('u')), 'not known to be read-only: no readOnlyHint from the server or the plan');
    assert.equal(approvalReason(mcp('w', { readOnlyHint: false, destructiveHint: false })), 'not read-only: the server says it changes state (not destructively)');
    assert.equal(approvalReason(mcp('d', { readOnlyHint: false })), 'destructive: the server says it may delete or overwrite (not idempotent)');
    assert.equal(approvalReason(mcp('d2', { destructiveHint: true, idempotentHint: true })), 'destructive: the server says it may delete or overwrite');
    const fn = { id: 'f', kind: 'function', args: { module: './t.mjs' }, dependsOn: [] } as unknown as ToolSpec;
    assert.equal(approvalReason(fn), 'function: runs code of a module, not stated read-only');
    assert.equal(approvalReason({ ...fn, annotations: { destructiveHint: true } } as ToolSpec), 'function, destructive: stated to delete or overwrite');
    assert.equal(approvalReason({ id: 's', kind: 'shell', args: { command: 'ls' }, dependsOn: [] } as unknown as ToolSpec), 'shell: runs a command on this machine');
    assert.equal(approvalReason({ id: 'h', kind: 'http', args: { url: 'http://x' }, dependsOn: [] } as unknown as ToolSpec), 'http: sends a request over the network');
  });

  it('the quick pick: one checked row per call (what, why, input), a destructive one marked, and an unchecked "rest of this run" row that says what it allows', () => {
    const t = approvalPromptText([mcp('u'), mcp('d', { readOnlyHint: false })], 'Write things');
    assert.equal(t.title, '"Write things": 2 calls wait for approval (the others keep running)');
    assert.match(t.placeHolder, /unchecked ones are denied and their dependents skipped\. Esc denies them all\./);
    assert.deepEqual(t.rows.map((r) => [r.label, r.description, r.detail, r.picked]), [
      ['u', "write_file on MCP server 'files'", 'Why: not known to be read-only: no readOnlyHint from the server or the plan · input {"path":"a.txt"}', true],
      ['$(warning) d', "write_file on MCP server 'files'", 'Why: destructive: the server says it may delete or overwrite (not idempotent) · input {"path":"a.txt"}', true],
      ['Allow the rest of this run', 'also start, without asking, every later call of this run that needs approval (this run only)', undefined, false],
    ]);
    assert.equal(t.rows[2].id, REST_ROW);
  });
});

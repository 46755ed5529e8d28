// The VS Code face of approval lanes (README "Approval"): one quick pick per batch of calls that
// wait for approval, each call an item (checked: allowed), plus "Allow the rest of this run".
// Esc denies the batch. The calls that do not need approval are already running meanwhile.
import * as vscode from 'vscode';
import type { ToolSpec } from '../../core/plan/types';
import type { BatchAnswer } from '../../core/tools/approval';
import { oneLine } from './sideEffects';

const REST = '\u0000rest';

/** `signal` (the run stopped) closes the quick pick: the answer is then "none". */
export async function askBatchInVsCode(calls: readonly ToolSpec[], planName: string, signal?: AbortSignal): Promise<BatchAnswer> {
  type Item = vscode.QuickPickItem & { readonly id: string };
  const items: Item[] = calls.map((t) => ({
    id: t.id,
    label: t.id,
    description: t.kind === 'mcp' ? `${String(t.args.tool)} on ${String(t.args.server)}` : t.kind === 'function' ? `${typeof t.args.export === 'string' ? t.args.export : 'default'} of ${String(t.args.module)}` : t.kind,
    detail: t.args.input !== undefined ? oneLine(JSON.stringify(t.args.input), 120) : undefined,
    picked: true,
  }));
  items.push({ id: REST, label: 'Allow the rest of this run', description: 'later calls of this run start without asking', picked: false, alwaysShow: true });
  const cts = new vscode.CancellationTokenSource();
  const onAbort = (): void => cts.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });
  let picked: Item[] | undefined;
  try {
    picked = await vscode.window.showQuickPick(items, {
      canPickMany: true,
      ignoreFocusOut: true,
      title: `"${oneLine(planName, 50)}": ${calls.length} call${calls.length === 1 ? '' : 's'} wait${calls.length === 1 ? 's' : ''} for approval`,
      placeHolder: 'Checked calls start; unchecked ones are denied (their dependents are skipped). Esc denies them all.',
    }, cts.token);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    cts.dispose();
  }
  if (!picked) return { allowed: new Set(), allowRest: false };
  return { allowed: new Set(picked.filter((p) => p.id !== REST).map((p) => p.id)), allowRest: picked.some((p) => p.id === REST) };
}

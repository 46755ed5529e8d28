// The VS Code face of approval lanes (README "Approval"): one quick pick per batch of calls that
// wait for approval, each call an item (checked: allowed) saying why it needs approval, plus
// "Allow the rest of this run". Esc denies the batch. The calls that do not need approval are
// already running meanwhile. The rows are built in approvalItems.ts (pure, unit-tested).
import * as vscode from 'vscode';
import type { ToolSpec } from '../../core/plan/types';
import type { BatchAnswer } from '../../core/tools/approval';
import { approvalPromptText, REST_ROW, type ApprovalPromptText } from './approvalItems';

const shown = new vscode.EventEmitter<ApprovalPromptText>();
/** Fires with what each approval quick pick shows as it opens (FanoutApi: tests read the wording). */
export const onDidShowApprovalPrompt: vscode.Event<ApprovalPromptText> = shown.event;

/** `signal` (the run stopped) closes the quick pick: the answer is then "none". */
export async function askBatchInVsCode(calls: readonly ToolSpec[], planName: string, signal?: AbortSignal): Promise<BatchAnswer> {
  type Item = vscode.QuickPickItem & { readonly id: string };
  const text = approvalPromptText(calls, planName);
  const items: Item[] = text.rows.map((r) => ({ ...r }));
  const cts = new vscode.CancellationTokenSource();
  const onAbort = (): void => cts.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });
  let picked: Item[] | undefined;
  try {
    const pick = vscode.window.showQuickPick(items, {
      canPickMany: true,
      ignoreFocusOut: true,
      matchOnDescription: true,
      matchOnDetail: true,
      title: text.title,
      placeHolder: text.placeHolder,
    }, cts.token);
    shown.fire(text);
    picked = await pick;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    cts.dispose();
  }
  if (!picked) return { allowed: new Set(), allowRest: false };
  return { allowed: new Set(picked.filter((p) => p.id !== REST_ROW).map((p) => p.id)), allowRest: picked.some((p) => p.id === REST_ROW) };
}

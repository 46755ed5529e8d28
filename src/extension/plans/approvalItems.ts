// The rows of VS Code's approval quick pick (approvalPrompt.ts), built without vscode so they are
// unit-tested in plain Node: one row per waiting call saying what it is and why it needs approval,
// and the "allow the rest of this run" row saying exactly what it allows.
import type { ToolSpec } from '../../core/plan/types';
import { approvalReason, isDestructive } from '../../core/plan/safety';
import { oneLine } from './sideEffects';

export interface ApprovalRow {
  /** The call's id, or REST_ROW for "allow the rest of this run". */
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly detail?: string;
  readonly picked: boolean;
  readonly alwaysShow?: boolean;
}

export const REST_ROW = '\u0000rest';

export interface ApprovalPromptText {
  readonly title: string;
  readonly placeHolder: string;
  readonly rows: readonly ApprovalRow[];
}

/** What the call is: the MCP tool and server, the function and module, else its kind. */
function what(t: ToolSpec): string {
  if (t.kind === 'mcp') return `${String(t.args.tool)} on MCP server '${String(t.args.server)}'`;
  if (t.kind === 'function') return `${typeof t.args.export === 'string' ? t.args.export : 'default'} of ${String(t.args.module)}`;
  return t.kind;
}

export function approvalPromptText(calls: readonly ToolSpec[], planName: string): ApprovalPromptText {
  const rows: ApprovalRow[] = calls.map((t) => {
    const input = t.args.input !== undefined ? `input ${oneLine(JSON.stringify(t.args.input), 110)}` : undefined;
    return {
      id: t.id,
      // A destructive call stands out by more than its words (the warning codicon).
      label: isDestructive(t.annotations) ? `$(warning) ${t.id}` : t.id,
      description: what(t),
      detail: input ? `Why: ${approvalReason(t)} · ${input}` : `Why: ${approvalReason(t)}`,
      picked: true,
    };
  });
  rows.push({
    id: REST_ROW,
    label: 'Allow the rest of this run',
    description: 'also start, without asking, every later call of this run that needs approval (this run only)',
    picked: false,
    alwaysShow: true,
  });
  const n = calls.length;
  return {
    title: `"${oneLine(planName, 50)}": ${n} call${n === 1 ? '' : 's'} wait${n === 1 ? 's' : ''} for approval (the others keep running)`,
    placeHolder: 'Checked calls start now; unchecked ones are denied and their dependents skipped. Esc denies them all.',
    rows,
  };
}

// Shell, http, VS Code command and LM tools run only in a trusted workspace, after a confirmation
// that lists what will run (unless the user turned it off in their own settings).
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { McpServerConfig, Plan } from '../../core/plan/types';
import { getSettings } from '../settings';
import { COMMANDS } from '../runBus';
import { confirmationText, serverEffects, sideEffects, untrustedMessage } from './sideEffects';

/**
 * 'confirmed': the user accepted the run confirmation, which listed every call with side effects:
 * that is their approval (the approval lanes do not ask again). 'allowed': nothing needed asking,
 * or the confirmation is turned off (fanout.confirmShellAndHttp).
 */
export type TrustDecision = 'allowed' | 'confirmed' | 'untrusted' | 'declined';

/** `servers`: the MCP servers the run will start (plan + workspace mcp.json), listed in the confirmation. */
export async function approveSideEffects(plan: Plan, uri: vscode.Uri, servers?: Readonly<Record<string, McpServerConfig>>): Promise<TrustDecision> {
  const baseDir = uri.scheme === 'file' ? dirname(uri.fsPath) : undefined;
  const effects = [...sideEffects(plan, baseDir), ...serverEffects(servers, baseDir)];
  if (effects.length === 0) return 'allowed';
  if (!vscode.workspace.isTrusted) {
    const manage = 'Manage Workspace Trust';
    const simulate = 'Simulate Instead';
    // Not awaited: the command returns (refused) while the message stays up.
    void vscode.window.showWarningMessage(untrustedMessage(effects), manage, simulate).then((choice) => {
      if (choice === manage) void vscode.commands.executeCommand('workbench.trust.manage');
      if (choice === simulate) void vscode.commands.executeCommand(COMMANDS.simulate, uri);
    });
    return 'untrusted';
  }
  if (!getSettings(uri).confirmShellAndHttp) return 'allowed';
  const c = confirmationText(plan.name, effects);
  const run = 'Run';
  const choice = await vscode.window.showWarningMessage(c.message, { modal: true, detail: c.detail }, run);
  return choice === run ? 'confirmed' : 'declined';
}

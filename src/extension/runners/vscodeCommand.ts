// `vscode.command` tools: args.command is a command id, args.args its arguments (a list, or one
// value). The result becomes the tool's output as JSON.
import * as vscode from 'vscode';
import type { ToolRunner } from '../../core/engine/types';
import type { JsonValue } from '../../core/plan/types';
import { raceAbort } from './abort';
import { toJsonSafe } from './jsonSafe';

export function commandArguments(args: JsonValue | undefined): JsonValue[] {
  if (args === undefined) return [];
  return Array.isArray(args) ? [...(args as readonly JsonValue[])] : [args];
}

export const vscodeCommandRunner: ToolRunner = {
  async run(ctx) {
    const command = ctx.args.command;
    if (typeof command !== 'string' || command.trim() === '') {
      throw new Error(`vscode.command tool: args.command must be a command id such as "workbench.action.files.save" (got ${JSON.stringify(command ?? null)}).`);
    }
    // Internal (underscore) commands count too: a plan may call them on purpose.
    const known = await vscode.commands.getCommands(false);
    if (!known.includes(command)) {
      throw new Error(`vscode.command tool: no command '${command}' is registered. Check the id in the Keyboard Shortcuts editor (right-click a command → Copy Command ID), or install the extension that provides it.`);
    }
    const params = commandArguments(ctx.args.args);
    ctx.log?.(`${ctx.tool.id}: executing command ${command}`);
    const result = await raceAbort(vscode.commands.executeCommand<unknown>(command, ...params), ctx.signal);
    return toJsonSafe(result);
  },
};

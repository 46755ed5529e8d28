// `vscode.lm` tools: args.tool names a tool in vscode.lm.tools (extension and MCP tools), args.input
// is its input. Outside a chat request there is no invocation token; tools that need one fail
// with their own message, which becomes this tool's error.
import * as vscode from 'vscode';
import type { ToolRunner } from '../../core/engine/types';
import { tokenFromSignal, raceAbort } from './abort';
import { partsToOutput, unknownToolMessage } from './lmResult';

export function availableLmToolNames(): string[] {
  try {
    return vscode.lm.tools.map((t) => t.name);
  } catch {
    return [];
  }
}

export const vscodeLmRunner: ToolRunner = {
  async run(ctx) {
    const name = ctx.args.tool;
    if (typeof name !== 'string' || name.trim() === '') {
      throw new Error(`vscode.lm tool: args.tool must be the name of a language-model tool (got ${JSON.stringify(name ?? null)}). Run "Fanout: Run Tool Plan" on an imported call to see the names available.`);
    }
    const names = availableLmToolNames();
    if (!names.includes(name)) throw new Error(unknownToolMessage(name, names));
    const raw = ctx.args.input ?? {};
    const input = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as object) : { value: raw };
    const cts = tokenFromSignal(ctx.signal);
    try {
      ctx.log?.(`${ctx.tool.id}: invoking language-model tool ${name}`);
      const result = await raceAbort(vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, cts.token), ctx.signal);
      return partsToOutput(result.content);
    } finally {
      cts.dispose();
    }
  },
};

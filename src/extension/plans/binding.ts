// Imported calls (OpenAI, Anthropic, LLMCompiler) arrive as simulations. When VS Code offers a
// language-model tool with the same name, the user may bind them: the call then runs for real via
// vscode.lm.invokeTool with its original arguments as the tool's input. Pure: no 'vscode'.
import type { JsonObject, Plan, ToolSpec } from '../../core/plan/types';

/** Simulation-only args the importers may add; they are not part of the call's input. */
const SIMULATION_ARGS = new Set(['durationMs', 'result', 'failTimes', 'error']);

/** Calls of an imported plan whose name matches an available LM tool (exact name). */
export function bindableCalls(plan: Plan, lmToolNames: readonly string[]): ToolSpec[] {
  if (plan.format === 'native') return [];
  const names = new Set(lmToolNames);
  return plan.tools.filter((t) => t.kind === 'simulate' && names.has(t.label));
}

function inputOf(args: JsonObject): JsonObject {
  // fromEntries defines own properties, so a key named __proto__ stays data.
  return Object.fromEntries(Object.entries(args).filter(([k]) => !SIMULATION_ARGS.has(k)));
}

/** The plan with the given calls turned into `vscode.lm` tools; every other tool is unchanged. */
export function bindCalls(plan: Plan, ids: ReadonlySet<string>): Plan {
  if (ids.size === 0) return plan;
  const tools = plan.tools.map((t): ToolSpec => (ids.has(t.id) && t.kind === 'simulate'
    ? { ...t, kind: 'vscode.lm', args: { tool: t.label, input: inputOf(t.args) } }
    : t));
  return { ...plan, tools };
}

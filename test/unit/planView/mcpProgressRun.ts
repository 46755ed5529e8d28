// A real run against the reference MCP server (server-everything over stdio, from npm): its
// trigger-long-running-operation tool sends one progress notification per step. The plan view's
// progress tests (unit and browser) replay the events of this run, not made-up ones.
import { createRealClock } from '../../../src/core/engine/clock';
import { execute } from '../../../src/core/engine/execute';
import type { RunEvent, RunRecord } from '../../../src/core/engine/types';
import { parsePlan } from '../../../src/core/plan/parse';
import type { Plan } from '../../../src/core/plan/types';
import { createMcpRunner } from '../../../src/core/tools/mcp/runner';
import { McpSession } from '../../../src/core/tools/mcp/session';
import { EVERYTHING } from '../mcp/servers';

/** Two calls on one server: `slow` reports 4 steps over 1.6 s, `quick` 1 step in 0.2 s. */
export const PROGRESS_PLAN = JSON.stringify({
  name: 'Progress from a real MCP server',
  mcpServers: { ev: { command: process.execPath, args: [EVERYTHING, 'stdio'] } },
  tools: [
    { id: 'slow', kind: 'mcp', args: { server: 'ev', tool: 'trigger-long-running-operation', input: { duration: 1.6, steps: 4 } } },
    { id: 'quick', kind: 'mcp', args: { server: 'ev', tool: 'trigger-long-running-operation', input: { duration: 0.2, steps: 1 } } },
  ],
}, null, 2);

export async function progressRun(): Promise<{ plan: Plan; events: RunEvent[]; record: RunRecord }> {
  const plan = parsePlan(PROGRESS_PLAN, { fileName: 'progress.toolplan.json' }).plan as Plan;
  const session = new McpSession(plan.mcpServers ?? {}, { expand: { env: process.env }, cwd: process.cwd(), killGraceMs: 300 });
  const events: RunEvent[] = [];
  try {
    const record = await execute(plan, { runners: { mcp: createMcpRunner(session) }, clock: createRealClock(), onEvent: (e) => events.push(e) });
    return { plan, events, record };
  } finally {
    await session.close();
  }
}

// A seeded, varied OTLP agent trace for the audit's snapshot test (auditSnapshot.test.ts): several
// agent lanes running at once, turns whose calls have call ids or not (matched by name), calls
// that use a value of an earlier result or the user's words or nothing, serial and parallel
// batches, failures with cancelled siblings, timeouts, retries (some not idempotent), duplicates,
// hangs, never-ended spans, nested tools, a sub-agent's model call inside a tool, a call before
// any turn. Meant to touch every path of rebuild, data flow, counterfactual and rules, so a
// change that keeps the bench trace's answer but not these shows up.
import { seededRandom } from '../../../src/core/random';
import { OtlpBuilder } from './otlpBuilder';

type Call = { id?: string; name: string; args: Record<string, unknown> };

export function variedTraceText(spans: number, seed = 11, options: { readonly content?: boolean; readonly lanes?: number } = {}): string {
  const content = options.content ?? true;
  const laneCount = options.lanes ?? 3;
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const b = new OtlpBuilder('invoke_agent planner', 0);
  const names = ['search', 'lookup', 'fetch_page', 'create_order', 'send_email', 'get_weather'];
  let callNo = 0;
  // An early call no turn asked for (before any model span).
  b.tool(-50, -10, 'warmup', content ? { args: { q: 'warm' }, result: { ok: true } } : {});
  const lanes = Array.from({ length: laneCount }, (_, l) => ({
    agent: b.add({ name: `invoke_agent worker${l}`, start: l * 37, end: null, attrs: { 'gen_ai.operation.name': 'invoke_agent' } }),
    t: l * 37 + 5,
    results: [] as string[],
    failed: [] as Call[],
    k: 0,
  }));
  let made = 1 + laneCount;
  while (made < spans) {
    const lane = lanes[Math.floor(rand() * lanes.length)];
    const k = lane.k++;
    const withIds = k % 7 !== 3;
    const width = 1 + Math.floor(rand() * 5);
    const userWord = `city${Math.floor(rand() * 40)}`;
    const calls: Call[] = [];
    // A retry of the last failure first, with the same arguments.
    const retry = lane.failed.shift();
    if (retry) calls.push({ ...retry, id: withIds ? `c${callNo++}` : undefined });
    for (let j = calls.length; j < width; j++) {
      const r = rand();
      const args: Record<string, unknown> = r < 0.6 && lane.results.length > 0 ? { q: pick(lane.results) }
        : r < 0.72 ? { q: userWord, n: 100 + Math.floor(rand() * 900) }
          : r < 0.8 ? { q: 'same thing' }
            : r < 0.83 ? { q: 'x' }
              : { q: `topic ${callNo} ${Math.floor(rand() * 1e6)}`, page: Math.floor(rand() * 3) };
      calls.push({ id: withIds ? `c${callNo++}` : undefined, name: pick(names), args });
    }
    const latency = 100 + rand() * 800;
    const chatStart = lane.t;
    const input = rand() < 0.5 ? `Please help with ${userWord} and ${lane.results.slice(-1)[0] ?? 'nothing'}` : undefined;
    const parts = calls.map((c) => ({ type: 'tool_call', ...(c.id ? { id: c.id } : {}), name: c.name, ...(content ? { arguments: c.args } : {}) }));
    b.add({
      name: 'chat gpt-4o', start: chatStart, end: chatStart + latency, parent: lane.agent,
      attrs: {
        'gen_ai.operation.name': 'chat', 'gen_ai.request.model': pick(['gpt-4o', 'gpt-4o-mini']),
        'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: parts.length > 0 ? parts : [{ type: 'text', content: 'done' }] }]),
        ...(input && content ? { 'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: input }] }]) } : {}),
      },
    });
    made++;
    const turnEnd = chatStart + latency;
    const serial = rand() < 0.3;
    let cursor = turnEnd + 1 + rand() * 4;
    let end = turnEnd;
    let failedAt = Infinity;
    for (const c of calls) {
      const start = serial ? cursor : turnEnd + 1 + rand() * 6;
      const r = rand();
      let d = 10 + rand() * 300;
      if (r < 0.01) d = 25_000 + rand() * 5000; // a hang
      let status: 0 | 1 | 2 = 0;
      let message: string | undefined;
      let finished = true;
      if (r >= 0.01 && r < 0.06) {
        status = 2;
        message = 'upstream returned 500';
        failedAt = Math.min(failedAt, start + d);
        lane.failed.push(c);
      } else if (r < 0.08) {
        status = 2;
        message = 'deadline exceeded after 30s';
        lane.failed.push(c);
      } else if (r < 0.11 && Number.isFinite(failedAt) && !serial) {
        status = 2;
        message = 'cancelled: sibling failed';
        d = Math.max(1, failedAt - start + 0.5);
      } else if (r < 0.2 && made > spans - 40) {
        // Never ended: only near the end (the trace was written while they ran).
        finished = false;
      }
      const item = `item${callNo}x${Math.floor(rand() * 1000)}`;
      const result = { item, score: Math.round(rand() * 1000), note: rand() < 0.2 ? 'same thing' : undefined };
      const tool = b.tool(start, finished ? start + d : null, c.name, {
        ...(c.id ? { id: c.id } : {}), ...(content ? { args: c.args, result } : {}), status, ...(message ? { message } : {}),
        parent: rand() < 0.2 ? b.root : lane.agent,
      });
      made++;
      if (status === 0 && finished) lane.results.push(item);
      if (rand() < 0.03) {
        // Work inside the tool: a nested tool span, or a sub-agent's model call.
        if (rand() < 0.5) b.tool(start + 1, start + d - 1, 'inner', { parent: tool, ...(content ? { args: { q: 'inner' }, result: { r: 1 } } : {}) });
        else b.add({ name: 'chat gpt-4o-mini', start: start + 1, end: start + 2, parent: tool, attrs: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini' } });
        made++;
      }
      cursor = start + d + 1;
      end = Math.max(end, finished ? start + d : start);
    }
    if (lane.results.length > 30) lane.results.splice(0, lane.results.length - 30);
    lane.t = end + 2 + rand() * 20;
  }
  return b.json();
}

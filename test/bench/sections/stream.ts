// Section: streaming dispatch (issue 16 "Tests and figures"). The turn's latency from the stream's
// first byte — the later of the stream's end and the last call's end, since the next request needs
// both — under dispatch-on-close ÷ the same under wait-for-end (what the SDKs' tool runners do),
// the same engine, calls, durations and caps for both:
// 1. the recorded streams among the test fixtures (each at its own timestamps or at 80 tokens/s);
// 2. generated OpenAI Chat streams: 2–20 calls, arguments of 20–600 characters, 0–400 characters
//    of text before the calls, replayed at 80 tokens/s (src/core/stream/timing.ts), uncapped and
//    at maxConcurrency 4;
// each against the lower bound max(stream end, max over calls of (close + remaining path));
// 3. the real clock: runToolCallStream on a generated stream paced on the real clock (events at
//    their replay times, handlers sleeping their durations) ÷ simulateStream of the same stream.
// Tool durations are lognormal around 300 ms (test/bench/generators.ts), seeded.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGraph, bottomLevels, topologicalOrder } from '../../../src/core/analysis/graph';
import { parsePlan } from '../../../src/core/plan/parse';
import type { Plan } from '../../../src/core/plan/types';
import { CHARS_PER_TOKEN, DEFAULT_TOKENS_PER_SECOND, isStreamable, simulateStream, streamTiming } from '../../../src/core/stream/index';
import { outputCharsOf } from '../../../src/core/plan/importers/streamChars';
import { runToolCallStream } from '../../../src/core/library/runToolCallStream';
import { readStream } from '../../../src/core/plan/importers/streamEvents';
import { lognormalDurations, rng } from '../generators';
import { fx, table, type BenchContext, type SectionResult, type Target } from '../report';
import { max, mean, min, round } from '../stats';

const CAP = 4;
const SEED = 16;

interface Case {
  readonly name: string;
  readonly plan: Plan;
  readonly durations: readonly number[];
  /** The stream's text (generated streams). */
  readonly text?: string;
}

interface Outcome {
  readonly name: string;
  readonly calls: number;
  readonly endMs: number;
  readonly onClose: number;
  readonly waitForEnd: number;
  readonly bound: number;
}

/** Both policies on the virtual clock, the turn's latency each, and the lower bound. */
async function measure(c: Case, maxConcurrency?: number): Promise<Outcome> {
  const opts = { durations: c.durations, ...(maxConcurrency !== undefined ? { maxConcurrency } : {}) };
  const close = await simulateStream(c.plan, { ...opts, policy: 'dispatch-on-close' });
  const wait = await simulateStream(c.plan, { ...opts, policy: 'wait-for-end' });
  const endMs = close.stream.endMs;
  const timing = streamTiming(c.plan);
  const { graph } = buildGraph(c.plan);
  const order = graph ? topologicalOrder(graph) : null;
  const bl = graph && order ? bottomLevels(graph, order, [...c.durations]) : new Float64Array(c.durations);
  const bound = Math.max(endMs, ...timing.closeMs.map((t, i) => t + bl[i]!));
  return {
    name: c.name, calls: c.plan.tools.length, endMs,
    onClose: Math.max(endMs, close.makespanMs),
    waitForEnd: Math.max(endMs, wait.makespanMs),
    bound,
  };
}

/** Every stream recording among the test fixtures that parses to a streamable plan. */
function fixtureCases(root: string): Case[] {
  const dirs = ['test/fixtures/payloads/streams', 'test/fixtures/payloads/vercel-ai', 'test/unit/library/recordings', 'test/unit/importers/fixtures'];
  const r = rng(SEED);
  const out: Case[] = [];
  for (const dir of dirs) {
    for (const f of readdirSync(join(root, dir)).sort()) {
      if (!/\.(sse|jsonl|txt|md)$/.test(f)) continue;
      const parsed = parsePlan(readFileSync(join(root, dir, f), 'utf8'));
      const plan = parsed.plan;
      if (!plan || plan.tools.length === 0 || !isStreamable(plan)) continue;
      out.push({ name: `${dir.split('/').pop()}/${f}`, plan, durations: lognormalDurations(plan.tools.length, r) });
    }
  }
  return out;
}

/** A generated OpenAI Chat stream (JSON lines, no timestamps): text, then `n` calls streamed in small pieces. */
function generatedStream(n: number, r: () => number): string {
  const chunk = (delta: object, finish: string | null = null): string => JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] });
  const lines: string[] = [];
  const text = 'x'.repeat(Math.floor(r() * 400));
  for (let k = 0; k < text.length; k += 16) lines.push(chunk({ content: text.slice(k, k + 16) }));
  for (let i = 0; i < n; i++) {
    const argLen = 20 + Math.floor(r() * 580);
    const args = JSON.stringify({ query: 'q'.repeat(Math.max(1, argLen - 12)) });
    lines.push(chunk({ tool_calls: [{ index: i, id: `call_${i}`, type: 'function', function: { name: i % 3 === 0 ? 'search' : i % 3 === 1 ? 'fetch' : 'lookup', arguments: '' } }] }));
    for (let k = 0; k < args.length; k += 12) lines.push(chunk({ tool_calls: [{ index: i, function: { arguments: args.slice(k, k + 12) } }] }));
  }
  lines.push(chunk({}, 'tool_calls'));
  return lines.join('\n') + '\n';
}

function generatedCases(count: number): Case[] {
  const r = rng(SEED + 1);
  return Array.from({ length: count }, (_, k) => {
    const n = 2 + Math.floor(r() * 19);
    const parsed = parsePlan(generatedStream(n, r));
    if (!parsed.plan) throw new Error(`stream bench: generated stream ${k} does not parse: ${parsed.diagnostics[0]?.message}`);
    return { name: `generated ${k} (${n} calls)`, plan: parsed.plan, durations: lognormalDurations(n, r) };
  });
}

interface Summary {
  readonly streams: number;
  readonly meanRatio: number;
  readonly worstRatio: number;
  readonly bestRatio: number;
  readonly meanVsBound: number;
  readonly worstVsBound: number;
  readonly meanSavedMs: number;
}

function summarize(xs: readonly Outcome[]): Summary {
  const ratio = xs.map((o) => o.onClose / o.waitForEnd);
  const vsBound = xs.map((o) => o.onClose / o.bound);
  return {
    streams: xs.length,
    meanRatio: mean(ratio), worstRatio: max(ratio), bestRatio: min(ratio),
    meanVsBound: mean(vsBound), worstVsBound: max(vsBound),
    meanSavedMs: mean(xs.map((o) => o.waitForEnd - o.onClose)),
  };
}

/** runToolCallStream on a generated stream paced on the real clock (each event when the replay says it was generated), handlers sleeping their durations. */
async function realRun(c: Case & { readonly text: string }): Promise<{ real: number; simulated: number }> {
  const events = readStream(c.text, 'jsonl').events;
  const msPerChar = 1000 / (DEFAULT_TOKENS_PER_SECOND * CHARS_PER_TOKEN);
  let chars = 0;
  // Time 0 of the simulation is before the first event's characters; the library's is the first
  // event itself (what an SDK can observe). Pace from the first event and compare from there.
  const at = events.map((e) => (chars += outputCharsOf('openai-stream', e.data)) * msPerChar);
  const first = at[0] ?? 0;
  const byId = new Map(c.plan.tools.map((t, i) => [t.callId ?? t.id, c.durations[i]!]));
  async function* paced(): AsyncGenerator<unknown> {
    const t0 = performance.now();
    for (let k = 0; k < events.length; k++) {
      const wait = at[k]! - first - (performance.now() - t0);
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      yield events[k]!.data;
    }
  }
  const sleepFor = (_args: unknown, { call }: { call: { id: string } }): Promise<null> => new Promise((r) => setTimeout(r, byId.get(call.id) ?? 0, null));
  const batch = await runToolCallStream(paced(), { search: sleepFor, fetch: sleepFor, lookup: sleepFor });
  if (batch.status !== 'succeeded') throw new Error(`stream bench: the real run ended '${batch.status}'`);
  const sim = await simulateStream(c.plan, { durations: c.durations });
  return { real: batch.makespanMs, simulated: Math.max(sim.stream.endMs, sim.makespanMs) - first };
}

export async function streamSection(ctx: BenchContext): Promise<SectionResult> {
  ctx.progress('stream: recorded fixtures');
  const fixtures = fixtureCases(ctx.root);
  const fx1 = await Promise.all(fixtures.map((c) => measure(c)));
  const count = ctx.quick ? 50 : 500;
  ctx.progress(`stream: ${count} generated streams, uncapped and at maxConcurrency ${CAP}`);
  const gen = generatedCases(count);
  const genFree: Outcome[] = [];
  const genCap: Outcome[] = [];
  for (const c of gen) {
    genFree.push(await measure(c));
    genCap.push(await measure(c, CAP));
  }
  const sFix = summarize(fx1);
  const sFree = summarize(genFree);
  const sCap = summarize(genCap);

  // The real clock: a few generated streams of 6–10 calls, paced as the replay says.
  const realRounds = ctx.quick ? 1 : 3;
  ctx.progress(`stream: runToolCallStream on the real clock, ${realRounds} stream${realRounds > 1 ? 's' : ''}`);
  const real: { real: number; simulated: number }[] = [];
  const rr = rng(SEED + 2);
  for (let k = 0; k < realRounds; k++) {
    const n = 6 + Math.floor(rr() * 5);
    const text = generatedStream(n, rr);
    const plan = parsePlan(text).plan!;
    real.push(await realRun({ name: `real ${k}`, plan, durations: lognormalDurations(n, rr), text }));
  }
  const agreement = real.map((x) => x.real / x.simulated);

  const row = (label: string, s: Summary): string[] => [label, String(s.streams), fx(s.meanRatio, 3), fx(s.worstRatio, 3), fx(s.bestRatio, 3), fx(s.meanVsBound, 3), fx(s.worstVsBound, 3), fx(s.meanSavedMs, 0)];
  const lines = [
    'turn latency from the first byte = max(stream end, last call end); dispatch-on-close ÷ wait-for-end, and ÷ the bound max(end, max over calls of close + remaining path)',
    ...table(['streams', 'n', 'mean', 'worst', 'best', 'mean ÷ bound', 'worst ÷ bound', 'mean saved ms'], [
      row('recorded fixtures', sFix),
      row('generated 2–20 calls', sFree),
      row(`generated, maxConcurrency ${CAP}`, sCap),
    ]),
    ...table(['fixture', 'calls', 'end ms', 'on-close ms', 'wait-for-end ms', 'ratio'], fx1.map((o) => [o.name, String(o.calls), fx(o.endMs, 0), fx(o.onClose, 0), fx(o.waitForEnd, 0), fx(o.onClose / o.waitForEnd, 3)])),
    `real clock: runToolCallStream on paced generated streams ÷ simulateStream of the same stream: ${agreement.map((a) => fx(a, 4)).join(', ')} (makespans ${real.map((x) => `${fx(x.real, 0)}/${fx(x.simulated, 0)} ms`).join(', ')})`,
    'durations lognormal around 300 ms (seeded); untimed streams at 80 tokens/s, 4 characters a token.',
  ];
  const worstAgreement = max(agreement.map((a) => Math.abs(a - 1)));
  const targets: Target[] = [
    { section: 'stream', name: 'dispatch-on-close ÷ wait-for-end, generated streams (mean)', target: '< 1', value: round(sFree.meanRatio, 4), unit: '×', met: sFree.meanRatio < 1 },
    { section: 'stream', name: 'dispatch-on-close ÷ wait-for-end, worst of all streams', target: '≤ 1', value: round(Math.max(sFix.worstRatio, sFree.worstRatio, sCap.worstRatio), 4), unit: '×', met: Math.max(sFix.worstRatio, sFree.worstRatio, sCap.worstRatio) <= 1 + 1e-9 },
    { section: 'stream', name: 'dispatch-on-close ÷ bound, generated uncapped (worst)', target: '≤ 1.001', value: round(sFree.worstVsBound, 4), unit: '×', met: sFree.worstVsBound <= 1.001 },
    { section: 'stream', name: 'real clock ÷ simulation, runToolCallStream (worst |ratio − 1|)', target: '≤ 0.03', value: round(worstAgreement, 4), unit: '', met: worstAgreement <= 0.03 },
  ];
  return {
    key: 'stream',
    title: 'Streaming dispatch: dispatch-on-close against wait-for-end',
    lines,
    targets,
    json: {
      fixtures: { summary: sFix, streams: fx1 },
      generated: { count, summary: sFree },
      generatedCapped: { cap: CAP, summary: sCap },
      realClock: { runs: real, ratios: agreement.map((a) => round(a, 5)) },
    },
  };
}

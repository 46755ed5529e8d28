// Property (issue 13): a recorded stream assembles to the same calls, in the same close order,
// however the provider cut it into chunks. Every recorded stream fixture is cut after every event
// (the calls closed so far must be the ones closed by then), and re-chunked two ways — each
// argument fragment split at every position in turn, and every fragment split at random positions
// (fast-check) — then written back as SSE text and as JSON lines and imported again; the three
// live formats are also fed event by event to the library's LiveStream.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { LiveStream, type LiveStreamFormat } from '../../../src/core/library/liveStream';
import { parsePlan } from '../../../src/core/plan/parse';
import { detectStream, readStream, type StreamEvent } from '../../../src/core/plan/importers/streamEvents';
import type { JsonValue } from '../../../src/core/plan/types';
import { payload } from './helpers';

type Json = { [key: string]: Json } | Json[] | string | number | boolean | null;

/** Where a format carries the pieces of a call's arguments, and how to write an event with another piece. */
interface Fragments {
  /** The argument fragment this event carries (undefined: the event carries none, or is not split). */
  get(data: Json): string | undefined;
  /** The same event carrying `piece`; `first` keeps what only the first piece has (an id, a name). */
  with(data: Json, piece: string, first: boolean): Json;
}

const clone = (v: Json): Json => JSON.parse(JSON.stringify(v)) as Json;
const o = (v: Json | undefined): Record<string, Json> | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined);

const OPENAI: Fragments = {
  get(d) {
    const calls = o(o(o(d)?.choices && (o(d)!.choices as Json[])[0])?.delta)?.tool_calls;
    if (!Array.isArray(calls) || calls.length !== 1) return undefined;
    const args = o(o(calls[0])?.function)?.arguments;
    return typeof args === 'string' && args.length > 1 ? args : undefined;
  },
  with(d, piece, first) {
    const c = clone(d) as Record<string, Json>;
    const delta = o((c.choices as Json[])[0])!.delta as Record<string, Json>;
    const call = (delta.tool_calls as Json[])[0] as Record<string, Json>;
    const fn = call.function as Record<string, Json>;
    fn.arguments = piece;
    if (!first) {
      // A later fragment carries only the index and its piece, as OpenAI sends them.
      delete call.id;
      delete call.type;
      delete fn.name;
      delete delta.role;
    }
    return c;
  },
};

/** A string field at a path of an event, split by copying the event. */
function fieldFragments(match: (d: Record<string, Json>) => boolean, path: readonly string[]): Fragments {
  const at = (d: Json): Record<string, Json> | undefined => {
    let cur = o(d);
    for (const k of path.slice(0, -1)) cur = o(cur?.[k]);
    return cur;
  };
  const last = path[path.length - 1];
  return {
    get(d) {
      const data = o(d);
      if (!data || !match(data)) return undefined;
      const v = at(d)?.[last];
      return typeof v === 'string' && v.length > 1 ? v : undefined;
    },
    with(d, piece) {
      const c = clone(d);
      at(c)![last] = piece;
      return c;
    },
  };
}

const FORMATS: Readonly<Record<string, Fragments>> = {
  'openai-stream': OPENAI,
  'openai-responses-stream': fieldFragments((d) => d.type === 'response.function_call_arguments.delta', ['delta']),
  'anthropic-stream': fieldFragments((d) => d.type === 'content_block_delta' && o(d.delta)?.type === 'input_json_delta', ['delta', 'partial_json']),
  bedrock: fieldFragments((d) => !!o(d.contentBlockDelta), ['contentBlockDelta', 'delta', 'toolUse', 'input']),
  // Gemini chunks carry whole parts: a chunk's parts can be cut into chunks, a functionCall cannot.
  gemini: { get: () => undefined, with: (d) => d },
};

const FIXTURES: readonly { file: string; format: keyof typeof FORMATS }[] = [
  { file: 'streams/openai-chat-tool-call.sse', format: 'openai-stream' },
  { file: 'streams/responses-tool-call.jsonl', format: 'openai-responses-stream' },
  { file: 'streams/responses-parallel-wrapper.jsonl', format: 'openai-responses-stream' },
  { file: 'streams/anthropic-tool-use.sse', format: 'anthropic-stream' },
  { file: 'streams/anthropic-tool-no-args.jsonl', format: 'anthropic-stream' },
  { file: 'streams/anthropic-cut-off.sse', format: 'anthropic-stream' },
  { file: 'bedrock/converse-stream-nova.jsonl', format: 'bedrock' },
  { file: 'bedrock/converse-stream-cut-off.jsonl', format: 'bedrock' },
  { file: 'gemini/stream-signed-call.sse', format: 'gemini' },
];

/** `from`: the recorded event this one was cut from. */
interface Ev { readonly name?: string; readonly data: Json; readonly from: number }

function eventsOf(text: string): { events: Ev[]; done: boolean } {
  const syntax = detectStream(text);
  assert.ok(syntax, 'not a stream');
  const read = readStream(text, syntax);
  assert.deepEqual(read.bad, []);
  return { events: read.events.map((e: StreamEvent, i) => ({ ...(e.name !== undefined ? { name: e.name } : {}), data: e.data as Json, from: i })), done: read.done };
}

/** Each fragment cut at the given positions (sorted, inside the fragment): more events, same content. */
function split(events: readonly Ev[], f: Fragments, cutsOf: (i: number, fragment: string) => readonly number[]): Ev[] {
  const out: Ev[] = [];
  events.forEach((e, i) => {
    const frag = f.get(e.data);
    const cuts = frag === undefined ? [] : [...new Set(cutsOf(i, frag))].filter((c) => c > 0 && c < frag.length).sort((a, b) => a - b);
    if (frag === undefined || cuts.length === 0) {
      out.push(e);
      return;
    }
    const bounds = [0, ...cuts, frag.length];
    for (let k = 0; k + 1 < bounds.length; k++) out.push({ ...e, data: f.with(e.data, frag.slice(bounds[k], bounds[k + 1]), k === 0) });
  });
  return out;
}

/** A Gemini chunk with several parts becomes one chunk per part (the candidate's other fields on the last). */
function splitGeminiParts(events: readonly Ev[]): Ev[] {
  const out: Ev[] = [];
  for (const e of events) {
    const cand = o((o(e.data)?.candidates as Json[] | undefined)?.[0]);
    const parts = o(cand?.content)?.parts;
    if (!Array.isArray(parts) || parts.length < 2) {
      out.push(e);
      continue;
    }
    parts.forEach((p, k) => {
      const c = clone(e.data) as Record<string, Json>;
      const c0 = (c.candidates as Json[])[0] as Record<string, Json>;
      (c0.content as Record<string, Json>).parts = [p];
      if (k < parts.length - 1) delete c0.finishReason;
      out.push({ ...e, data: c });
    });
  }
  return out;
}

function asSse(events: readonly Ev[], done: boolean, blankLines: boolean): string {
  const sep = blankLines ? '\n\n' : '\n';
  return events.map((e) => `${e.name !== undefined ? `event: ${e.name}\n` : ''}data: ${JSON.stringify(e.data)}`).join(sep) + (done ? `${sep}data: [DONE]` : '') + '\n';
}

function asJsonLines(events: readonly Ev[]): string {
  return events.map((e) => JSON.stringify(e.data)).join('\n') + '\n';
}

interface Outcome {
  readonly format?: string;
  readonly calls: readonly { id: string; label: string; args: unknown }[];
  /** Tool ids in the order their arguments closed. */
  readonly closeOrder: readonly string[];
  /** Per tool, the recorded event its close came from (the event itself, or a piece cut from it). */
  readonly closedAt: readonly number[];
  readonly unclosed: readonly string[];
}

function outcome(text: string, from: readonly number[]): Outcome {
  const r = parsePlan(text);
  const plan = r.plan;
  const tools = plan?.tools ?? [];
  return {
    ...(r.format ? { format: r.format } : {}),
    calls: tools.map((t) => ({ id: t.id, label: t.label, args: JSON.parse(JSON.stringify(t.args)) as unknown })),
    closeOrder: [...tools].sort((a, b) => (a.stream?.closedAtEvent ?? 0) - (b.stream?.closedAtEvent ?? 0)).map((t) => t.id),
    closedAt: tools.map((t) => (t.stream ? from[t.stream.closedAtEvent] ?? -1 : -1)),
    unclosed: r.diagnostics.filter((d) => /never closed|cut off|not closed/i.test(d.message)).map((d) => d.severity),
  };
}

function live(format: LiveStreamFormat, events: readonly Ev[]): { name: string; args: unknown }[] {
  const closed: { name: string; args: unknown }[] = [];
  const s = new LiveStream((c) => closed.push({ name: c.call.name, args: JSON.parse(JSON.stringify(c.call.args)) as unknown }), format);
  events.forEach((e) => s.feed(e.data as JsonValue, 0));
  s.finish();
  return closed;
}

const LIVE: ReadonlySet<string> = new Set(['openai-stream', 'openai-responses-stream', 'anthropic-stream']);

describe('streams: the same calls and close order however the stream is chunked (property)', () => {
  for (const fx of FIXTURES) {
    describe(fx.file, () => {
      const text = payload(fx.file);
      const { events, done } = eventsOf(text);
      const f = FORMATS[fx.format];
      const expected = outcome(text, events.map((e) => e.from));
      const variants = (evs: readonly Ev[]): string[] => [asSse(evs, done, true), asSse(evs, done, false), asJsonLines(evs)];
      const check = (evs: readonly Ev[], what: string): void => {
        for (const t of variants(evs)) assert.deepEqual(outcome(t, evs.map((e) => e.from)), expected, `${what}:\n${t.slice(0, 400)}`);
      };

      it('imports as recorded: the reference outcome', () => {
        assert.equal(expected.format, fx.format);
        assert.ok(expected.calls.length > 0 || expected.unclosed.length > 0);
        check(events, 'rewritten unchanged');
      });

      it('cut after every event: the calls closed so far are the whole stream\'s that closed by then, in order', () => {
        for (let k = 1; k <= events.length; k++) {
          const prefix = events.slice(0, k);
          const closedBy = expected.calls.filter((_, i) => expected.closedAt[i] < k).map((c) => c.id);
          const sofar = outcome(asJsonLines(prefix), prefix.map((e) => e.from));
          assert.deepEqual(sofar.calls.map((c) => c.id), closedBy, `after event ${k - 1}`);
          assert.deepEqual(sofar.calls, expected.calls.filter((c) => closedBy.includes(c.id)), `after event ${k - 1}`);
        }
      });

      it('every argument fragment split at every position, one cut at a time', () => {
        const frags = events.map((e) => f.get(e.data));
        let variantsSeen = 0;
        frags.forEach((frag, i) => {
          if (frag === undefined) return;
          for (let c = 1; c < frag.length; c++) {
            const evs = split(events, f, (j) => (j === i ? [c] : []));
            assert.equal(evs.length, events.length + 1);
            check(evs, `event ${i} cut at ${c}`);
            variantsSeen++;
          }
        });
        if (fx.format === 'gemini') {
          const evs = splitGeminiParts(events);
          check(evs, 'parts one per chunk');
        } else if (expected.calls.some((c) => JSON.stringify(c.args) !== '{}') || expected.unclosed.length > 0) {
          // A call with arguments came in fragments: finding none means the fragment reader is wrong.
          assert.ok(variantsSeen > 0, 'no fragment to split: the fixture or the fragment reader is wrong');
        }
      });

      it('every fragment re-chunked at random positions (SSE and JSON lines, and live for the SDK formats)', () => {
        const total = events.reduce((n, e) => n + (f.get(e.data)?.length ?? 0), 0);
        fc.assert(fc.property(fc.array(fc.nat({ max: Math.max(1, total) }), { maxLength: 40 }), (positions) => {
          // The positions are offsets into the fragments laid end to end: each falls in one fragment.
          let base = 0;
          const cuts = new Map<number, number[]>();
          events.forEach((e, i) => {
            const len = f.get(e.data)?.length ?? 0;
            cuts.set(i, positions.filter((p) => p > base && p < base + len).map((p) => p - base));
            base += len;
          });
          const evs = split(events, f, (i) => cuts.get(i) ?? []);
          check(evs, `cuts ${JSON.stringify(positions)}`);
          if (LIVE.has(fx.format) && expected.unclosed.length === 0) {
            assert.deepEqual(live(fx.format as LiveStreamFormat, evs), live(fx.format as LiveStreamFormat, events));
          }
        }), { numRuns: 60, seed: 13 });
      });
    });
  }
});

// The span-by-span OTLP reader (src/core/trace/otlpSlices.ts) must read exactly what parsing the
// whole text reads, and hand anything it does not fully understand back to the whole-text path.
import { strict as assert } from 'node:assert';
import { forEachOtlpSpan } from '../../../src/core/trace/otlpSlices';
import { parseTraceDocuments, readTrace } from '../../../src/core/trace/read';
import { readOtlp } from '../../../src/core/trace/readers/otlp';
import { TraceError } from '../../../src/core/trace/model';
import { largeTraceText } from '../../bench/traceText';
import { seededRandom } from '../../../src/core/random';

const slow = (text: string): unknown => readOtlp(parseTraceDocuments(text));
const spansOf = (text: string): unknown[] | undefined => {
  const out: unknown[] = [];
  return forEachOtlpSpan(text, (s) => out.push(s)) ? out : undefined;
};

const span = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  traceId: 'ab', spanId: id, name: 'execute_tool t', startTimeUnixNano: '1000000', endTimeUnixNano: '3000000',
  attributes: [{ key: 'gen_ai.operation.name', value: { stringValue: 'execute_tool' } }, { key: 'gen_ai.tool.name', value: { stringValue: 't' } }], ...extra,
});
const request = (spans: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'x' } }] }, scopeSpans: [{ scope: { name: 's' }, spans }] }], ...extra,
});

describe('trace: OTLP read span by span', () => {
  it('reads what the whole-text reader reads: compact, indented, JSON lines, a byte order mark, escapes', () => {
    const tricky = span('02', { name: 'say "spans":[{"x"}] \\', attributes: [{ key: 'gen_ai.tool.call.arguments', value: { stringValue: '{"q":"a\\"}b\\\\"}' } }] });
    const texts = [
      largeTraceText(220),
      JSON.stringify(request([span('01'), tricky])),
      JSON.stringify(request([span('01'), tricky]), null, 2),
      `\ufeff${JSON.stringify(request([span('01')]))}`,
      `${JSON.stringify(request([span('01')]))}\n\n${JSON.stringify(request([span('02')]))}\n`,
      JSON.stringify({ resourceSpans: [{ resource: {}, instrumentationLibrarySpans: [{ spans: [span('07')] }] }] }),
    ];
    for (const text of texts) {
      assert.deepEqual(readTrace(text), slow(text.replace(/^\ufeff/, '')), text.slice(0, 80));
    }
    // And the span-by-span path really is the one taken for the usual shapes.
    assert.equal(spansOf(texts[0])?.length, 220);
    assert.deepEqual(spansOf(texts[1]), [span('01'), tricky]);
    assert.deepEqual(spansOf(texts[2]), [span('01'), tricky]);
  });

  it('parses compact spans in batches exactly: boundaries inside spans (links), across arrays, in strings, bad spans', () => {
    const many = (from: number, n: number, extra: (k: number) => Record<string, unknown> = () => ({})): Record<string, unknown>[] =>
      Array.from({ length: n }, (_, k) => span((from + k).toString(16).padStart(4, '0'), extra(from + k)));
    // Links start with traceId too: `},{"traceId":` inside a span, here every seventh span.
    const link = (k: number): Record<string, unknown> => (k % 7 === 3 ? { links: [{ traceId: 'ab', spanId: 'x1' }, { traceId: 'ab', spanId: 'x2' }] } : {});
    // A name holding the boundary text (escaped inside the string: never a boundary).
    const named = (k: number): Record<string, unknown> => (k % 5 === 0 ? { name: 'a},{"traceId":"ab"' } : {});
    const texts = [
      JSON.stringify(request(many(0, 300, named))),
      JSON.stringify(request(many(0, 200, link))),
      JSON.stringify({ resourceSpans: [
        { scopeSpans: [{ scope: { name: 'a' }, spans: many(0, 70) }, { scope: { name: 'b' }, spans: many(100, 130) }] },
        { scopeSpans: [{ spans: many(300, 3) }] },
      ] }),
      // Spans whose first keys differ (no common boundary after the first).
      JSON.stringify(request([...many(0, 40), ...many(40, 40).map(({ spanId, ...rest }) => ({ spanId, ...rest }))])),
    ];
    for (const text of texts) {
      const want = (JSON.parse(text) as { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] }).resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
      assert.deepEqual(spansOf(text), want, text.slice(0, 80));
      assert.deepEqual(readTrace(text), slow(text));
    }
    // Batches really are taken: far fewer JSON.parse calls than spans.
    const parse = JSON.parse;
    let calls = 0;
    JSON.parse = ((text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown) => {
      calls++;
      return parse(text, reviver);
    }) as typeof JSON.parse;
    try {
      assert.equal(spansOf(texts[0])?.length, 300);
    } finally {
      JSON.parse = parse;
    }
    // (The first 64 spans of an array are walked one by one; the other 236 in four batches.)
    assert.ok(calls < 100, `${calls} JSON.parse calls for 300 spans`);
    // Short arrays one after another are not batched across their ends: every span is parsed
    // once, not once in a failed batch and again (the characters given to JSON.parse say so).
    const short = JSON.stringify({ resourceSpans: [{ scopeSpans: Array.from({ length: 200 }, (_, k) => ({ spans: many(k * 10, 5) })) }] });
    let parsed = 0;
    JSON.parse = ((text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown) => {
      parsed += text.length;
      return parse(text, reviver);
    }) as typeof JSON.parse;
    try {
      assert.equal(spansOf(short)?.length, 1000);
    } finally {
      JSON.parse = parse;
    }
    assert.ok(parsed < 1.2 * short.length, `${parsed} characters parsed for a text of ${short.length}`);
    // A span that is not JSON in the middle of a batch: the whole text goes back to the slow path.
    const bad = JSON.stringify(request(many(0, 100))).replace('"spanId":"0032"', '"spanId":"0032",');
    assert.equal(spansOf(bad), undefined);
  });

  it('searches for boundaries in linear work: many arrays whose boundaries occur nowhere after them, many JSON lines', function () {
    this.timeout(20_000);
    // 300 arrays of 70 spans (batched after the first 64), each array's spans starting with a key
    // of their own: every array's last search finds nothing and would scan on to the end.
    const own = (k: number): Record<string, unknown>[] => Array.from({ length: 70 }, (_, j) => ({ [`k${k}`]: j, ...span(`${k}-${j}`) }));
    const arrays = JSON.stringify({ resourceSpans: [{ scopeSpans: Array.from({ length: 300 }, (_, k) => ({ spans: own(k) })) }] });
    const lines = Array.from({ length: 300 }, (_, k) => JSON.stringify(request(own(k)))).join('\n');
    const indexOf = String.prototype.indexOf;
    let scanned = 0;
    String.prototype.indexOf = function (this: string, search: string, from?: number): number {
      const at = indexOf.call(this, search, from);
      if (search.startsWith('},{')) scanned += (at < 0 ? this.length : at) - (from ?? 0);
      return at;
    };
    try {
      for (const text of [arrays, lines]) {
        scanned = 0;
        assert.equal(readTrace(text).spans.length, 21_000);
        assert.ok(scanned < 4 * text.length, `${scanned} characters scanned for boundaries in a text of ${text.length}`);
      }
    } finally {
      String.prototype.indexOf = indexOf;
    }
  });

  it('reads what the whole-text reader reads on 200 random compact traces, some damaged (batches, links, boundary text in strings)', function () {
    this.timeout(30_000);
    const rand = seededRandom(23);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const randomSpan = (k: number): Record<string, unknown> => {
      const s = span(`s${k}`, {
        name: pick(['execute_tool t', 'x},{"traceId":"ab"', '\\"]}']),
        attributes: [{ key: 'gen_ai.operation.name', value: { stringValue: pick(['execute_tool', 'chat']) } }, { key: 'gen_ai.tool.call.arguments', value: { stringValue: pick(['{"q":"a"}', '},{"traceId":', '"']) } }],
        ...(rand() < 0.2 ? { links: [{ traceId: 'ab', spanId: 'l' }, { traceId: 'ab', spanId: 'm' }] } : {}),
      });
      if (rand() < 0.1) {
        const { spanId, ...rest } = s;
        return { spanId, ...rest };
      }
      return s;
    };
    for (let c = 0; c < 200; c++) {
      const scopeSpans = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => ({ spans: Array.from({ length: Math.floor(rand() * 160) }, (_, k) => randomSpan(k)) }));
      let text = JSON.stringify({ resourceSpans: [{ scopeSpans }] });
      for (let j = Math.floor(rand() * 3); j > 0; j--) {
        const at = Math.floor(rand() * text.length);
        const op = rand();
        text = op < 0.4 ? text.slice(0, at) + text.slice(at + 1) : op < 0.8 ? text.slice(0, at) + pick(['},{"traceId":', ',', '}', ']', '"', '\\']) + text.slice(at) : text.slice(0, at) + text.slice(at).replace('},{', '}, {');
      }
      let want: unknown;
      try {
        want = slow(text);
      } catch {
        assert.throws(() => readTrace(text), TraceError, text.slice(0, 120));
        continue;
      }
      assert.deepEqual(readTrace(text), want, text.slice(0, 120));
    }
  });

  it('hands back what it does not fully understand: repeated keys, other shapes, trailing text, bad syntax anywhere', () => {
    const one = JSON.stringify(request([span('01')]));
    const odd = [
      `{"resourceSpans":[],${one.slice(1)}`, // repeated key: JSON.parse keeps the last one
      JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span('01')] }], instrumentationLibrarySpans: [{ spans: [span('02')] }] }] }),
      JSON.stringify({ resourceSpans: 'none' }),
      JSON.stringify([request([span('01')])]),
      `${one} x`,
      one.replace('"service.name"', '"service.name" "'),
      one.replace('"s"}', '"s",}'),
      one.replace('"spanId":"01"', '"spanId":"01",'),
    ];
    for (const text of odd) assert.equal(spansOf(text), undefined, text.slice(0, 120));
    // Read the slow way, with the same answer or the same positioned error.
    assert.deepEqual(readTrace(odd[0]), slow(odd[0]));
    assert.deepEqual(readTrace(odd[1]), slow(odd[1]));
    assert.throws(() => readTrace(odd[6]), (e: unknown) => e instanceof TraceError && e.line === 1 && e.column === one.indexOf('"s"}') + 5);
  });
});

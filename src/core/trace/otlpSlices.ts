// The spans of an OTLP/JSON export read one at a time, by walking only the structure around
// them (resourceSpans → scopeSpans → spans), so each span is parsed on its own and is garbage as
// soon as it has been read. Parsing a 78 MB trace in one JSON.parse keeps every raw span alive
// until the last one is read, and the garbage collector copies that whole tree from the young
// generation to the old one: it cost more than all of the audit's analysis (docs/audit.md, "Cost").
//
// Every byte is still checked: the walker checks the punctuation between the pieces and hands
// every piece (each span, the resource, the scope, any other member) to JSON.parse. Any other
// shape, a repeated key JSON.parse would resolve differently, or a syntax error anywhere returns
// false, and the caller parses the text as a whole (which positions the error).

/**
 * Calls `onSpan` with each parsed span of the OTLP export request in `[from, to)` of the text
 * (all of it, or one line of a JSON-lines file), in order. False when the text is not one
 * well-formed export request: the caller then reads it the slow way, from the start.
 */
export function forEachOtlpSpan(text: string, onSpan: (raw: unknown) => void, from = 0, to = text.length): boolean {
  const w = new Walker(text, to);
  try {
    let i = w.ws(from);
    if (text.charCodeAt(i) !== 0x7b) return false; // {
    let sawResourceSpans = false;
    i = w.object(i, (key, at) => {
      if (key !== 'resourceSpans') return w.parsed(at);
      if (sawResourceSpans) w.fail();
      sawResourceSpans = true;
      return w.array(at, (el) => {
        let scopes = false;
        return w.object(el, (k, v) => {
          if (k !== 'scopeSpans' && k !== 'instrumentationLibrarySpans') return w.parsed(v);
          if (scopes) w.fail(); // which one wins is readOtlp's rule: leave it to the slow path
          scopes = true;
          return w.array(v, (sc) => {
            let spans = false;
            return w.object(sc, (k2, v2) => {
              if (k2 !== 'spans') return w.parsed(v2);
              if (spans) w.fail();
              spans = true;
              return w.spans(v2, onSpan);
            });
          });
        });
      });
    });
    return sawResourceSpans && w.ws(i) === to;
  } catch (e) {
    if (e instanceof NotThisShape) return false;
    throw e;
  }
}

class NotThisShape extends Error {}

/** Spans parsed in one JSON.parse when their boundaries can be found without walking them. */
const SPANS_PER_PARSE = 64;

/** Positions of the structure, strict about JSON punctuation; the pieces go to JSON.parse. */
class Walker {
  /**
   * The text up to `end` (a slice shares the text's characters), so a search for span boundaries
   * stops at the end of a JSON line instead of running on through the lines after it.
   */
  private readonly bounded: string;
  /**
   * Characters the boundary search may still scan. A successful batch scans about what it parses;
   * a search that finds nothing more (the last spans of an array) may scan to the end: once that
   * has cost twice the text, the rest is walked span by span, so many arrays cannot make the
   * search quadratic.
   */
  private scanBudget: number;

  constructor(private readonly text: string, private readonly end: number) {
    this.bounded = end === text.length ? text : text.slice(0, end);
    this.scanBudget = 2 * end + 65_536;
  }

  ws(i: number): number {
    const t = this.text;
    while (i < this.end) {
      const c = t.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    return i;
  }

  fail(): never {
    throw new NotThisShape();
  }

  /** End (exclusive) of the string opening at i. */
  private stringEnd(i: number): number {
    const t = this.text;
    let j = t.indexOf('"', i + 1);
    while (j >= 0 && j < this.end) {
      let k = j - 1;
      while (t.charCodeAt(k) === 0x5c) k--; // backslashes before the quote
      if ((j - 1 - k) % 2 === 0) return j + 1;
      j = t.indexOf('"', j + 1);
    }
    return this.fail();
  }

  /** End of any value at i, skipping strings whole: its bytes are checked by whoever parses it. */
  private valueEnd(i: number): number {
    const t = this.text;
    const c = t.charCodeAt(i);
    if (c === 0x22) return this.stringEnd(i);
    if (c !== 0x7b && c !== 0x5b) {
      let j = i;
      while (j < this.end && !',}] \n\r\t'.includes(t[j])) j++;
      return j > i ? j : this.fail();
    }
    let depth = 0;
    for (let j = i; j < this.end; ) {
      const d = t.charCodeAt(j);
      if (d === 0x22) {
        j = this.stringEnd(j);
        continue;
      }
      if (d === 0x7b || d === 0x5b) depth++;
      else if (d === 0x7d || d === 0x5d) {
        depth--;
        if (depth === 0) return j + 1;
      }
      j++;
    }
    return this.fail();
  }

  /** A value parsed and dropped (its syntax checked). Returns its end. */
  parsed(i: number): number {
    return this.parse(i, this.valueEnd(i)).end;
  }

  private parse(i: number, e: number): { value: unknown; end: number } {
    try {
      return { value: JSON.parse(this.text.slice(i, e)), end: e };
    } catch {
      return this.fail();
    }
  }

  /**
   * The spans array at i, its spans handed over in order. Compact exports start every span with
   * the same key, so `},{"traceId":` (that key) ends one span and starts the next: up to
   * SPANS_PER_PARSE spans up to such boundaries are parsed in one JSON.parse of `[…]` instead of
   * being walked character by character to find where each ends. This is exact: the quote of
   * `{"` is not inside a string (an unescaped quote ends one, and `traceId":` cannot follow a
   * string's end in valid JSON), and a boundary inside a span (links start with traceId too)
   * leaves that span unclosed in the batch, so the batch does not parse; then, and whenever the
   * batch is not exactly that many spans, the spans are walked one by one as before.
   */
  spans(i: number, onSpan: (raw: unknown) => void): number {
    const t = this.text;
    if (t.charCodeAt(i) !== 0x5b) this.fail(); // not an array: the slow path says what it means
    i = this.ws(i + 1);
    if (t.charCodeAt(i) === 0x5d) return i + 1;
    let boundary = this.boundary(i);
    // The first spans of each array are walked one by one: a batch that runs past the end of a
    // short array into the next fails after parsing that array's spans, which would then be
    // parsed twice; past SPANS_PER_PARSE spans, at most one batch per array costs that.
    let walked = 0;
    for (;;) {
      if (boundary !== undefined && walked >= SPANS_PER_PARSE) {
        const next = this.batch(i, boundary, onSpan);
        // No batch: the boundaries were not all between spans (or the array ends before the
        // last): the rest of this array is walked span by span, so that costs one parse at most.
        if (next === i) boundary = undefined;
        i = next;
      }
      i = this.ws(this.span(i, onSpan));
      walked++;
      const c = t.charCodeAt(i);
      if (c === 0x5d) return i + 1;
      if (c !== 0x2c) this.fail();
      i = this.ws(i + 1);
    }
  }

  /** `},{"KEY":` for the first key of the span at i when it is written compactly, else undefined. */
  private boundary(i: number): string | undefined {
    const t = this.text;
    if (t.charCodeAt(i) !== 0x7b || t.charCodeAt(i + 1) !== 0x22) return undefined;
    const ke = this.stringEnd(i + 1);
    if (t.charCodeAt(ke) !== 0x3a || ke - i > 64 || t.slice(i + 1, ke).includes('\\')) return undefined;
    return `},${t.slice(i, ke + 1)}`;
  }

  /**
   * Spans from i up to the last of at most SPANS_PER_PARSE boundaries, parsed together and handed
   * over; returns where the next span starts (i itself when there is no batch to parse).
   */
  private batch(i: number, boundary: string, onSpan: (raw: unknown) => void): number {
    const t = this.text;
    if (this.scanBudget <= 0) return i;
    let count = 0;
    let last = -1;
    let from = i;
    for (;;) {
      const at = this.bounded.indexOf(boundary, from);
      this.scanBudget -= (at < 0 ? this.end : at + boundary.length) - from;
      if (at < 0) break;
      last = at;
      count++;
      if (count === SPANS_PER_PARSE) break;
      from = at + 1;
    }
    if (count === 0) return i;
    let spans: unknown;
    try {
      spans = JSON.parse(`[${t.slice(i, last + 1)}]`);
    } catch {
      return i; // walked one by one: the walker finds where the text is not what it seems
    }
    if (!Array.isArray(spans) || spans.length !== count) return i;
    for (const raw of spans) onSpan(raw);
    return last + 2;
  }

  /** A span, parsed and handed over. */
  span(i: number, onSpan: (raw: unknown) => void): number {
    const { value, end } = this.parse(i, this.valueEnd(i));
    onSpan(value);
    return end;
  }

  /** The object at i (after whitespace); `member(key, valueStart)` returns the value's end. */
  object(i: number, member: (key: string, at: number) => number): number {
    const t = this.text;
    i = this.ws(i);
    if (t.charCodeAt(i) !== 0x7b) this.fail();
    i = this.ws(i + 1);
    if (t.charCodeAt(i) === 0x7d) return i + 1;
    for (;;) {
      if (t.charCodeAt(i) !== 0x22) this.fail();
      const ke = this.stringEnd(i);
      let key: string;
      try {
        key = JSON.parse(t.slice(i, ke)) as string;
      } catch {
        return this.fail();
      }
      i = this.ws(ke);
      if (t.charCodeAt(i) !== 0x3a) this.fail(); // :
      i = this.ws(member(key, this.ws(i + 1)));
      const c = t.charCodeAt(i);
      if (c === 0x7d) return i + 1;
      if (c !== 0x2c) this.fail(); // ,
      i = this.ws(i + 1);
    }
  }

  /** The array at i; `element(start)` returns the element's end. */
  array(i: number, element: (at: number) => number): number {
    const t = this.text;
    if (t.charCodeAt(i) !== 0x5b) this.fail(); // not an array: the slow path says what it means
    i = this.ws(i + 1);
    if (t.charCodeAt(i) === 0x5d) return i + 1;
    for (;;) {
      i = this.ws(element(i));
      const c = t.charCodeAt(i);
      if (c === 0x5d) return i + 1;
      if (c !== 0x2c) this.fail();
      i = this.ws(i + 1);
    }
  }
}

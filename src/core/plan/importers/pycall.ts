// A small parser for the Python-style calls LLMCompiler plans are written in:
// `search("Nvidia 2023 revenue")`, `search(query='x', k=3)`, `math("$1 / $2")`.
// Hand-written and linear: one pass over the characters, no backtracking regexes, nesting capped.

/** `$N` or `${N}`: the output of step N. */
export interface StepRef {
  readonly step: number;
  readonly offset: number;
  readonly length: number;
}

export type PyValue =
  | { readonly k: 'str'; readonly parts: readonly (string | StepRef)[] }
  | { readonly k: 'ref'; readonly ref: StepRef }
  | { readonly k: 'num'; readonly v: number }
  | { readonly k: 'bool'; readonly v: boolean }
  | { readonly k: 'none' }
  | { readonly k: 'list'; readonly items: readonly PyValue[] }
  | { readonly k: 'dict'; readonly entries: readonly (readonly [string, PyValue])[] };

/** An argument LLMCompiler's parser would keep as raw text (it is not a Python literal). */
export interface RawArgument {
  readonly text: string;
  readonly offset: number;
  readonly length: number;
}

export interface PyCall {
  /** Positional arguments, in order. */
  readonly positional: readonly PyValue[];
  /** Keyword arguments, in order. */
  readonly keywords: readonly (readonly [string, PyValue])[];
  /** Offset just past the closing `)`. */
  readonly end: number;
  readonly refs: readonly StepRef[];
  /** Unquoted words kept as strings, as LLMCompiler does (README "Imported formats"). */
  readonly raws: readonly RawArgument[];
}

export class PyParseError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

const MAX_NESTING = 64;

/**
 * Parses the argument list of a call. `open` is the offset of the `(`. Throws PyParseError with
 * the offset of the problem.
 */
export function parseCallArgs(text: string, open: number): PyCall {
  return new Parser(text, open + 1).call();
}

class Parser {
  private depth = 0;
  private readonly refs: StepRef[] = [];
  private readonly raws: RawArgument[] = [];

  constructor(private readonly text: string, private pos: number) {}

  call(): PyCall {
    const positional: PyValue[] = [];
    const keywords: [string, PyValue][] = [];
    const seen = new Set<string>();
    this.ws();
    while (this.peek() !== ')') {
      if (this.pos >= this.text.length) this.fail("The call is not closed: add ')' at the end.");
      const kw = this.keyword();
      if (kw) {
        if (seen.has(kw.name)) this.fail(`Keyword argument '${kw.name}' is given twice. Keep one.`, kw.offset);
        seen.add(kw.name);
        keywords.push([kw.name, this.value()]);
      } else {
        if (keywords.length > 0) this.fail('A positional argument comes after a keyword argument. Put positional arguments first, or name this one.');
        positional.push(this.value());
      }
      this.ws();
      if (this.peek() === ',') {
        this.pos++;
        this.ws();
      } else if (this.peek() !== ')') {
        this.fail(this.pos >= this.text.length ? "The call is not closed: add ')' at the end." : "Expected ',' or ')' after this argument.");
      }
    }
    return { positional, keywords, end: this.pos + 1, refs: this.refs, raws: this.raws };
  }

  /** `name=` (not `==`): consumes it and returns the name; otherwise consumes nothing. */
  private keyword(): { name: string; offset: number } | undefined {
    const start = this.pos;
    let i = start;
    if (!isIdentStart(this.text.charCodeAt(i))) return undefined;
    while (isIdentPart(this.text.charCodeAt(i))) i++;
    let j = i;
    while (this.text[j] === ' ' || this.text[j] === '\t') j++;
    if (this.text[j] !== '=' || this.text[j + 1] === '=') return undefined;
    this.pos = j + 1;
    this.ws();
    return { name: this.text.slice(start, i), offset: start };
  }

  private value(): PyValue {
    this.ws();
    const c = this.peek();
    if (++this.depth > MAX_NESTING) this.fail(`Arguments are nested more than ${MAX_NESTING} levels deep. Flatten them.`);
    try {
      if (this.atString()) return this.strings();
      if (c === '$') return this.bareRef();
      if (c === '[') return { k: 'list', items: this.sequence('[', ']') };
      if (c === '(') return { k: 'list', items: this.sequence('(', ')') };
      if (c === '{') return this.dict();
      if (c === '-' || c === '+' || c === '.' || isDigit(this.text.charCodeAt(this.pos))) return this.number();
      if (isIdentStart(this.text.charCodeAt(this.pos))) return this.word();
      if (this.pos >= this.text.length) this.fail("The call is not closed: add ')' at the end.");
      if (c === ',' || c === ')') return this.fail(`Unexpected '${c}'. Arguments are strings in quotes, numbers, True/False/None, lists, dicts or $N references.`);
      return this.rawText(this.pos);
    } finally {
      this.depth--;
    }
  }

  /** A string literal starts here: a quote, or a prefix (r, b, u, f, rb, br…) and a quote. */
  private atString(): boolean {
    let i = this.pos;
    for (let k = 0; k < 2 && /[rRbBuUfF]/.test(this.text[i] ?? ''); k++) i++;
    const q = this.text[i];
    return q === '"' || q === "'";
  }

  /** One string literal, or several adjacent ones joined (Python's implicit concatenation: "a" "b" == "ab"). */
  private strings(): PyValue {
    const parts: (string | StepRef)[] = [];
    for (;;) {
      let raw = false;
      while (this.text[this.pos] !== '"' && this.text[this.pos] !== "'") {
        if (this.text[this.pos] === 'r' || this.text[this.pos] === 'R') raw = true;
        this.pos++;
      }
      const one = this.string(raw);
      if (one.k === 'str') for (const p of one.parts) {
        const last = parts[parts.length - 1];
        if (typeof p === 'string' && typeof last === 'string') parts[parts.length - 1] = last + p;
        else if (p !== '' || parts.length === 0) parts.push(p);
      }
      const save = this.pos;
      this.ws();
      if (!this.atString()) { this.pos = save; break; }
    }
    return { k: 'str', parts: parts.length ? parts : [''] };
  }

  private sequence(open: string, close: string): PyValue[] {
    this.pos++; // open
    const items: PyValue[] = [];
    this.ws();
    while (this.peek() !== close) {
      items.push(this.value());
      this.ws();
      if (this.peek() === ',') {
        this.pos++;
        this.ws();
      } else if (this.peek() !== close) {
        this.fail(this.pos >= this.text.length ? `A '${open}' is not closed: add '${close}'.` : `Expected ',' or '${close}' in this list.`);
      }
    }
    this.pos++;
    return items;
  }

  private dict(): PyValue {
    this.pos++;
    const entries: [string, PyValue][] = [];
    this.ws();
    while (this.peek() !== '}') {
      const keyAt = this.pos;
      const key = this.value();
      let name: string;
      if (key.k === 'str') name = key.parts.map((p) => (typeof p === 'string' ? p : `$${p.step}`)).join('');
      else if (key.k === 'num') name = String(key.v);
      else return this.fail('Dict keys must be strings or numbers, e.g. {"city": "Paris"}.', keyAt);
      this.ws();
      if (this.peek() !== ':') this.fail("Expected ':' after the dict key.");
      this.pos++;
      entries.push([name, this.value()]);
      this.ws();
      if (this.peek() === ',') {
        this.pos++;
        this.ws();
      } else if (this.peek() !== '}') {
        this.fail(this.pos >= this.text.length ? "A '{' is not closed: add '}'." : "Expected ',' or '}' in this dict.");
      }
    }
    this.pos++;
    return { k: 'dict', entries };
  }

  private string(raw: boolean): PyValue {
    const start = this.pos;
    const q = this.text[start];
    const triple = this.text[start + 1] === q && this.text[start + 2] === q;
    this.pos += triple ? 3 : 1;
    const parts: (string | StepRef)[] = [];
    let buf = '';
    for (;;) {
      if (this.pos >= this.text.length) this.fail(`This string is not closed: add the closing ${triple ? q.repeat(3) : q}.`, start);
      const c = this.text[this.pos];
      if (c === q && (!triple || (this.text[this.pos + 1] === q && this.text[this.pos + 2] === q))) {
        this.pos += triple ? 3 : 1;
        break;
      }
      if ((c === '\n' || c === '\r') && !triple) this.fail(`This string is not closed on its line: add the closing ${q}.`, start);
      if (c === '\\' && !raw) {
        buf += this.escape();
        continue;
      }
      if (c === '\\' && raw && this.pos + 1 < this.text.length) {
        buf += c + this.text[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (c === '$') {
        const ref = this.ref();
        if (ref) {
          if (buf) parts.push(buf);
          buf = '';
          parts.push(ref);
          continue;
        }
      }
      buf += c;
      this.pos++;
    }
    if (buf || parts.length === 0) parts.push(buf);
    return { k: 'str', parts };
  }

  private escape(): string {
    const at = this.pos;
    const c = this.text[this.pos + 1];
    this.pos += 2;
    switch (c) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case 'a': return '\x07';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'v': return '\v';
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
        // Octal: up to three digits (\0, \12, \101).
        let j = this.pos - 1;
        let digits = '';
        while (digits.length < 3 && /[0-7]/.test(this.text[j] ?? '')) digits += this.text[j++];
        this.pos = j;
        return String.fromCharCode(parseInt(digits, 8));
      }
      case '\\': return '\\';
      case "'": return "'";
      case '"': return '"';
      case '\n': return '';
      case 'x':
      case 'u':
      case 'U': {
        const n = c === 'x' ? 2 : c === 'u' ? 4 : 8;
        const hex = this.text.slice(this.pos, this.pos + n);
        if (!new RegExp(`^[0-9A-Fa-f]{${n}}$`).test(hex)) this.fail(`Bad \\${c} escape: it needs ${n} hex digits.`, at);
        this.pos += n;
        return String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff));
      }
      case undefined: return this.fail('This string is not closed.', at);
      default: return `\\${c}`; // Python keeps unknown escapes as written
    }
  }

  /** `$N` / `${N}` at this.pos: consumes and records it, or returns undefined (a plain `$`). */
  private ref(): StepRef | undefined {
    const start = this.pos;
    let i = start + 1;
    const braced = this.text[i] === '{';
    if (braced) i++;
    const digits = i;
    while (isDigit(this.text.charCodeAt(i)) && i - digits < 9) i++;
    if (i === digits) return undefined;
    if (braced) {
      if (this.text[i] !== '}') return undefined;
      i++;
    }
    const ref = { step: Number(this.text.slice(digits, braced ? i - 1 : i)), offset: start, length: i - start };
    this.pos = i;
    this.refs.push(ref);
    return ref;
  }

  private bareRef(): PyValue {
    const ref = this.ref();
    if (!ref) return this.fail('A reference is written $N or ${N}, where N is an earlier step number, e.g. $1.');
    return { k: 'ref', ref };
  }

  private number(): PyValue {
    const re = /[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m) return this.fail('Expected a number here.');
    const v = Number(m[0]);
    if (!Number.isFinite(v)) this.fail('This number is too large.');
    this.pos += m[0].length;
    return { k: 'num', v };
  }

  private word(): PyValue {
    const start = this.pos;
    let i = start;
    while (isIdentPart(this.text.charCodeAt(i))) i++;
    const w = this.text.slice(start, i);
    const next = this.peekAfter(i);
    if (next === ',' || next === ')' || next === ']' || next === '}' || next === ':' || next === undefined) {
      switch (w) {
        case 'True': case 'true': this.pos = i; return { k: 'bool', v: true };
        case 'False': case 'false': this.pos = i; return { k: 'bool', v: false };
        case 'None': case 'null': this.pos = i; return { k: 'none' };
        default: break;
      }
    }
    return this.rawText(start);
  }

  /**
   * Text that is not a Python literal (`search(Austin Powers)`): LLMCompiler's parser keeps such an
   * argument as the raw text, so Fanout does too, up to the `,` or `)` that ends the argument
   * (brackets and quotes inside are skipped over), and records it for an info diagnostic.
   */
  private rawText(start: number): PyValue {
    let i = start;
    let depth = 0;
    let quote: string | undefined;
    for (; i < this.text.length; i++) {
      const c = this.text[i];
      if (quote) { if (c === '\\') i++; else if (c === quote) quote = undefined; continue; }
      if (c === '\n' && depth === 0) break;
      if (c === '"' || c === "'") quote = c;
      else if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') { if (depth === 0) break; depth--; }
      else if (c === ',' && depth === 0) break;
    }
    const raw = this.text.slice(start, i).trimEnd();
    const parts: (string | StepRef)[] = [];
    let buf = '';
    this.pos = start;
    const end = start + raw.length;
    while (this.pos < end) {
      if (this.text[this.pos] === '$') {
        const ref = this.ref();
        if (ref) { if (buf) parts.push(buf); buf = ''; parts.push(ref); continue; }
      }
      buf += this.text[this.pos++];
    }
    if (buf || parts.length === 0) parts.push(buf);
    this.raws.push({ text: raw, offset: start, length: raw.length });
    return { k: 'str', parts };
  }

  private peekAfter(i: number): string | undefined {
    while (this.text[i] === ' ' || this.text[i] === '\t') i++;
    return this.text[i];
  }

  private ws(): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.pos++;
      else if (c === '#') {
        while (this.pos < this.text.length && this.text[this.pos] !== '\n') this.pos++;
      } else return;
    }
  }

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  private fail(message: string, offset = this.pos): never {
    throw new PyParseError(message, Math.min(offset, this.text.length));
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}

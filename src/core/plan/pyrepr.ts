// What Python's print() shows for an SDK object, read as the JSON-shaped tree the importers read:
// `ChatCompletionMessage(content=None, role='assistant', tool_calls=[ChatCompletionMessageToolCall(
// id='call_abc', function=Function(arguments='{"city":"Paris"}', name='get_weather'), type='function')])`
// becomes { content: null, role: 'assistant', tool_calls: [{ id, function: { arguments, name }, type }] }:
// the shape of the same object's JSON (model_dump), so the OpenAI, Anthropic… importers take it as
// it is, with positions in the printed text. Pydantic reprs name every field (`k=v`); positional
// arguments (dataclasses printed another way, `datetime(2024, 1, 1)`) become keys "0", "1"….
// print() itself shows pydantic's __str__, the fields without the class name (`parts=[…] role='model'`):
// read as one object too. google-genai's fields are renamed by the caller's fieldKey (docs/formats.md).
// Hand-written and linear; nesting is capped by the caller (bracketDepth in parse.ts).
import type { PNode, PProperty, TreeResult } from './tree';

/** `Name(` at the start (after whitespace): the text is a printed object, not JSON or YAML. */
export const PY_REPR_START = /^\s*[A-Za-z_][A-Za-z0-9_.]*\(/;

class ReprError extends Error {
  constructor(message: string, readonly offset: number, readonly length = 1) {
    super(message);
  }
}

/**
 * `field=value field=value …` at the start: what print() shows for a pydantic model (its __str__
 * leaves out the class name and separates fields by spaces), e.g. google-genai's
 * `print(response.candidates[0].content)` → `parts=[Part(…)] role='model'`.
 */
export const PY_STR_START = /^\s*[A-Za-z_][A-Za-z0-9_]*=(?!=)/;

export interface ReprOptions {
  /**
   * Renames the fields of printed objects (`Name(field=…)` and the top-level `field=…` form), not
   * the keys of dicts (`{'k': …}`: user data such as a call's arguments). google-genai prints
   * snake_case fields where the API's JSON, which the Gemini importer reads, is camelCase.
   */
  readonly fieldKey?: (field: string) => string;
  /** `<FinishReason.STOP: 'STOP'>` → 'STOP' (the enum's value, as model_dump gives it); else its text. */
  readonly enumValues?: boolean;
}

export function parsePythonRepr(text: string, options: ReprOptions = {}): TreeResult {
  const p = new ReprParser(text, options);
  try {
    const root = PY_STR_START.test(text) ? p.fields() : p.value();
    p.ws();
    if (p.i < text.length) throw new ReprError('Unexpected text after the printed object. Paste one printed object (the output of one print()).', p.i, text.length - p.i);
    return { ok: true, root };
  } catch (e) {
    if (e instanceof ReprError) return { ok: false, errors: [{ message: e.message, offset: e.offset, length: e.length }] };
    throw e;
  }
}

class ReprParser {
  i = 0;
  constructor(private readonly t: string, private readonly options: ReprOptions) {}

  /** The top-level `field=value field=value` form of pydantic's __str__: an object of its fields. */
  fields(): PNode {
    this.ws();
    const start = this.i;
    const properties: PProperty[] = [];
    while (this.i < this.t.length) {
      const kw = /^([A-Za-z_][A-Za-z0-9_]*)=(?!=)/.exec(this.t.slice(this.i, this.i + 256));
      if (!kw) throw new ReprError('Expected "field=value" here in the printed object.', this.i);
      const keyOffset = this.i;
      this.i += kw[0].length;
      properties.push({ key: this.fieldKey(kw[1]), keyOffset, keyLength: kw[1].length, value: this.value() });
      this.ws();
      if (this.t[this.i] === ',') {
        this.i++;
        this.ws();
      }
    }
    return { type: 'object', offset: start, length: this.i - start, properties };
  }

  private fieldKey(field: string): string {
    return this.options.fieldKey ? this.options.fieldKey(field) : field;
  }

  ws(): void {
    while (this.i < this.t.length && /\s/.test(this.t[this.i])) this.i++;
  }

  private expect(c: string, what: string): void {
    this.ws();
    if (this.t[this.i] !== c) throw new ReprError(`Expected ${what} here in the printed object.`, this.i);
    this.i++;
  }

  value(): PNode {
    this.ws();
    const start = this.i;
    const c = this.t[this.i];
    if (c === undefined) throw new ReprError('The printed object ends too early: is it cut off?', start, 0);
    if (c === '[' || c === '(') return this.list(c === '[' ? ']' : ')');
    if (c === '{') return this.dict();
    if (c === '<') {
      // `<Role.USER: 'user'>`, `<object at 0x…>`: no JSON counterpart; its text is the value.
      const end = this.t.indexOf('>', start);
      if (end < 0) throw new ReprError('A "<…>" value is not closed.', start);
      this.i = end + 1;
      const text = this.t.slice(start, this.i);
      const member = this.options.enumValues ? /^<[A-Za-z_][\w.]*: '([^'\\]*)'>$/.exec(text) : null;
      return { type: 'string', offset: start, length: this.i - start, value: member ? member[1] : text };
    }
    const prefix = /^[rRbBuU]{0,2}(?=['"])/.exec(this.t.slice(start, start + 3));
    if (prefix) return this.string(prefix[0]);
    const num = /^-?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)/.exec(this.t.slice(start, start + 64));
    if (num) {
      this.i += num[0].length;
      return { type: 'number', offset: start, length: num[0].length, value: Number(num[0]) };
    }
    const name = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(this.t.slice(start, start + 256));
    if (!name) throw new ReprError(`Unexpected character '${c}' in the printed object.`, start);
    this.i += name[0].length;
    if (name[0] === 'None') return { type: 'null', offset: start, length: 4 };
    if (name[0] === 'True' || name[0] === 'False') return { type: 'boolean', offset: start, length: name[0].length, value: name[0] === 'True' };
    this.ws();
    if (this.t[this.i] === '(') return this.call(start);
    // A bare name (an enum member printed as `Role.USER`, `inf`, `nan`): its text.
    return { type: 'string', offset: start, length: name[0].length, value: name[0] };
  }

  /** `Name(k=v, …)` → an object of its fields. */
  private call(start: number): PNode {
    this.i++; // (
    const properties: PProperty[] = [];
    let positional = 0;
    this.ws();
    while (this.t[this.i] !== ')') {
      this.ws();
      const kw = /^([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)/.exec(this.t.slice(this.i, this.i + 256));
      let key: string;
      let keyOffset = this.i;
      let keyLength: number;
      if (kw) {
        key = this.fieldKey(kw[1]);
        keyLength = kw[1].length;
        this.i += kw[0].length;
      } else {
        key = String(positional++);
        keyOffset = this.i;
        keyLength = 0;
      }
      properties.push({ key, keyOffset, keyLength, value: this.value() });
      this.ws();
      if (this.t[this.i] === ',') {
        this.i++;
        this.ws();
      } else if (this.t[this.i] !== ')') throw new ReprError('Expected "," or ")" here in the printed object.', this.i);
    }
    this.i++;
    return { type: 'object', offset: start, length: this.i - start, properties };
  }

  private list(close: string): PNode {
    const start = this.i++;
    const items: PNode[] = [];
    this.ws();
    while (this.t[this.i] !== close) {
      items.push(this.value());
      this.ws();
      if (this.t[this.i] === ',') {
        this.i++;
        this.ws();
      } else if (this.t[this.i] !== close) throw new ReprError(`Expected "," or "${close}" here in the printed object.`, this.i);
    }
    this.i++;
    return { type: 'array', offset: start, length: this.i - start, items };
  }

  private dict(): PNode {
    const start = this.i++;
    const properties: PProperty[] = [];
    this.ws();
    while (this.t[this.i] !== '}') {
      const k = this.value();
      const key = k.type === 'string' ? k.value : k.type === 'number' ? String(k.value) : k.type === 'null' ? 'None' : k.type === 'boolean' ? (k.value ? 'True' : 'False') : undefined;
      if (key === undefined) throw new ReprError('A dict key here is not a string or a number.', k.offset, k.length);
      this.expect(':', '":"');
      properties.push({ key, keyOffset: k.offset, keyLength: k.length, value: this.value() });
      this.ws();
      if (this.t[this.i] === ',') {
        this.i++;
        this.ws();
      } else if (this.t[this.i] !== '}') throw new ReprError('Expected "," or "}" here in the printed object.', this.i);
    }
    this.i++;
    return { type: 'object', offset: start, length: this.i - start, properties };
  }

  /** A Python string literal as repr() writes it: quotes, backslash escapes, a raw or bytes prefix. */
  private string(prefix: string): PNode {
    const start = this.i;
    this.i += prefix.length;
    const raw = /r/i.test(prefix);
    const q = this.t[this.i];
    const triple = this.t.startsWith(q.repeat(3), this.i);
    const close = triple ? q.repeat(3) : q;
    this.i += close.length;
    let out = '';
    for (;;) {
      if (this.i >= this.t.length) throw new ReprError('A string is not closed (is the printed object cut off?).', start);
      if (this.t.startsWith(close, this.i)) {
        this.i += close.length;
        break;
      }
      const c = this.t[this.i];
      if (c === '\n' && !triple) throw new ReprError('A string is not closed before the end of the line.', start);
      if (c !== '\\') {
        out += c;
        this.i++;
        continue;
      }
      const n = this.t[this.i + 1];
      if (raw) {
        out += c + (n ?? '');
        this.i += 2;
        continue;
      }
      this.i += 2;
      switch (n) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case '0': out += '\0'; break;
        case '\\': case "'": case '"': out += n; break;
        case '\n': break; // line continuation
        case 'x': case 'u': case 'U': {
          const len = n === 'x' ? 2 : n === 'u' ? 4 : 8;
          const hex = this.t.slice(this.i, this.i + len);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) throw new ReprError(`"\\${n}" needs ${len} hex digits.`, this.i - 2, 2 + len);
          out += String.fromCodePoint(parseInt(hex, 16));
          this.i += len;
          break;
        }
        default: out += `\\${n ?? ''}`;
      }
    }
    return { type: 'string', offset: start, length: this.i - start, value: out };
  }
}

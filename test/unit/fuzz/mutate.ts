// Seeded mutations of a seed text: byte-level edits plus structural ones that aim at the parser's
// limits (aliases, nesting, long ids, extreme numbers, references, prototype keys).

export type Random = () => number;

const TOKENS = [
  '{', '}', '[', ']', ',', ':', '"', "'", '\n', '  ', '- ', '*a', '&a ', '<<: *a\n', '!!binary ', '? ', '|\n', '#',
  '${a.output}', '${t.output.x}', '${__proto__.output}', '$1', '"__proto__"', '"constructor"', 'prototype',
  '1e309', '-1e309', '1e15', '-0', 'NaN', '.inf', '-.inf', '0x7fffffff', '9007199254740993', 'null', 'true',
  '"dependsOn": ["a"]', '"retries": 1000000000', '"timeoutMs": 0', '"durationMs": 1e15', '\u0000', '\ufeff', '\u2028',
  '```json\n', '```\n', 'x; touch /tmp/p', '$(id)', '`id`',
];

function pick<T>(r: Random, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

function int(r: Random, n: number): number {
  return Math.floor(r() * n);
}

function one(text: string, r: Random): string {
  const at = int(r, text.length + 1);
  const len = 1 + int(r, Math.min(64, Math.max(1, text.length - at)));
  switch (int(r, 12)) {
    case 0: return text.slice(0, at) + text.slice(at + len); // delete
    case 1: return text.slice(0, at) + pick(r, TOKENS) + text.slice(at); // insert a token
    case 2: return text.slice(0, at) + text.slice(at, at + len).repeat(2 + int(r, 6)) + text.slice(at); // duplicate
    case 3: { // flip a character
      if (text.length === 0) return text;
      const c = String.fromCharCode(32 + int(r, 95));
      return text.slice(0, at) + c + text.slice(at + 1);
    }
    case 4: return text.slice(0, at); // truncate
    case 5: return text.slice(0, at) + 'x'.repeat(1000 + int(r, 20000)) + text.slice(at); // a long token
    case 6: { // nest
      const depth = 10 + int(r, 200);
      return text.slice(0, at) + '['.repeat(depth) + '1' + ']'.repeat(depth) + text.slice(at);
    }
    case 7: { // replace a number with an extreme one, or every number (all durations at once:
      // sums of durations are where a missing bound shows, 2 × 1e308 is not a finite number)
      const extreme = pick(r, ['1e308', '1e15', '-5', '0', '1e999', '0.0000001', '4294967296']);
      return r() < 0.5 ? text.replace(/\b\d+(\.\d+)?\b/, extreme) : text.replace(/\b\d+(\.\d+)?\b/g, extreme);
    }
    case 8: { // swap two slices
      const b = int(r, text.length + 1);
      const [x, y] = at < b ? [at, b] : [b, at];
      return text.slice(y, y + len) + text.slice(x, y) + text.slice(0, x) + text.slice(y + len);
    }
    case 9: { // rename ids to prototype keys or long strings
      return text.replace(/"id":\s*"[^"]*"|id:\s*\S+/, pick(r, ['"id": "__proto__"', 'id: constructor', 'id: prototype', `id: ${'q'.repeat(5000)}`]));
    }
    case 10: { // YAML anchors and aliases around a value
      return text.slice(0, at) + pick(r, ['&a [*a]', '&a {x: 1}', '*a', '*b', '[*a, *a, *a, *a]', '&b [*a,*a,*a,*a,*a,*a,*a,*a]']) + text.slice(at);
    }
    default: { // many references to one output
      return text.slice(0, at) + '"${a.output} '.repeat(50 + int(r, 500)) + '"' + text.slice(at);
    }
  }
}

/** 1–4 mutations of `text`, deterministic for a given random source. */
export function mutate(text: string, r: Random): string {
  let out = text;
  const n = 1 + int(r, 4);
  for (let i = 0; i < n; i++) out = one(out, r);
  return out;
}

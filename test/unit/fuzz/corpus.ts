// Seeds for the fuzzer (test/unit/fuzz/README in the project README's Testing section): every
// sample, exercise and importer fixture the repo ships, plus a few hostile shapes written out.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Seed {
  readonly name: string;
  readonly text: string;
}

const ROOT = join(__dirname, '..', '..', '..');
const DIRS = ['lessons/samples', 'lessons/exercises', 'test/unit/importers/fixtures', 'test/fixtures/payloads'];
const EXT = /\.(json|jsonc|ya?ml|txt|md|jsonl|sse)$/i;

function walk(dir: string, out: string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names.sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (EXT.test(n) && statSync(p).size < 200_000) out.push(p);
  }
}

/** Hand-written seeds for the classes issue 12 names: alias bombs, deep values, huge numbers, prototype keys. */
const HOSTILE: readonly Seed[] = [
  { name: 'alias-bomb.yaml', text: 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ntools:\n  - id: t\n    kind: simulate\n    args: { v: *f }\n' },
  { name: 'result-alias.yaml', text: 'x: &x [1,2,3,4,5,6,7,8]\ny: &y [*x,*x,*x,*x,*x,*x,*x,*x]\nz: &z [*y,*y,*y,*y,*y,*y,*y,*y]\ntools:\n  - id: a\n    kind: simulate\n    args: { durationMs: 10, result: *z }\n  - id: b\n    kind: simulate\n    dependsOn: [a]\n    args: { durationMs: 5, q: "${a.output}", r: "${a.output}", s: "${a.output} ${a.output}" }\n  - id: c\n    kind: simulate\n    args: { durationMs: 5, q: "${a.output}", r: "${b.output}" }\n' },
  { name: 'extreme.json', text: '{"maxConcurrency": 3, "tools": [{"id":"a","kind":"simulate","args":{"durationMs":1e300}},{"id":"b","kind":"simulate","args":{"durationMs":1e300},"dependsOn":["a"]},{"id":"c","kind":"simulate","retries":1000000000,"timeoutMs":-1,"args":{"durationMs":1e15}}]}' },
  { name: 'proto.json', text: '{"tools": [{"id":"__proto__","kind":"simulate","args":{"durationMs":5,"__proto__":{"x":1},"constructor":"${constructor.output}"}},{"id":"constructor","kind":"simulate","args":{"durationMs":5},"dependsOn":["__proto__"]},{"id":"prototype","kind":"simulate","args":{"durationMs":5,"x":"${constructor.output} ${__proto__.output}"},"dependsOn":["constructor"]}]}' },
  { name: 'llmcompiler.txt', text: '1. search(query="a")\n2. search(query="$1")\n3. join()\n<END_OF_PLAN>\n' },
];

export function loadSeeds(): Seed[] {
  const files: string[] = [];
  for (const d of DIRS) walk(join(ROOT, d), files);
  return [...files.map((f) => ({ name: relative(ROOT, f), text: readFileSync(f, 'utf8') })), ...HOSTILE];
}

// "Did you mean …?" for ids, keys and enum values: small edit distance, case-insensitive.

/**
 * Names longer than this get no suggestion: a typo is made in a name someone typed, and comparing
 * a 50,000-character id with another costs 2.5 billion steps (issue 12). README "Input limits".
 */
export const MAX_SUGGEST_LENGTH = 64;

export function closest(word: string, options: readonly string[]): string | undefined {
  if (word.length > MAX_SUGGEST_LENGTH) return undefined;
  const w = word.toLowerCase();
  // The farthest a suggestion may be; only options within it are compared, each in a band.
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestD = limit + 1;
  for (const o of options) {
    if (o.length > MAX_SUGGEST_LENGTH || Math.abs(o.length - w.length) >= bestD) continue;
    const d = boundedEditDistance(w, o.toLowerCase(), bestD - 1);
    if (d < bestD) {
      bestD = d;
      best = o;
      if (d === 0) break;
    }
  }
  return best;
}

/**
 * Levenshtein distance when it is at most `max`, else max + 1: only the diagonal band of width
 * 2·max + 1 is filled, and a row whose best is past max ends the search (Ukkonen's cut-off).
 */
export function boundedEditDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const far = max + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j <= max ? j : far;
  for (let i = 1; i <= a.length; i++) {
    const lo = Math.max(1, i - max);
    const hi = Math.min(b.length, i + max);
    cur[0] = i <= max ? i : far;
    if (lo > 1) cur[lo - 1] = far;
    let rowBest = cur[0];
    for (let j = lo; j <= hi; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1));
      cur[j] = v > far ? far : v;
      if (cur[j] < rowBest) rowBest = cur[j];
    }
    if (hi < b.length) cur[hi + 1] = far;
    if (rowBest > max) return far;
    [prev, cur] = [cur, prev];
  }
  return Math.min(prev[b.length], far);
}

/** Levenshtein distance (insertions, deletions, substitutions), two rows of memory. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/**
 * Words newcomers write (from other formats: GitHub Actions `needs`, Compose `depends_on`, …) for
 * a tool kind or a plan key; what they mean. Used only when that meaning is one of the options.
 */
const SYNONYMS: Readonly<Record<string, string>> = {
  needs: 'dependsOn', deps: 'dependsOn', depends: 'dependsOn', after: 'dependsOn', requires: 'dependsOn', dependencies: 'dependsOn', waitfor: 'dependsOn',
  retry: 'retries', maxretries: 'retries', max_retries: 'retries', attempts: 'retries',
  timeout: 'timeoutMs', timeout_ms: 'timeoutMs', timeoutms: 'timeoutMs', duration: 'estimateMs', estimate: 'estimateMs',
  type: 'kind', runner: 'kind', params: 'args', parameters: 'args', arguments: 'args', input: 'args', inputs: 'args', with: 'args',
  concurrency: 'maxConcurrency', parallelism: 'maxConcurrency', max_parallel: 'maxConcurrency', maxparallel: 'maxConcurrency', workers: 'maxConcurrency',
  steps: 'tools', calls: 'tools', tasks: 'tools', jobs: 'tools', title: 'name',
  bash: 'shell', sh: 'shell', zsh: 'shell', cmd: 'shell', exec: 'shell', command: 'shell', process: 'shell', terminal: 'shell',
  fetch: 'http', request: 'http', curl: 'http', get: 'http', post: 'http', api: 'http', rest: 'http', url: 'http', https: 'http', web: 'http',
  sleep: 'simulate', wait: 'simulate', delay: 'simulate', mock: 'simulate', fake: 'simulate', sim: 'simulate', simulated: 'simulate', simulation: 'simulate', noop: 'simulate', tool: 'simulate',
  compute: 'cpu', worker: 'cpu', work: 'cpu', busy: 'cpu',
  lm: 'vscode.lm', vscode: 'vscode.command', js: 'function', javascript: 'function', module: 'function',
};

/** "Did you mean": a near spelling, else a known synonym that is one of the options. */
export function closestOrSynonym(word: string, options: readonly string[]): string | undefined {
  const near = closest(word, options);
  if (near) return near;
  const key = word.toLowerCase();
  const synonym = Object.prototype.hasOwnProperty.call(SYNONYMS, key) ? SYNONYMS[key] : undefined;
  return synonym !== undefined && options.includes(synonym) ? synonym : undefined;
}

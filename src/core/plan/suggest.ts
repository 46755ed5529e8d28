// "Did you mean …?" for ids, keys and enum values: small edit distance, case-insensitive.

export function closest(word: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const o of options) {
    const d = distance(word.toLowerCase(), o.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = o;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

function distance(a: string, b: string): number {
  return Math.abs(a.length - b.length) > 4 ? 99 : editDistance(a, b); // cheap exit: far apart anyway
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

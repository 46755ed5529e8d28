// Native plan text for the bench's large-plan figures (memory, analysis speed): a seeded layered
// DAG of `simulate` tools with lognormal durations, as a `.toolplan.json` file would hold it.
import { generate } from './generators';

export function largePlanText(n: number, maxConcurrency = 16, seed = 77): string {
  const g = generate('layered', n, seed);
  const tools = g.preds.map((ps, i) => ({
    id: `t${i}`,
    kind: 'simulate',
    args: { durationMs: g.durations[i] },
    ...(ps.length > 0 ? { dependsOn: ps.map((p) => `t${p}`) } : {}),
  }));
  return JSON.stringify({ name: `generated ${n}-tool plan`, maxConcurrency, tools }, null, 1);
}

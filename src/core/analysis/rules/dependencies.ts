import { makeDiagnostic } from '../../plan/diagnostics';
import type { Diagnostic } from '../../plan/types';
import type { RuleContext } from '../analyze';
import { addDependencies } from '../fixes';
import { names, quickFix, toolRange } from './common';

/**
 * undeclared-dependency: a tool reads `${x.output}` but does not list x in dependsOn. Fanout infers
 * the edge, but the plan says "independent" to every other reader: an agent runtime that issues the
 * batch at once calls the tool before x has produced anything. One diagnostic per tool, naming
 * every missing id, with a fix that declares them all.
 */
export function undeclaredDependencyRule(ctx: RuleContext): Diagnostic[] {
  const { plan, graph } = ctx;
  const missing = new Map<number, string[]>();
  for (const e of graph.edges) {
    if (e.via !== 'reference') continue;
    const to = graph.indexOf.get(e.to) as number;
    const list = missing.get(to);
    if (list) list.push(e.from);
    else missing.set(to, [e.from]);
  }
  const out: Diagnostic[] = [];
  for (const [i, refs] of [...missing].sort((a, b) => a[0] - b[0])) {
    const tool = plan.tools[i];
    const these = refs.map((r) => `\${${r}.output}`).join(', ');
    const plural = refs.length > 1;
    out.push(makeDiagnostic({
      code: 'undeclared-dependency',
      range: toolRange(tool, 'args'),
      tools: [tool.id, ...refs],
      message: `Tool '${tool.id}' uses ${these} but does not list ${names(refs)} in dependsOn: a runtime that trusts dependsOn would issue these dependent calls in parallel, before ${plural ? 'those outputs exist' : 'that output exists'}. Add ${names(refs)} to dependsOn.`,
      suggestion: `Declare every tool whose output you use: dependsOn: [${[...tool.dependsOn, ...refs].join(', ')}].`,
      ...quickFix(`Add ${names(refs)} to dependsOn of '${tool.id}'`, ctx.text !== undefined ? addDependencies(ctx.text, plan, tool, refs) : undefined),
    }));
  }
  return out;
}

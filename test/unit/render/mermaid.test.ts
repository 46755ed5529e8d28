import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/core/analysis/analyze';
import type { Plan } from '../../../src/core/plan/types';
import { escapeMermaidLabel, mermaidNodeId, renderMermaid } from '../../../src/core/render/mermaid';
import { makePlan } from '../helpers/planBuilder';

const HOSTILE = [
  '"]; click t1 "javascript:alert(1)"; x["',
  '<img src=x onerror=alert(1)>',
  'a %% comment',
  'b:::critical',
  '`**markdown**`',
  'pipe | and #quot; and & and ;',
  'line\nbreak\r\nend --> t0',
  'click t0 call alert()',
  'end',
  'style t0 fill:#f00',
];

function withLabels(plan: Plan, labels: readonly string[]): Plan {
  return { ...plan, tools: plan.tools.map((t, i) => (labels[i] !== undefined ? { ...t, label: labels[i] } : t)) };
}

/** Strips Mermaid entity codes (#60; #quot;) so we can look at what is left as raw syntax. */
function withoutEntities(s: string): string {
  return s.replace(/#(?:\d+|[a-z]+);/g, '');
}

/** The quoted label of every node line, in order. */
function labelsOf(text: string): string[] {
  return [...text.matchAll(/^ {2}t\d+\W{1,2}"([^"]*)"/gm)].map((m) => m[1]);
}

describe('render/mermaid', () => {
  const chain = makePlan([
    { id: 'weather', durationMs: 800 },
    { id: 'flights', kind: 'http', estimateMs: 1200 },
    { id: 'summary', kind: 'shell', args: { command: 'echo ${weather.output}' }, dependsOn: ['flights'] },
    { id: 'notify', durationMs: 100, dependsOn: ['summary'] },
  ]);

  it('uses stable node ids by plan index and draws declared vs reference edges differently', () => {
    const r = renderMermaid(analyze(chain));
    assert.equal(mermaidNodeId(0), 't0');
    assert.equal(mermaidNodeId(17), 't17');
    assert.equal(r.mode, 'full');
    assert.match(r.text, /^flowchart LR\n/);
    assert.match(r.text, /^ {2}t0\("weather<br\/>800 ms"\)$/m);
    assert.match(r.text, /^ {2}t1\{\{"flights<br\/>1\.2 s"\}\}$/m, 'http is a hexagon');
    assert.match(r.text, /^ {2}t2\[\["summary<br\/>1 s"\]\]$/m, 'shell is a subroutine');
    assert.match(r.text, /^ {2}t1 --> t2$/m, 'declared edge is solid');
    assert.match(r.text, /^ {2}t0 -\.-> t2$/m, 'reference-only edge is dotted');
    assert.equal(r.edgeCount, 3);
    // Same plan, same text: ids do not depend on anything but plan order.
    assert.equal(renderMermaid(analyze(chain)).text, r.text);
  });

  it('styles the critical path: nodes by class, edges by linkStyle index', () => {
    const r = renderMermaid(analyze(chain));
    // flights (1200) → summary → notify is longer than weather (800) → summary.
    assert.match(r.text, /^ {2}classDef critical /m);
    assert.match(r.text, /^ {2}class t1,t2,t3 critical$/m);
    const edgeLines = r.text.split('\n').filter((l) => /^ {2}t\d+ (-->|-\.->) t\d+$/.test(l));
    assert.deepEqual(edgeLines.map((l) => l.trim()), ['t1 --> t2', 't0 -.-> t2', 't2 --> t3']);
    assert.match(r.text, /^ {2}linkStyle 0,2 stroke:/m, 'the critical edges are links 0 and 2');
  });

  it('puts the id and duration under an imported label that differs from the id', () => {
    const plan = withLabels(chain, ['get_weather']);
    const r = renderMermaid(analyze(plan));
    assert.match(r.text, /t0\("get_weather<br\/>weather #183; 800 ms"\)/);
  });

  it('never lets hostile labels inject syntax, directives or HTML', () => {
    const tools = HOSTILE.map((_, i) => ({ id: `h${i}`, durationMs: 10, dependsOn: i > 0 ? [`h${i - 1}`] : [] }));
    const r = renderMermaid(analyze(withLabels(makePlan(tools), HOSTILE)));
    const labels = labelsOf(r.text);
    assert.equal(labels.length, HOSTILE.length, 'every node line is still one quoted label');
    for (const label of labels) {
      const raw = withoutEntities(label.replace(/<br\/>/g, ''));
      assert.doesNotMatch(raw, /[<>"`|&:;%#\[\]{}()\\\n\r]/, `raw syntax character survived in ${label}`);
    }
    const body = withoutEntities(r.text.replace(/<br\/>/g, ''));
    assert.doesNotMatch(body, /javascript:/i);
    assert.doesNotMatch(body, /<img/i);
    // The only `click`/`style` text left is inside labels, and no line starts with a directive.
    assert.ok(!r.text.split('\n').some((l) => /^\s*(click|style|end)\b/.test(l)), r.text);
    assert.equal(r.text.split('\n').filter((l) => l.includes('%%')).length, 0, 'no comment smuggled in');
    assert.equal(r.config.securityLevel, 'strict');
    assert.equal(r.config.startOnLoad, false);
  });

  it('escapes to entity codes Mermaid decodes back to the same characters', () => {
    assert.equal(escapeMermaidLabel('a"b'), 'a#34;b');
    assert.equal(escapeMermaidLabel('<>&'), '#60;#62;#38;');
    assert.equal(escapeMermaidLabel('x\ny'), 'x y');
    assert.equal(escapeMermaidLabel('café 😀'), 'caf#233; #128512;');
    assert.equal(escapeMermaidLabel('\ud800'), '#65533;', 'a lone surrogate cannot break the text');
    assert.equal(escapeMermaidLabel('x'.repeat(100), 10), 'xxxxxxxxxx#8230;');
  });

  it('raises maxEdges above the edge count for a 600-edge plan', () => {
    const n = 301;
    const tools = Array.from({ length: n }, (_, i) => ({ id: `n${i}`, durationMs: 5, dependsOn: i >= 2 ? [`n${i - 1}`, `n${i - 2}`] : i === 1 ? ['n0'] : [] }));
    const r = renderMermaid(analyze(makePlan(tools)));
    assert.equal(r.mode, 'full');
    assert.ok(r.edgeCount >= 599, `edges ${r.edgeCount}`);
    assert.ok((r.config.maxEdges as number) > r.edgeCount, `maxEdges ${String(r.config.maxEdges)} must exceed ${r.edgeCount}`);
    assert.ok((r.config.maxTextSize as number) > r.text.length);
  });

  it('summarises a 3,000-edge plan by level instead of failing', () => {
    const n = 1001;
    const tools = Array.from({ length: n }, (_, i) => ({
      id: `n${i}`, durationMs: 5, dependsOn: i >= 3 ? [`n${i - 1}`, `n${i - 2}`, `n${i - 3}`] : Array.from({ length: i }, (_, k) => `n${k}`),
    }));
    const a = analyze(makePlan(tools));
    assert.ok(a.graph && a.graph.edges.length >= 2997);
    const r = renderMermaid(a);
    assert.equal(r.mode, 'summary');
    assert.ok(r.nodeCount <= 41, `summary has ${r.nodeCount} nodes`);
    assert.match(r.text, /lv0\["Levels 1-\d+: \d+ tools<br\/>critical: n0 /);
    assert.match(r.text, /cp\["Critical path: 1001 tools, 5(\.\d+)? s"\]/);
    assert.ok((r.config.maxEdges as number) > r.edgeCount);
    assert.ok(r.text.length < 20_000, 'the summary stays small');
  });

  it('summarises a wide plan with few levels one level per node', () => {
    const tools = Array.from({ length: 900 }, (_, i) => ({ id: `w${i}`, durationMs: i === 5 ? 50 : 10 }));
    tools.push({ id: 'join', durationMs: 1, dependsOn: tools.map((t) => t.id) } as (typeof tools)[number]);
    const r = renderMermaid(analyze(makePlan(tools)));
    assert.equal(r.mode, 'summary');
    assert.match(r.text, /lv0\["Level 1: 900 tools<br\/>critical: w5 \(50 ms\)"\]/);
    assert.match(r.text, /lv0 -->\|"900 dependencies"\| lv1/);
    assert.match(r.text, /linkStyle 0 /);
  });

  it('still draws the tools of an invalid plan (a cycle), marked invalid', () => {
    const plan = makePlan([{ id: 'a', durationMs: 1, dependsOn: ['b'] }, { id: 'b', durationMs: 1, dependsOn: ['a'] }, { id: 'c', durationMs: 1 }]);
    const a = analyze(plan);
    assert.equal(a.graph, undefined);
    const r = renderMermaid(a);
    assert.equal(r.mode, 'full');
    assert.match(r.text, /t1 --> t0/);
    assert.match(r.text, /t0 --> t1/);
    assert.match(r.text, /class t0,t1 invalid/);
    assert.doesNotMatch(r.text, /class [^\n]* critical/);
    assert.match(r.text, /%% The plan has errors/);
  });

  it('renders an empty plan as one explanatory node', () => {
    const r = renderMermaid(analyze(makePlan([])));
    assert.equal(r.mode, 'empty');
    assert.match(r.text, /empty\["No tools yet/);
  });
});

// Mermaid flowchart text for a plan's dependency graph. Plan text (ids are schema-restricted, but
// labels of imported calls are free text) only ever reaches the diagram inside quoted labels made
// of a small safe alphabet plus Mermaid entity codes, so it cannot add nodes, edges, `click`
// directives, comments, classes, HTML or links.

import type { Analysis } from '../analysis/types';
import type { ToolKind, ToolSpec } from '../plan/types';
import { formatMs } from './format';

export interface MermaidOptions {
  /** Layout direction. LR reads best for wide fan-outs (levels become columns). Default 'LR'. */
  readonly direction?: 'LR' | 'TD';
  /** Above this many edges the diagram becomes a per-level summary. Default 1500. */
  readonly maxEdges?: number;
  /** Above this many tools the diagram becomes a per-level summary. Default 800. */
  readonly maxNodes?: number;
  /** Show each tool's duration in its label. Default true. */
  readonly durations?: boolean;
}

export interface MermaidResult {
  readonly text: string;
  /** Pass to mermaid.initialize (the webview adds the theme). */
  readonly config: Record<string, unknown>;
  /** 'full': one node per tool, id mermaidNodeId(index); 'summary': one node per level band; 'empty': no tools. */
  readonly mode: 'full' | 'summary' | 'empty';
  readonly nodeCount: number;
  readonly edgeCount: number;
}

export const DEFAULT_MAX_EDGES = 1500;
export const DEFAULT_MAX_NODES = 800;
/** Mermaid's own default edge limit; our config always raises it above what we draw. */
const MERMAID_DEFAULT_MAX_EDGES = 500;
const MERMAID_DEFAULT_MAX_TEXT = 50_000;
const MAX_LABEL_CHARS = 60;
/** Summary diagrams group levels into at most this many bands. */
const MAX_SUMMARY_BANDS = 40;

/** Stable node id of the tool at plan index `index`: a webview colours nodes by live status with it. */
export function mermaidNodeId(index: number): string {
  return `t${index}`;
}

const CRITICAL_STYLE = 'stroke:#e8590c,stroke-width:3px';
const CLASS_DEFS = [
  `classDef critical ${CRITICAL_STYLE}`,
  'classDef invalid stroke:#e03131,stroke-width:2px,stroke-dasharray: 5 3',
];

/** Shapes tell kinds apart at a glance; classes (kindSimulate…) let a webview style them too. */
const SHAPES: Readonly<Record<ToolKind, readonly [string, string]>> = {
  simulate: ['(', ')'],
  shell: ['[[', ']]'],
  http: ['{{', '}}'],
  cpu: ['[/', '/]'],
  'vscode.command': ['[\\', '\\]'],
  'vscode.lm': ['([', '])'],
  mcp: ['[(', ')]'],
  function: ['>', ']'],
};
const KIND_CLASS: Readonly<Record<ToolKind, string>> = {
  simulate: 'kindSimulate', shell: 'kindShell', http: 'kindHttp', cpu: 'kindCpu',
  'vscode.command': 'kindVscodeCommand', 'vscode.lm': 'kindVscodeLm',
  mcp: 'kindMcp', function: 'kindFunction',
};

/** Characters that are inert in every Mermaid context; everything else becomes an entity code. */
const SAFE = /[A-Za-z0-9 _.,\-+=?!@*/']/;

/**
 * Escapes free text for use inside a quoted Mermaid label (`"…"`). Newlines and control characters
 * become spaces; every other character outside a small safe set becomes `#<code point>;`, which
 * Mermaid renders as that character but never parses as syntax or HTML.
 */
export function escapeMermaidLabel(text: string, maxChars = MAX_LABEL_CHARS): string {
  let out = '';
  let count = 0;
  for (const ch of text) {
    if (count >= maxChars) {
      out += '#8230;'; // …
      break;
    }
    count++;
    const cp = ch.codePointAt(0) ?? 0xfffd;
    if (SAFE.test(ch)) out += ch;
    else if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0) || cp === 0x2028 || cp === 0x2029) out += ' ';
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '#65533;'; // lone surrogate
    else out += `#${cp};`;
  }
  return out;
}

function nodeLabel(tool: ToolSpec, ms: number | undefined, showDuration: boolean): string {
  const lines = [escapeMermaidLabel(tool.label)];
  const second: string[] = [];
  if (tool.label !== tool.id) second.push(escapeMermaidLabel(tool.id));
  if (showDuration && ms !== undefined) second.push(escapeMermaidLabel(formatMs(ms)));
  if (second.length > 0) lines.push(second.join(' #183; '));
  return lines.join('<br/>');
}

function node(id: string, tool: ToolSpec, label: string): string {
  const [open, close] = SHAPES[tool.kind] ?? SHAPES.simulate;
  return `  ${id}${open}"${label}"${close}`;
}

function config(edgeCount: number, textLength: number): Record<string, unknown> {
  return {
    securityLevel: 'strict',
    startOnLoad: false,
    // Deliberately above what we draw: Mermaid refuses graphs over its limits with an error.
    maxEdges: Math.max(MERMAID_DEFAULT_MAX_EDGES, edgeCount + 100),
    maxTextSize: Math.max(MERMAID_DEFAULT_MAX_TEXT, textLength + 10_000),
    flowchart: { htmlLabels: true, useMaxWidth: true },
  };
}

/** Renders the plan graph as a Mermaid flowchart (or a per-level summary for very large plans). */
export function renderMermaid(analysis: Analysis, options: MermaidOptions = {}): MermaidResult {
  const direction = options.direction ?? 'LR';
  const tools = analysis.plan.tools;
  if (tools.length === 0) {
    const text = `flowchart ${direction}\n  %% This plan has no tools yet.\n  empty["No tools yet: add one under #quot;tools#quot;"]\n`;
    return { text, config: config(0, text.length), mode: 'empty', nodeCount: 1, edgeCount: 0 };
  }
  const edges = drawableEdges(analysis);
  const maxEdges = options.maxEdges ?? DEFAULT_MAX_EDGES;
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
  if (edges.length > maxEdges || tools.length > maxNodes) return renderSummary(analysis, direction, edges.length);
  return renderFull(analysis, direction, edges, options.durations ?? true);
}

interface DrawEdge {
  readonly from: number;
  readonly to: number;
  readonly via: 'declared' | 'reference';
}

/** The graph's edges; for an invalid plan (no graph), the declared dependencies that resolve. */
function drawableEdges(analysis: Analysis): DrawEdge[] {
  const graph = analysis.graph;
  if (graph) {
    return graph.edges.map((e) => ({ from: graph.indexOf.get(e.from) ?? -1, to: graph.indexOf.get(e.to) ?? -1, via: e.via })).filter((e) => e.from >= 0 && e.to >= 0);
  }
  const indexOf = new Map<string, number>();
  for (const t of analysis.plan.tools) if (!indexOf.has(t.id)) indexOf.set(t.id, t.index);
  const out: DrawEdge[] = [];
  for (const t of analysis.plan.tools) {
    const seen = new Set<number>();
    for (const dep of t.dependsOn) {
      const j = indexOf.get(dep);
      if (j === undefined || j === t.index || seen.has(j)) continue;
      seen.add(j);
      out.push({ from: j, to: t.index, via: 'declared' });
    }
  }
  return out;
}

function criticalSets(analysis: Analysis): { nodes: Set<string>; pairs: Set<string> } {
  const cp = analysis.graph ? analysis.criticalPath.tools : [];
  const pairs = new Set<string>();
  for (let i = 1; i < cp.length; i++) pairs.add(`${cp[i - 1]}\u0000${cp[i]}`);
  return { nodes: new Set(cp), pairs };
}

function renderFull(analysis: Analysis, direction: string, edges: readonly DrawEdge[], showDurations: boolean): MermaidResult {
  const tools = analysis.plan.tools;
  const lines: string[] = [`flowchart ${direction}`];
  if (!analysis.graph) lines.push('  %% The plan has errors: dependencies are drawn as declared; fix the errors to see the critical path.');
  for (const t of tools) lines.push(node(mermaidNodeId(t.index), t, nodeLabel(t, analysis.durations[t.index], showDurations)));

  const critical = criticalSets(analysis);
  const criticalLinks: number[] = [];
  edges.forEach((e, k) => {
    const arrow = e.via === 'declared' ? '-->' : '-.->';
    lines.push(`  ${mermaidNodeId(e.from)} ${arrow} ${mermaidNodeId(e.to)}`);
    if (critical.pairs.has(`${tools[e.from].id}\u0000${tools[e.to].id}`)) criticalLinks.push(k);
  });

  lines.push(...CLASS_DEFS.map((d) => `  ${d}`));
  const byKind = new Map<string, string[]>();
  for (const t of tools) {
    const cls = KIND_CLASS[t.kind] ?? KIND_CLASS.simulate;
    const list = byKind.get(cls) ?? [];
    list.push(mermaidNodeId(t.index));
    byKind.set(cls, list);
  }
  for (const [cls, ids] of byKind) lines.push(...classLines(ids, cls));
  const criticalIds = tools.filter((t) => critical.nodes.has(t.id)).map((t) => mermaidNodeId(t.index));
  lines.push(...classLines(criticalIds, 'critical'));
  const broken = new Set(analysis.diagnostics.filter((d) => d.severity === 'error').flatMap((d) => d.tools));
  const invalidIds = tools.filter((t) => broken.has(t.id)).map((t) => mermaidNodeId(t.index));
  lines.push(...classLines(invalidIds, 'invalid'));
  for (let i = 0; i < criticalLinks.length; i += 200) {
    lines.push(`  linkStyle ${criticalLinks.slice(i, i + 200).join(',')} ${CRITICAL_STYLE}`);
  }
  const text = lines.join('\n') + '\n';
  return { text, config: config(edges.length, text.length), mode: 'full', nodeCount: tools.length, edgeCount: edges.length };
}

function classLines(ids: readonly string[], cls: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < ids.length; i += 200) out.push(`  class ${ids.slice(i, i + 200).join(',')} ${cls}`);
  return out;
}

/**
 * Too big to draw usefully (and slow to lay out): one node per topological level (or band of
 * levels) with its tool count and the critical-path tool it holds, chained in order.
 */
function renderSummary(analysis: Analysis, direction: string, edgeCount: number): MermaidResult {
  const tools = analysis.plan.tools;
  const lines: string[] = [`flowchart ${direction}`, '  %% Summary view: too many tools or dependencies to draw one node each.'];
  const graph = analysis.graph;
  if (!graph || analysis.levels.length === 0) {
    lines.push(`  s0["${tools.length} tools, ${edgeCount} dependencies<br/>The plan has errors: fix them to see its levels"]`);
    lines.push(...CLASS_DEFS.map((d) => `  ${d}`), '  class s0 invalid');
    const text = lines.join('\n') + '\n';
    return { text, config: config(0, text.length), mode: 'summary', nodeCount: 1, edgeCount: 0 };
  }
  const levels = analysis.levels;
  const perBand = Math.ceil(levels.length / MAX_SUMMARY_BANDS);
  const bands: { first: number; last: number; ids: string[] }[] = [];
  for (let l = 0; l < levels.length; l += perBand) {
    const last = Math.min(levels.length, l + perBand) - 1;
    bands.push({ first: l, last, ids: levels.slice(l, last + 1).flat() });
  }
  const bandOfTool = new Map<string, number>();
  bands.forEach((b, k) => b.ids.forEach((id) => bandOfTool.set(id, k)));
  const cp = analysis.criticalPath.tools;
  const cpByBand = new Map<number, string[]>();
  for (const id of cp) {
    const k = bandOfTool.get(id);
    if (k === undefined) continue;
    const list = cpByBand.get(k) ?? [];
    list.push(id);
    cpByBand.set(k, list);
  }
  // Edges entering each band from earlier bands: how much waiting each level does.
  const entering = new Array<number>(bands.length).fill(0);
  for (const e of graph.edges) {
    const a = bandOfTool.get(e.from);
    const b = bandOfTool.get(e.to);
    if (a !== undefined && b !== undefined && a !== b) entering[b]++;
  }
  const durationOf = new Map(tools.map((t) => [t.id, analysis.durations[t.index]]));
  bands.forEach((b, k) => {
    const title = b.first === b.last ? `Level ${b.first + 1}` : `Levels ${b.first + 1}-${b.last + 1}`;
    const parts = [`${title}: ${b.ids.length} tool${b.ids.length === 1 ? '' : 's'}`];
    const onPath = cpByBand.get(k);
    if (onPath) {
      const shown = onPath.slice(0, 3).map((id) => `${escapeMermaidLabel(id, 40)} (${escapeMermaidLabel(formatMs(durationOf.get(id) ?? 0))})`);
      parts.push(`critical: ${shown.join(' #8594; ')}${onPath.length > 3 ? ` #8594; #8230; ${onPath.length - 3} more` : ''}`);
    }
    lines.push(`  lv${k}["${parts.join('<br/>')}"]`);
  });
  const criticalLinks: number[] = [];
  for (let k = 1; k < bands.length; k++) {
    lines.push(`  lv${k - 1} -->|"${entering[k]} dependencies"| lv${k}`);
    if (cpByBand.has(k - 1) && cpByBand.has(k)) criticalLinks.push(k - 1);
  }
  lines.push(`  cp["Critical path: ${cp.length} tools, ${escapeMermaidLabel(formatMs(analysis.criticalPath.ms))}"]`);
  lines.push(...CLASS_DEFS.map((d) => `  ${d}`));
  lines.push(...classLines([...cpByBand.keys()].map((k) => `lv${k}`), 'critical'), '  class cp critical');
  if (criticalLinks.length > 0) lines.push(`  linkStyle ${criticalLinks.join(',')} ${CRITICAL_STYLE}`);
  const text = lines.join('\n') + '\n';
  return { text, config: config(bands.length, text.length), mode: 'summary', nodeCount: bands.length + 1, edgeCount: Math.max(0, bands.length - 1) };
}

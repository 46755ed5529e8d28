// What the graph draws: one node per tool, one per collapsed group of alike calls ("search × 40"),
// or, for plans over the host's summary threshold, one per band of levels. Pure data from the
// analysis and the reader's expand/collapse choices; graph.ts draws it.
import type { ToolKindName, ViewAnalysis, ViewTool } from '../../protocol/planView';
import { alikeGroups, COLLAPSE_AT, type AlikeGroup } from '../../core/render/alikeGroups';
import { fmtMs } from './format';

export type NodeShape = ToolKindName | 'summary';

export interface DisplayNode {
  /** `t:<tool id>`, `g:<group key>` or `l:<band>`. */
  readonly key: string;
  readonly shape: NodeShape;
  readonly title: string;
  readonly subtitle: string;
  /** The tools this node stands for (one for a tool node). */
  readonly tools: readonly ViewTool[];
  readonly group?: AlikeGroup;
  readonly critical: boolean;
  readonly invalid: boolean;
}

export interface DisplayEdge {
  readonly from: string;
  readonly to: string;
  readonly critical: boolean;
}

export interface DisplayGraph {
  readonly mode: 'full' | 'summary' | 'empty';
  readonly nodes: readonly DisplayNode[];
  readonly edges: readonly DisplayEdge[];
  /** Every group of alike calls in the plan, collapsed or not. */
  readonly groups: readonly AlikeGroup[];
}

const MAX_TITLE_CHARS = 40;
/** Summary view: levels are banded so the chain has at most this many nodes. */
const MAX_SUMMARY_BANDS = 40;

/** Whether a group is drawn as one node: the reader's choice, else collapsed from COLLAPSE_AT members. */
export function isCollapsed(group: AlikeGroup, choices: ReadonlyMap<string, boolean>): boolean {
  return choices.get(group.key) ?? group.ids.length >= COLLAPSE_AT;
}

export function displayGraph(a: ViewAnalysis, choices: ReadonlyMap<string, boolean>): DisplayGraph {
  if (a.tools.length === 0) return { mode: 'empty', nodes: [], edges: [], groups: [] };
  if (a.mermaidMode === 'summary') return summaryGraph(a);
  const groups = alikeGroups(a.tools);
  const critical = new Set(a.criticalPath.tools);
  const criticalPairs = new Set<string>();
  for (let i = 1; i < a.criticalPath.tools.length; i++) criticalPairs.add(`${a.criticalPath.tools[i - 1]}\u0000${a.criticalPath.tools[i]}`);
  const broken = new Set(a.diagnostics.filter((d) => d.severity === 'error').flatMap((d) => d.tools));
  const byId = new Map(a.tools.map((t) => [t.id, t]));

  const keyOfTool = new Map<string, string>();
  const collapsedGroup = new Map<string, AlikeGroup>();
  for (const g of groups) {
    if (!isCollapsed(g, choices)) continue;
    for (const id of g.ids) keyOfTool.set(id, `g:${g.key}`);
    collapsedGroup.set(g.ids[0], g);
  }
  const nodes: DisplayNode[] = [];
  for (const t of a.tools) {
    const key = keyOfTool.get(t.id);
    if (key === undefined) {
      keyOfTool.set(t.id, `t:${t.id}`);
      nodes.push({
        key: `t:${t.id}`, shape: t.kind, title: truncate(t.label), subtitle: [t.label !== t.id ? t.id : '', fmtMs(t.durationMs)].filter(Boolean).join(' · '),
        tools: [t], critical: critical.has(t.id), invalid: broken.has(t.id),
      });
      continue;
    }
    const g = collapsedGroup.get(t.id);
    if (!g) continue; // a later member of a group already drawn
    const members = g.ids.map((id) => byId.get(id) as ViewTool);
    nodes.push({
      key, shape: t.kind, title: `${truncate(g.name, MAX_TITLE_CHARS - 6)} × ${g.ids.length}`, subtitle: durationRange(members),
      tools: members, group: g, critical: members.some((m) => critical.has(m.id)), invalid: members.some((m) => broken.has(m.id)),
    });
  }
  const edges = new Map<string, DisplayEdge>();
  for (const t of a.tools) {
    const to = keyOfTool.get(t.id) as string;
    for (const d of t.dependsOn) {
      const from = keyOfTool.get(d);
      if (from === undefined || from === to) continue;
      const id = `${from}\u0000${to}`;
      const isCritical = criticalPairs.has(`${d}\u0000${t.id}`);
      const known = edges.get(id);
      if (!known || (isCritical && !known.critical)) edges.set(id, { from, to, critical: isCritical || (known?.critical ?? false) });
    }
  }
  return { mode: 'full', nodes, edges: [...edges.values()], groups };
}

/** Above the host's threshold: one node per band of levels, chained, critical bands marked. */
function summaryGraph(a: ViewAnalysis): DisplayGraph {
  const levels = a.levels;
  if (levels.length === 0) {
    return {
      mode: 'summary', groups: [], edges: [],
      nodes: [{ key: 'l:0', shape: 'summary', title: `${a.tools.length} tools`, subtitle: 'The plan has errors: fix them to see its levels', tools: a.tools, critical: false, invalid: true }],
    };
  }
  const byId = new Map(a.tools.map((t) => [t.id, t]));
  const critical = new Set(a.criticalPath.tools);
  const perBand = Math.ceil(levels.length / MAX_SUMMARY_BANDS);
  const nodes: DisplayNode[] = [];
  for (let l = 0, k = 0; l < levels.length; l += perBand, k++) {
    const last = Math.min(levels.length, l + perBand) - 1;
    const ids = levels.slice(l, last + 1).flat();
    const onPath = ids.filter((id) => critical.has(id));
    const title = `${l === last ? `Level ${l + 1}` : `Levels ${l + 1}–${last + 1}`}: ${ids.length} tool${ids.length === 1 ? '' : 's'}`;
    const subtitle = onPath.length === 0 ? '' : `critical: ${truncate(onPath.slice(0, 2).join(' → '))}${onPath.length > 2 ? ` +${onPath.length - 2}` : ''}`;
    nodes.push({ key: `l:${k}`, shape: 'summary', title, subtitle, tools: ids.map((id) => byId.get(id) as ViewTool).filter(Boolean), critical: onPath.length > 0, invalid: false });
  }
  const edges = nodes.slice(1).map((n, i) => ({ from: nodes[i].key, to: n.key, critical: nodes[i].critical && n.critical }));
  return { mode: 'summary', nodes, edges, groups: [] };
}

function durationRange(tools: readonly ViewTool[]): string {
  const ms = tools.map((t) => t.durationMs);
  const lo = Math.min(...ms);
  const hi = Math.max(...ms);
  return lo === hi ? `${fmtMs(lo)} each` : `${fmtMs(lo)}–${fmtMs(hi)}`;
}

function truncate(text: string, max = MAX_TITLE_CHARS): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

// Wide fan-outs of alike calls — the same tool, the same dependencies and the same dependents, such
// as forty `search` calls issued at once — carry no more structure than one node does. The plan
// view draws each such group as one node ("search × 40") that the reader can expand.

export interface AlikeTool {
  readonly id: string;
  /** The imported function name, or the id for native tools. */
  readonly label: string;
  readonly kind: string;
  readonly dependsOn: readonly string[];
}

export interface AlikeGroup {
  /** Stable while the plan keeps the group: kind, name, dependencies and dependents. */
  readonly key: string;
  /** What the members are called: the shared label, or the ids without their running number. */
  readonly name: string;
  /** Member ids in plan order. */
  readonly ids: readonly string[];
}

/** Groups of at least this many alike calls are drawn collapsed until the reader expands them. */
export const COLLAPSE_AT = 5;

/**
 * The name shared by a family of calls: `search3` and `search_12` are both `search`. An id made only
 * of digits keeps its name, so `1` and `2` are not one family.
 */
export function familyName(label: string): string {
  const base = label.replace(/[\s_.-]*\d+$/, '');
  return base === '' ? label : base;
}

/** Groups of two or more alike tools, in the plan order of their first member. */
export function alikeGroups(tools: readonly AlikeTool[]): AlikeGroup[] {
  const known = new Set(tools.map((t) => t.id));
  const dependents = new Map<string, string[]>();
  for (const t of tools) {
    for (const d of new Set(t.dependsOn)) {
      if (!known.has(d)) continue;
      const list = dependents.get(d) ?? [];
      list.push(t.id);
      dependents.set(d, list);
    }
  }
  const byKey = new Map<string, { name: string; ids: string[] }>();
  for (const t of tools) {
    const name = familyName(t.label);
    const deps = [...new Set(t.dependsOn)].sort();
    const outs = [...(dependents.get(t.id) ?? [])].sort();
    // Members cannot depend on one another: a dependency would differ in their dependents.
    const key = JSON.stringify([t.kind, name, deps, outs]);
    const entry = byKey.get(key);
    if (entry) entry.ids.push(t.id);
    else byKey.set(key, { name, ids: [t.id] });
  }
  const out: AlikeGroup[] = [];
  for (const [key, { name, ids }] of byKey) if (ids.length >= 2) out.push({ key, name, ids });
  return out;
}

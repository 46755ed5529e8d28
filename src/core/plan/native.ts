import { makeDiagnostic } from './diagnostics';
import type { LineIndex } from './positions';
import { toolPlanSchema } from './schema';
import { validateAgainstSchema } from './schemaValidate';
import { get, property, toValue, type PNode } from './tree';
import type { Diagnostic, FailurePolicy, JsonObject, Plan, SourceRange, ToolDefaults, ToolKind, ToolSpec } from './types';
import { TOOL_KINDS } from './types';

export interface NativeContext {
  readonly lines: LineIndex;
  readonly syntax: 'json' | 'yaml';
  readonly fallbackName: string;
}

/**
 * Reads a native plan tree. Schema problems are errors with positions; the plan is still built from
 * the well-formed tools so editors can show a partial graph while the author types.
 */
export function readNativePlan(root: PNode, ctx: NativeContext): { plan: Plan; diagnostics: Diagnostic[] } {
  const r = (n: { offset: number; length: number }): SourceRange => ctx.lines.range(n.offset, n.length);
  const diagnostics: Diagnostic[] = validateAgainstSchema(root, toolPlanSchema).map((e) =>
    makeDiagnostic({ code: 'schema', message: e.message, range: r(e) }),
  );

  const tools: ToolSpec[] = [];
  const firstSeen = new Map<string, SourceRange>();
  const toolsNode = get(root, 'tools');
  const items = toolsNode?.type === 'array' ? toolsNode.items : [];
  for (const item of items) {
    if (item.type !== 'object') continue;
    const idNode = get(item, 'id');
    const kindNode = get(item, 'kind');
    if (idNode?.type !== 'string' || kindNode?.type !== 'string' || !(TOOL_KINDS as readonly string[]).includes(kindNode.value)) continue;
    const id = idNode.value;
    const idRange = r(idNode);
    const first = firstSeen.get(id);
    if (first) {
      diagnostics.push(makeDiagnostic({
        code: 'duplicate-id', range: idRange, tools: [id],
        message: `Tool id '${id}' is already used at line ${first.line}. Ids must be unique: rename one of them.`,
      }));
      continue;
    }
    firstSeen.set(id, idRange);
    tools.push(readTool(item, id, kindNode.value as ToolKind, tools.length, r));
  }

  const limits = Object.create(null) as Record<string, number>;
  const limitsNode = get(root, 'limits');
  if (limitsNode?.type === 'object') {
    for (const p of limitsNode.properties) if (p.value.type === 'number' && p.value.value >= 1) limits[p.key] = Math.floor(p.value.value);
  }
  const defaultsNode = get(root, 'defaults');
  const defaults: ToolDefaults = {
    ...numberField(defaultsNode, 'timeoutMs', 'timeoutMs'),
    ...numberField(defaultsNode, 'retries', 'retries'),
    ...numberField(defaultsNode, 'retryDelayMs', 'retryDelayMs'),
  };
  const policyNode = get(root, 'failurePolicy');
  const failurePolicy: FailurePolicy = policyNode?.type === 'string' && policyNode.value === 'fail-fast' ? 'fail-fast' : 'skip-dependents';
  const nameNode = get(root, 'name');
  const maxNode = get(root, 'maxConcurrency');
  const dedupeNode = get(root, 'dedupe');
  const rangeOf = (key: string) => {
    const p = property(root, key);
    return p ? r({ offset: p.keyOffset, length: p.value.offset + p.value.length - p.keyOffset }) : undefined;
  };

  const plan: Plan = {
    name: nameNode?.type === 'string' && nameNode.value.trim() ? nameNode.value : ctx.fallbackName,
    format: 'native',
    syntax: ctx.syntax,
    ...(maxNode?.type === 'number' && Number.isInteger(maxNode.value) && maxNode.value >= 1 ? { maxConcurrency: maxNode.value } : {}),
    limits,
    failurePolicy,
    defaults,
    dedupe: dedupeNode?.type === 'boolean' && dedupeNode.value,
    tools,
    ranges: {
      root: r(root),
      ...optional('name', rangeOf('name')),
      ...optional('maxConcurrency', rangeOf('maxConcurrency')),
      ...optional('limits', rangeOf('limits')),
      ...optional('tools', rangeOf('tools')),
    },
  };
  return { plan, diagnostics };
}

function readTool(node: PNode, id: string, kind: ToolKind, index: number, r: (n: { offset: number; length: number }) => SourceRange): ToolSpec {
  const argsNode = get(node, 'args');
  const depsNode = get(node, 'dependsOn');
  const depItems = depsNode?.type === 'array' ? depsNode.items.filter((i): i is Extract<PNode, { type: 'string' }> => i.type === 'string') : [];
  const writesNode = get(node, 'writes');
  const labelNode = get(node, 'label');
  const resourceNode = get(node, 'resource');
  const fields: Record<string, SourceRange> = Object.create(null) as Record<string, SourceRange>;
  if (node.type === 'object') {
    for (const p of node.properties) fields[p.key] = r({ offset: p.keyOffset, length: p.value.offset + p.value.length - p.keyOffset });
  }
  return {
    id,
    kind,
    label: labelNode?.type === 'string' && labelNode.value ? labelNode.value : id,
    ...(get(node, 'description')?.type === 'string' ? { description: (get(node, 'description') as { value: string }).value } : {}),
    args: argsNode?.type === 'object' ? (toValue(argsNode) as JsonObject) : (Object.create(null) as JsonObject),
    dependsOn: depItems.map((d) => d.value),
    ...(resourceNode?.type === 'string' ? { resource: resourceNode.value } : {}),
    ...numberField(node, 'timeoutMs', 'timeoutMs'),
    ...numberField(node, 'retries', 'retries'),
    ...numberField(node, 'retryDelayMs', 'retryDelayMs'),
    ...numberField(node, 'estimateMs', 'estimateMs'),
    writes: writesNode?.type === 'array' ? writesNode.items.flatMap((w) => (w.type === 'string' ? [w.value] : [])) : [],
    index,
    ranges: {
      tool: r(node),
      ...(get(node, 'id') ? { id: r(get(node, 'id') as PNode) } : {}),
      ...(depsNode ? { dependsOn: r(depsNode), dependsOnItems: depItems.map(r) } : {}),
      ...(argsNode ? { args: r(argsNode) } : {}),
      fields,
    },
  };
}

/** A non-negative number field, or nothing (the schema has already reported bad values). */
function numberField<K extends string>(node: PNode | undefined, key: string, as: K): { [P in K]?: number } {
  const v = get(node, key);
  return v?.type === 'number' && Number.isFinite(v.value) && v.value >= 0 ? ({ [as]: v.value } as { [P in K]?: number }) : {};
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

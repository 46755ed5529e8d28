import { makeDiagnostic } from './diagnostics';
import type { LineIndex } from './positions';
import { toolPlanSchema } from './schema';
import { validateAgainstSchema } from './schemaValidate';
import { get, nullObject, property, toValue, type PNode } from './tree';
import { REFERENCE_PATTERN } from './references';
import type { Diagnostic, FailurePolicy, JsonObject, JsonValue, McpServerConfig, Plan, SourceRange, ToolAnnotations, ToolDefaults, ToolKind, ToolReferenceRange, ToolSpec } from './types';
import { readServerConfig } from '../tools/mcp/config';
import { applySerialWrites } from './safety';
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
  const unreadIds: string[] = [];
  const firstSeen = new Map<string, SourceRange>();
  const toolsNode = get(root, 'tools');
  const items = toolsNode?.type === 'array' ? toolsNode.items : [];
  for (const item of items) {
    if (item.type !== 'object') continue;
    const idNode = get(item, 'id');
    const kindNode = get(item, 'kind');
    if (idNode?.type !== 'string' || kindNode?.type !== 'string' || !(TOOL_KINDS as readonly string[]).includes(kindNode.value)) {
      if (idNode?.type === 'string') unreadIds.push(idNode.value);
      continue;
    }
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
    tools.push(readTool(item, id, kindNode.value as ToolKind, tools.length, r, idRange, ctx.lines.text));
  }

  const { limits, adaptiveLimits } = readLimits(get(root, 'limits'), r, diagnostics);
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
  const serialNode = get(root, 'serialWrites');
  const mcpServers = readMcpServers(get(root, 'mcpServers'), r, diagnostics);
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
    ...(adaptiveLimits ? { adaptiveLimits } : {}),
    failurePolicy,
    defaults,
    dedupe: dedupeNode?.type === 'boolean' && dedupeNode.value,
    tools,
    ...(mcpServers ? { mcpServers } : {}),
    ...(serialNode?.type === 'boolean' && serialNode.value ? { serialWrites: true } : {}),
    ...(unreadIds.length > 0 ? { unreadIds } : {}),
    ranges: {
      root: r(root),
      ...optional('name', rangeOf('name')),
      ...optional('maxConcurrency', rangeOf('maxConcurrency')),
      ...optional('limits', rangeOf('limits')),
      ...optional('tools', rangeOf('tools')),
    },
  };
  return { plan: applySerialWrites(plan), diagnostics };
}

function readTool(node: PNode, id: string, kind: ToolKind, index: number, r: (n: { offset: number; length: number }) => SourceRange, idRange: SourceRange, text: string): ToolSpec {
  // One pass over the tool's properties (the last of a duplicated key wins, as with get()), then
  // the spec is assembled with its keys in the documented order. This runs for every tool.
  let idNode: PNode | undefined;
  let argsNode: PNode | undefined;
  let depsNode: PNode | undefined;
  let writesNode: PNode | undefined;
  let labelNode: PNode | undefined;
  let resourceNode: PNode | undefined;
  let descriptionNode: PNode | undefined;
  let timeoutNode: PNode | undefined;
  let retriesNode: PNode | undefined;
  let retryDelayNode: PNode | undefined;
  let estimateNode: PNode | undefined;
  let annotationsNode: PNode | undefined;
  const fields = nullObject<SourceRange>();
  if (node.type === 'object') {
    for (const p of node.properties) {
      fields[p.key] = r({ offset: p.keyOffset, length: p.value.offset + p.value.length - p.keyOffset });
      switch (p.key) {
        case 'id': idNode = p.value; break;
        case 'args': argsNode = p.value; break;
        case 'dependsOn': depsNode = p.value; break;
        case 'writes': writesNode = p.value; break;
        case 'label': labelNode = p.value; break;
        case 'resource': resourceNode = p.value; break;
        case 'description': descriptionNode = p.value; break;
        case 'timeoutMs': timeoutNode = p.value; break;
        case 'retries': retriesNode = p.value; break;
        case 'retryDelayMs': retryDelayNode = p.value; break;
        case 'estimateMs': estimateNode = p.value; break;
        case 'annotations': annotationsNode = p.value; break;
        default: break;
      }
    }
  }
  const depItems: Extract<PNode, { type: 'string' }>[] = [];
  if (depsNode?.type === 'array') for (const d of depsNode.items) if (d.type === 'string') depItems.push(d);
  const dependsOn: string[] = new Array<string>(depItems.length);
  for (let k = 0; k < depItems.length; k++) dependsOn[k] = depItems[k].value;
  const writes: string[] = [];
  if (writesNode?.type === 'array') for (const w of writesNode.items) if (w.type === 'string') writes.push(w.value);
  const spec: Mutable<ToolSpec> = {
    id,
    kind,
    label: labelNode?.type === 'string' && labelNode.value ? labelNode.value : id,
  } as Mutable<ToolSpec>;
  if (descriptionNode?.type === 'string') spec.description = descriptionNode.value;
  spec.args = argsNode?.type === 'object' ? (toValue(argsNode) as JsonObject) : (nullObject<JsonValue>() as JsonObject);
  spec.dependsOn = dependsOn;
  if (resourceNode?.type === 'string') spec.resource = resourceNode.value;
  if (usable(timeoutNode)) spec.timeoutMs = timeoutNode.value;
  if (usable(retriesNode)) spec.retries = retriesNode.value;
  if (usable(retryDelayNode)) spec.retryDelayMs = retryDelayNode.value;
  if (usable(estimateNode)) spec.estimateMs = estimateNode.value;
  spec.writes = writes;
  spec.index = index;
  const annotations = annotationsNode ? readAnnotations(annotationsNode) : undefined;
  if (annotations) spec.annotations = annotations;
  const ranges: Mutable<ToolSpec['ranges']> = { tool: r(node) } as Mutable<ToolSpec['ranges']>;
  // The caller's get(node, 'id') found this same node (the last 'id'), and already has its range.
  if (idNode) ranges.id = idRange;
  if (depsNode) {
    ranges.dependsOn = r(depsNode);
    ranges.dependsOnItems = depItems.map(r);
  }
  if (argsNode) {
    ranges.args = r(argsNode);
    const refs = referenceRanges(argsNode, text, r);
    if (refs) ranges.references = refs;
  }
  ranges.fields = fields;
  spec.ranges = ranges;
  return spec;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const ANNOTATION_KEYS = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;

const LIMIT_SHAPE = 'a whole number of at least 1, or { max: 8, adaptive: true, min: 2 } (min optional)';

/**
 * `limits`: a number per resource, or `{ max, adaptive?, min? }` (README "Adaptive limits"). The
 * schema validator has no oneOf, so both shapes are checked here, each problem at its value.
 */
function readLimits(
  node: PNode | undefined, r: (n: { offset: number; length: number }) => SourceRange, diagnostics: Diagnostic[],
): { limits: Record<string, number>; adaptiveLimits?: Record<string, { min?: number }> } {
  const limits = nullObject<number>();
  let adaptive: Record<string, { min?: number }> | undefined;
  if (node?.type !== 'object') return { limits };
  const bad = (n: PNode, message: string): void => void diagnostics.push(makeDiagnostic({ code: 'schema', message, range: r(n) }));
  const whole = (n: PNode): n is PNode & { type: 'number'; value: number } => n.type === 'number' && Number.isInteger(n.value) && n.value >= 1;
  const got = (n: PNode): string => (n.type === 'string' ? `the string ${JSON.stringify(n.value.length > 40 ? `${n.value.slice(0, 39)}…` : n.value)}` : n.type === 'number' || n.type === 'boolean' ? String(n.value) : n.type);
  for (const p of node.properties) {
    const v = p.value;
    const name = `'limits' › '${p.key.length > 64 ? `${p.key.slice(0, 63)}…` : p.key}'`;
    if (v.type === 'number') {
      if (whole(v)) limits[p.key] = v.value;
      else bad(v, `${name} must be ${LIMIT_SHAPE} (got ${got(v)}).`);
      continue;
    }
    if (v.type !== 'object') {
      bad(v, `${name} must be ${LIMIT_SHAPE} (got ${got(v)}).`);
      continue;
    }
    let ok = true;
    for (const q of v.properties) {
      if (q.key !== 'max' && q.key !== 'adaptive' && q.key !== 'min') {
        bad(q.value, `${name} has an unknown key '${q.key.length > 40 ? `${q.key.slice(0, 39)}…` : q.key}': a limit object is { max, adaptive?, min? }.`);
        ok = false;
      }
    }
    const max = get(v, 'max');
    const flag = get(v, 'adaptive');
    const min = get(v, 'min');
    if (!max) {
      bad(v, `${name} needs max, the most tools of the resource at once: { max: 8, adaptive: true }.`);
      ok = false;
    } else if (!whole(max)) {
      bad(max, `${name} › 'max' must be a whole number of at least 1 (got ${got(max)}).`);
      ok = false;
    }
    if (flag && flag.type !== 'boolean') {
      bad(flag, `${name} › 'adaptive' must be true or false (got ${got(flag)}).`);
      ok = false;
    }
    if (min) {
      if (!whole(min)) {
        bad(min, `${name} › 'min' must be a whole number of at least 1 (got ${got(min)}).`);
        ok = false;
      } else if (max && whole(max) && min.value > max.value) {
        bad(min, `${name} › 'min' (${min.value}) is above 'max' (${max.value}): an adaptive limit moves between min and max; lower min or raise max.`);
        ok = false;
      } else if (!(flag?.type === 'boolean' && flag.value)) {
        bad(min, `${name} › 'min' applies only to an adaptive limit: add adaptive: true, or remove min.`);
        ok = false;
      }
    }
    if (!ok || !max || !whole(max)) continue;
    limits[p.key] = max.value;
    if (flag?.type === 'boolean' && flag.value) {
      adaptive ??= nullObject<{ min?: number }>();
      adaptive[p.key] = min && whole(min) ? { min: min.value } : {};
    }
  }
  return adaptive ? { limits, adaptiveLimits: adaptive } : { limits };
}

/** The boolean hints that are well-formed (the schema reports the others). */
export function readAnnotations(node: PNode): ToolAnnotations | undefined {
  if (node.type !== 'object') return undefined;
  const out: { -readonly [K in keyof ToolAnnotations]: boolean } = {};
  for (const k of ANNOTATION_KEYS) {
    const v = get(node, k);
    if (v?.type === 'boolean') out[k] = v.value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `mcpServers`: each well-formed entry; a malformed one is a schema error at its position. */
function readMcpServers(node: PNode | undefined, r: (n: { offset: number; length: number }) => SourceRange, diagnostics: Diagnostic[]): Record<string, McpServerConfig> | undefined {
  if (node?.type !== 'object') return undefined;
  const out = nullObject<McpServerConfig>();
  for (const p of node.properties) {
    const read = readServerConfig(p.key, toValue(p.value), 'the plan\'s mcpServers');
    if (read.ok) out[p.key] = read.config;
    else diagnostics.push(makeDiagnostic({ code: 'schema', message: read.error, range: r({ offset: p.keyOffset, length: p.value.offset + p.value.length - p.keyOffset }) }));
  }
  return out;
}

/**
 * Where each `${id.output…}` stands, so reference diagnostics point at the reference itself rather
 * than at the start of args (lines away in block YAML). The reference is found in the string's
 * source text; when escapes hide it, the string's own position is used. Args without a '${'
 * (most tools) cost one walk and no ranges.
 */
function referenceRanges(args: PNode, text: string, r: (n: { offset: number; length: number }) => SourceRange): ToolReferenceRange[] | undefined {
  let out: ToolReferenceRange[] | undefined;
  const stack: PNode[] = [args];
  while (stack.length > 0) {
    const n = stack.pop() as PNode;
    if (n.type === 'object') for (let i = n.properties.length - 1; i >= 0; i--) stack.push(n.properties[i].value);
    else if (n.type === 'array') for (let i = n.items.length - 1; i >= 0; i--) stack.push(n.items[i]);
    else if (n.type === 'string' && n.value.includes('${')) {
      const source = text.slice(n.offset, n.offset + n.length);
      let from = 0;
      for (const m of n.value.matchAll(REFERENCE_PATTERN)) {
        const at = source.indexOf(m[0], from);
        if (at >= 0) from = at + m[0].length;
        (out ??= []).push({ id: m[1], range: at >= 0 ? r({ offset: n.offset + at, length: m[0].length }) : r(n) });
      }
    }
  }
  return out;
}

/** A non-negative finite number (the schema has already reported bad values). */
function usable(v: PNode | undefined): v is Extract<PNode, { type: 'number' }> {
  return v?.type === 'number' && Number.isFinite(v.value) && v.value >= 0;
}

/** A non-negative number field, or nothing (the schema has already reported bad values). */
function numberField<K extends string>(node: PNode | undefined, key: string, as: K): { [P in K]?: number } {
  const v = get(node, key);
  return v?.type === 'number' && Number.isFinite(v.value) && v.value >= 0 ? ({ [as]: v.value } as { [P in K]?: number }) : {};
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

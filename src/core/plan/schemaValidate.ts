import { get, type PNode, type PProperty } from './tree';
import { closestOrSynonym } from './suggest';

// A validator for the JSON Schema subset that toolPlanSchema uses. Generic validators report
// "must be integer" at a JSON pointer; plan authors need the tool's id, the source position and
// what to write instead, so this one walks the positioned tree and phrases errors for people.

export interface SchemaError {
  readonly message: string;
  readonly offset: number;
  readonly length: number;
}

interface Schema {
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly minLength?: number;
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly additionalProperties?: boolean | Schema;
  readonly items?: Schema;
  readonly allOf?: readonly Schema[];
  readonly if?: Schema;
  readonly then?: Schema;
  readonly description?: string;
}

/** A linked list from the node up to the root: cheaper than copying arrays at every step. */
type Path = { readonly key: string | number; readonly parent: Path } | null;

interface Span {
  readonly offset: number;
  readonly length: number;
}

function at(errors: SchemaError[], message: string, n: Span): void {
  if (errors.length < MAX_ERRORS) errors.push({ message, offset: n.offset, length: n.length });
}

/** Stops collecting after this many errors: a 100k-tool plan with one systematic mistake must stay readable and fast. */
const MAX_ERRORS = 50;

export function validateAgainstSchema(root: PNode, schema: object): SchemaError[] {
  const errors: SchemaError[] = [];
  walk(root, compiled(schema as Schema), null, null, root, errors, undefined);
  return errors;
}

/** A schema normalised to one shape, with its properties in a Map for the per-key lookups. */
interface Compiled extends Schema {
  readonly required: readonly string[];
  readonly properties: Readonly<Record<string, Compiled>> | undefined;
  readonly propertyMap: ReadonlyMap<string, Compiled> | undefined;
  readonly additionalProperties: boolean | Compiled | undefined;
  readonly items: Compiled | undefined;
  readonly allOf: readonly Compiled[] | undefined;
  readonly if: Compiled | undefined;
  readonly then: Compiled | undefined;
  readonly regex: RegExp | undefined;
}

// Schemas are normalised once to objects of one shape: property reads in walk() then stay
// monomorphic, which makes validating a 100k-tool plan several times faster.
const compiledCache = new WeakMap<Schema, Compiled>();
function compiled(schema: Schema): Compiled {
  const hit = compiledCache.get(schema);
  if (hit) return hit;
  const props = schema.properties;
  const properties = props ? Object.fromEntries(Object.entries(props).map(([k, v]) => [k, compiled(v)])) : undefined;
  const out: Compiled = {
    type: schema.type, enum: schema.enum, const: schema.const, pattern: schema.pattern, minimum: schema.minimum,
    maximum: schema.maximum, exclusiveMinimum: schema.exclusiveMinimum, minLength: schema.minLength,
    required: schema.required ?? [],
    properties,
    propertyMap: properties ? new Map(Object.entries(properties)) : undefined,
    additionalProperties: typeof schema.additionalProperties === 'object' ? compiled(schema.additionalProperties) : schema.additionalProperties,
    items: schema.items ? compiled(schema.items) : undefined,
    allOf: schema.allOf?.map(compiled),
    if: schema.if ? compiled(schema.if) : undefined,
    then: schema.then ? compiled(schema.then) : undefined,
    description: schema.description,
    regex: schema.pattern !== undefined ? regex(schema.pattern) : undefined,
  };
  compiledCache.set(schema, out);
  compiledCache.set(out, out);
  return out;
}

/** Whether an earlier property has the same key (plan objects are small: pairwise, unless a Set is given). */
function duplicateBefore(props: readonly PProperty[], i: number, seen: Set<string> | undefined): boolean {
  if (seen) return seen.has(props[i].key);
  const key = props[i].key;
  for (let j = 0; j < i; j++) if (props[j].key === key) return true;
  return false;
}

/** Objects with more keys than this track seen keys in a Set; smaller ones compare pairwise. */
const PAIRWISE_KEYS = 16;

// No closures and no per-leaf allocation on the happy path: this runs for every node of
// 100k-tool plans. A node's path is its parent's path plus its key, linked only when needed (an
// error, or children to visit); messages and key spans are built only when there is an error.
function walk(node: PNode, schema: Compiled, parent: Path, key: string | number | null, root: PNode, errors: SchemaError[], keyNode: PProperty | undefined): void {
  if (errors.length >= MAX_ERRORS) return;

  if (schema.type !== undefined && !typeMatches(node, schema.type)) {
    // The commonest slip: one id where a list goes (dependsOn: a). Say the exact fix.
    const fix = schema.type === 'array' && node.type === 'string' ? ` Write [${JSON.stringify(truncate(node.value))}].` : '';
    at(errors, `${capital(describe(pathOf(parent, key), root))} must be ${article(schema.type)} (got ${shown(node)}).${fix}${hint(schema)}`, node);
    return;
  }
  if (schema.const !== undefined && !(isScalar(node) && node.value === schema.const)) {
    at(errors, `${capital(describe(pathOf(parent, key), root))} must be ${JSON.stringify(schema.const)}.`, node);
    return;
  }
  if (schema.enum && !(isScalar(node) && schema.enum.includes(node.value))) {
    const got = isScalar(node) ? JSON.stringify(node.value) : shown(node);
    const guess = isScalar(node) && typeof node.value === 'string' ? closestOrSynonym(node.value, schema.enum.map(String)) : undefined;
    at(errors, `${capital(describe(pathOf(parent, key), root))} must be one of ${schema.enum.join(', ')} (got ${got}).${guess ? ` Did you mean '${guess}'?` : ''}`, node);
    return;
  }
  switch (node.type) {
    case 'string':
      if (schema.minLength !== undefined && node.value.length < schema.minLength) at(errors, `${capital(describe(pathOf(parent, key), root))} must not be empty.${hint(schema)}`, node);
      if (schema.regex !== undefined && !schema.regex.test(node.value)) {
        at(errors, `${capital(describe(pathOf(parent, key), root))} ${JSON.stringify(truncate(node.value))} is not valid.${hint(schema)}`, node);
      }
      break;
    case 'number':
      if (schema.minimum !== undefined && node.value < schema.minimum) at(errors, `${capital(describe(pathOf(parent, key), root))} must be at least ${schema.minimum} (got ${node.value}).${hint(schema)}`, node);
      if (schema.maximum !== undefined && node.value > schema.maximum) at(errors, `${capital(describe(pathOf(parent, key), root))} must be at most ${schema.maximum} (got ${node.value}).${hint(schema)}`, node);
      if (schema.exclusiveMinimum !== undefined && node.value <= schema.exclusiveMinimum) {
        at(errors, `${capital(describe(pathOf(parent, key), root))} must be greater than ${schema.exclusiveMinimum} (got ${node.value}).${hint(schema)}`, node);
      }
      break;
    case 'object': {
      const required = schema.required;
      for (let r = 0; r < required.length; r++) {
        const name = required[r];
        if (!get(node, name)) {
          const sub = schema.properties?.[name];
          at(errors, `${capital(describe(pathOf(parent, key), root))} is missing '${name}'.${sub?.description ? ` ${name}: ${sub.description}` : ''}`, keyNode ? keySpan(keyNode) : node);
        }
      }
      const props = node.properties;
      const path = props.length > 0 ? pathOf(parent, key) : parent;
      const seen = props.length > PAIRWISE_KEYS ? new Set<string>() : undefined;
      const map = schema.propertyMap;
      const extra = schema.additionalProperties;
      for (let i = 0; i < props.length; i++) {
        const p = props[i];
        if (duplicateBefore(props, i, seen)) at(errors, `${capital(describe(pathOf(parent, key), root))} sets '${p.key}' twice; the last one wins. Remove the duplicate.`, keySpan(p));
        seen?.add(p.key);
        const sub = map !== undefined ? map.get(p.key) : undefined;
        if (sub) walk(p.value, sub, path, p.key, root, errors, p);
        else if (extra === false) {
          // A YAML top-level key that only holds an anchor (`common: &sim {…}`) is shared settings, not a typo.
          if (p.anchorHolder) continue;
          const known = Object.keys(schema.properties ?? {});
          const guess = closestOrSynonym(p.key, known);
          at(errors, `Unknown property '${truncate(p.key)}' in ${describe(pathOf(parent, key), root)}.${guess ? ` Did you mean '${guess}'?` : ` Known properties: ${known.join(', ')}.`}`,
            keySpan(p));
        } else if (typeof extra === 'object') {
          walk(p.value, extra, path, p.key, root, errors, p);
        }
      }
      break;
    }
    case 'array': {
      const items = schema.items;
      if (items && node.items.length > 0) {
        const path = pathOf(parent, key);
        for (let i = 0; i < node.items.length && errors.length < MAX_ERRORS; i++) walk(node.items[i], items, path, i, root, errors, undefined);
      }
      break;
    }
    default:
      break;
  }
  const allOf = schema.allOf;
  if (allOf) {
    for (let k = 0; k < allOf.length; k++) {
      const sub = allOf[k];
      if (sub.if && sub.then) {
        if (conforms(node, sub.if)) walk(node, sub.then, parent, key, root, errors, keyNode);
      } else walk(node, sub, parent, key, root, errors, keyNode);
    }
  }
}

function pathOf(parent: Path, key: string | number | null): Path {
  return key === null ? parent : { key, parent };
}

function keySpan(p: PProperty): Span {
  return { offset: p.keyOffset, length: p.keyLength };
}

/**
 * Whether a node satisfies a schema, without reporting (for `if`): exactly the checks of walk(),
 * answering false at the first one that would report, with nothing allocated.
 */
function conforms(node: PNode, schema: Compiled): boolean {
  if (schema.type !== undefined && !typeMatches(node, schema.type)) return false;
  if (schema.const !== undefined && !(isScalar(node) && node.value === schema.const)) return false;
  if (schema.enum && !(isScalar(node) && schema.enum.includes(node.value))) return false;
  switch (node.type) {
    case 'string':
      if (schema.minLength !== undefined && node.value.length < schema.minLength) return false;
      if (schema.regex !== undefined && !schema.regex.test(node.value)) return false;
      break;
    case 'number':
      if (schema.minimum !== undefined && node.value < schema.minimum) return false;
      if (schema.maximum !== undefined && node.value > schema.maximum) return false;
      if (schema.exclusiveMinimum !== undefined && node.value <= schema.exclusiveMinimum) return false;
      break;
    case 'object': {
      const required = schema.required;
      for (let r = 0; r < required.length; r++) if (!get(node, required[r])) return false;
      const props = node.properties;
      const seen = props.length > PAIRWISE_KEYS ? new Set<string>() : undefined;
      const map = schema.propertyMap;
      const extra = schema.additionalProperties;
      for (let i = 0; i < props.length; i++) {
        const p = props[i];
        if (duplicateBefore(props, i, seen)) return false;
        seen?.add(p.key);
        const sub = map !== undefined ? map.get(p.key) : undefined;
        if (sub) {
          if (!conforms(p.value, sub)) return false;
        } else if (extra === false) {
          if (!p.anchorHolder) return false;
        }
        else if (typeof extra === 'object' && !conforms(p.value, extra)) return false;
      }
      break;
    }
    case 'array': {
      const items = schema.items;
      if (items) for (let i = 0; i < node.items.length; i++) if (!conforms(node.items[i], items)) return false;
      break;
    }
    default:
      break;
  }
  const allOf = schema.allOf;
  if (allOf) {
    for (let k = 0; k < allOf.length; k++) {
      const sub = allOf[k];
      if (sub.if && sub.then) {
        if (conforms(node, sub.if) && !conforms(node, sub.then)) return false;
      } else if (!conforms(node, sub)) return false;
    }
  }
  return true;
}

const regexCache = new Map<string, RegExp>();
function regex(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) regexCache.set(pattern, (re = new RegExp(pattern)));
  return re;
}

function typeMatches(node: PNode, type: string): boolean {
  if (type === 'integer') return node.type === 'number' && Number.isInteger(node.value);
  // YAML's .nan and .inf, and JSON's 1e400, are numbers to the parser but no duration or count.
  if (type === 'number') return node.type === 'number' && Number.isFinite(node.value);
  return node.type === type;
}

function isScalar(node: PNode): node is Extract<PNode, { value: unknown }> {
  return node.type === 'string' || node.type === 'number' || node.type === 'boolean';
}

function shown(node: PNode): string {
  switch (node.type) {
    case 'object': return 'an object';
    case 'array': return 'a list';
    case 'null': return 'null';
    case 'string': return `the string ${JSON.stringify(truncate(node.value))}`;
    default: return String(node.value);
  }
}

function article(type: string): string {
  return ({ object: 'an object', array: 'a list', string: 'a string', number: 'a number', integer: 'a whole number', boolean: 'true or false' } as Record<string, string>)[type] ?? type;
}

function hint(schema: Schema): string {
  return schema.description ? ` ${schema.description}` : '';
}

/** "tool 'weather' › args › durationMs": the tool's id is how authors find it. */
export function describe(list: Path, root: PNode): string {
  const path: (string | number)[] = [];
  for (let p = list; p; p = p.parent) path.unshift(p.key);
  if (path.length === 0) return 'the plan';
  const parts: string[] = [];
  let i = 0;
  if (path[0] === 'tools' && typeof path[1] === 'number') {
    const idNode = get(rootTool(root, path[1]), 'id');
    parts.push(idNode && idNode.type === 'string' ? `tool '${truncate(idNode.value)}'` : `tool #${path[1] + 1} (tools[${path[1]}])`);
    i = 2;
  }
  for (; i < path.length; i++) parts.push(typeof path[i] === 'number' ? `[${path[i]}]` : `'${truncate(String(path[i]))}'`);
  return parts.join(' › ');
}

function rootTool(root: PNode, i: number): PNode | undefined {
  const tools = get(root, 'tools');
  return tools && tools.type === 'array' ? tools.items[i] : undefined;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

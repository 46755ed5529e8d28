import { get, type PNode } from './tree';
import { closest } from './suggest';

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

interface Ctx {
  readonly errors: SchemaError[];
  readonly path: Path;
  readonly root: PNode;
  readonly node: PNode;
}

function at(ctx: Ctx, message: string, n: { offset: number; length: number } = ctx.node): void {
  if (ctx.errors.length < MAX_ERRORS) ctx.errors.push({ message, offset: n.offset, length: n.length });
}

function where(ctx: Ctx): string {
  return describe(ctx.path, ctx.root);
}

/** Stops collecting after this many errors: a 100k-tool plan with one systematic mistake must stay readable and fast. */
const MAX_ERRORS = 50;

export function validateAgainstSchema(root: PNode, schema: object): SchemaError[] {
  const errors: SchemaError[] = [];
  walk(root, compiled(schema as Schema), null, root, errors, undefined);
  return errors;
}

// Schemas are normalised once to objects of one shape: property reads in walk() then stay
// monomorphic, which makes validating a 100k-tool plan several times faster.
const compiledCache = new WeakMap<Schema, Schema>();
function compiled(schema: Schema): Schema {
  const hit = compiledCache.get(schema);
  if (hit) return hit;
  const props = schema.properties;
  const out: Schema = {
    type: schema.type, enum: schema.enum, const: schema.const, pattern: schema.pattern, minimum: schema.minimum,
    maximum: schema.maximum, exclusiveMinimum: schema.exclusiveMinimum, minLength: schema.minLength,
    required: schema.required ?? [],
    properties: props ? Object.fromEntries(Object.entries(props).map(([k, v]) => [k, compiled(v)])) : undefined,
    additionalProperties: typeof schema.additionalProperties === 'object' ? compiled(schema.additionalProperties) : schema.additionalProperties,
    items: schema.items ? compiled(schema.items) : undefined,
    allOf: schema.allOf?.map(compiled),
    if: schema.if ? compiled(schema.if) : undefined,
    then: schema.then ? compiled(schema.then) : undefined,
    description: schema.description,
  };
  compiledCache.set(schema, out);
  compiledCache.set(out, out);
  return out;
}

function walk(node: PNode, schema: Schema, path: Path, root: PNode, errors: SchemaError[], keyNode: { offset: number; length: number } | undefined): void {
  if (errors.length >= MAX_ERRORS) return;
  // No closures here: this runs for every node of 100k-tool plans.
  const ctx: Ctx = { errors, path, root, node };

  if (schema.type && !typeMatches(node, schema.type)) {
    at(ctx, `${capital(where(ctx))} must be ${article(schema.type)} (got ${shown(node)}).${hint(schema)}`);
    return;
  }
  if (schema.const !== undefined && !(isScalar(node) && node.value === schema.const)) {
    at(ctx, `${capital(where(ctx))} must be ${JSON.stringify(schema.const)}.`);
    return;
  }
  if (schema.enum && !(isScalar(node) && schema.enum.includes(node.value))) {
    const got = isScalar(node) ? JSON.stringify(node.value) : shown(node);
    const guess = isScalar(node) && typeof node.value === 'string' ? closest(node.value, schema.enum.map(String)) : undefined;
    at(ctx, `${capital(where(ctx))} must be one of ${schema.enum.join(', ')} (got ${got}).${guess ? ` Did you mean '${guess}'?` : ''}`);
    return;
  }
  if (node.type === 'string') {
    if (schema.minLength !== undefined && node.value.length < schema.minLength) at(ctx, `${capital(where(ctx))} must not be empty.${hint(schema)}`);
    if (schema.pattern !== undefined && !regex(schema.pattern).test(node.value)) {
      at(ctx, `${capital(where(ctx))} ${JSON.stringify(truncate(node.value))} is not valid.${hint(schema)}`);
    }
  }
  if (node.type === 'number') {
    if (schema.minimum !== undefined && node.value < schema.minimum) at(ctx, `${capital(where(ctx))} must be at least ${schema.minimum} (got ${node.value}).${hint(schema)}`);
    if (schema.maximum !== undefined && node.value > schema.maximum) at(ctx, `${capital(where(ctx))} must be at most ${schema.maximum} (got ${node.value}).${hint(schema)}`);
    if (schema.exclusiveMinimum !== undefined && node.value <= schema.exclusiveMinimum) {
      at(ctx, `${capital(where(ctx))} must be greater than ${schema.exclusiveMinimum} (got ${node.value}).${hint(schema)}`);
    }
  }
  if (node.type === 'object') {
    for (const key of schema.required ?? []) {
      if (!get(node, key)) {
        const sub = schema.properties?.[key];
        at(ctx, `${capital(where(ctx))} is missing '${key}'.${sub?.description ? ` ${key}: ${sub.description}` : ''}`, keyNode ?? node);
      }
    }
    const seen = new Set<string>();
    for (const p of node.properties) {
      if (seen.has(p.key)) at(ctx, `${capital(where(ctx))} sets '${p.key}' twice; the last one wins. Remove the duplicate.`, { offset: p.keyOffset, length: p.keyLength });
      seen.add(p.key);
      const sub = schema.properties && Object.prototype.hasOwnProperty.call(schema.properties, p.key) ? schema.properties[p.key] : undefined;
      if (sub) walk(p.value, sub, { key: p.key, parent: path }, root, errors, { offset: p.keyOffset, length: p.keyLength });
      else if (schema.additionalProperties === false) {
        const known = Object.keys(schema.properties ?? {});
        const guess = closest(p.key, known);
        at(ctx, `Unknown property '${truncate(p.key)}' in ${where(ctx)}.${guess ? ` Did you mean '${guess}'?` : ` Known properties: ${known.join(', ')}.`}`,
          { offset: p.keyOffset, length: p.keyLength });
      } else if (typeof schema.additionalProperties === 'object') {
        walk(p.value, schema.additionalProperties, { key: p.key, parent: path }, root, errors, { offset: p.keyOffset, length: p.keyLength });
      }
    }
  }
  if (node.type === 'array' && schema.items) {
    for (let i = 0; i < node.items.length && errors.length < MAX_ERRORS; i++) walk(node.items[i], schema.items, { key: i, parent: path }, root, errors, undefined);
  }
  for (const sub of schema.allOf ?? []) {
    if (sub.if && sub.then) {
      if (conforms(node, sub.if)) walk(node, sub.then, path, root, errors, keyNode);
    } else walk(node, sub, path, root, errors, keyNode);
  }
}

/** Whether a node satisfies a schema, without reporting (for `if`). */
function conforms(node: PNode, schema: Schema): boolean {
  const errs: SchemaError[] = [];
  walk(node, schema, null, node, errs, undefined);
  return errs.length === 0;
}

const regexCache = new Map<string, RegExp>();
function regex(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) regexCache.set(pattern, (re = new RegExp(pattern)));
  return re;
}

function typeMatches(node: PNode, type: string): boolean {
  if (type === 'integer') return node.type === 'number' && Number.isInteger(node.value);
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
    parts.push(idNode && idNode.type === 'string' ? `tool '${truncate(idNode.value)}'` : `tools[${path[1]}]`);
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

// Checking a call's input against the tool's `inputSchema` with a real JSON Schema validator (Ajv),
// before the call is sent: a wrong argument is then `invalid-arguments` naming the JSON path, at
// analysis time or at the call, instead of whatever text the server makes of it.
//
// MCP schemas are draft-07 (zod-to-json-schema, most servers) or 2020-12 (the current spec's
// default); `$schema` picks the dialect. Unknown formats and keywords are tolerated (strict: false):
// a server's schema is not ours to reject.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import type { JsonValue } from '../../plan/types';
import { shorten } from '../common';

export type InputCheck = { readonly ok: true } | { readonly ok: false; readonly path: string; readonly message: string };

let draft07: Ajv | undefined;
let draft2020: Ajv2020 | undefined;

function validatorFor(schema: object): Ajv | Ajv2020 {
  const dialect = (schema as { $schema?: unknown }).$schema;
  const opts = { strict: false, allErrors: false, validateFormats: false, validateSchema: false } as const;
  if (typeof dialect === 'string' && dialect.includes('2020-12')) return (draft2020 ??= new Ajv2020(opts));
  return (draft07 ??= new Ajv(opts));
}

/** Compiles once per schema object (a server's tool list is read once per run). */
const compiled = new WeakMap<object, ValidateFunction | Error>();

export function compileInputSchema(schema: object): ValidateFunction | Error {
  const hit = compiled.get(schema);
  if (hit) return hit;
  let v: ValidateFunction | Error;
  try {
    // $schema/$id stripped: Ajv would otherwise refuse a second schema with the same $id.
    const { $schema: _s, $id: _i, ...rest } = schema as Record<string, unknown>;
    v = validatorFor(schema).compile(rest);
  } catch (e) {
    v = new Error(`its inputSchema cannot be compiled (${e instanceof Error ? e.message : String(e)})`);
  }
  compiled.set(schema, v);
  return v;
}

/** Checks `input`; the failure names the JSON path (`input.query`, `input.items[2].id`). */
export function checkInput(schema: object | undefined, input: JsonValue): InputCheck {
  if (!schema) return { ok: true };
  const v = compileInputSchema(schema);
  if (v instanceof Error) return { ok: true }; // an uncompilable schema: let the server judge
  if (v(input)) return { ok: true };
  const e = (v.errors ?? [])[0];
  if (!e) return { ok: false, path: 'input', message: 'input does not match the tool\'s inputSchema' };
  const path = jsonPath(e);
  return { ok: false, path, message: `${path} ${describeError(e)}` };
}

/** `/items/2/id` (plus a missing property) as `input.items[2].id`. */
function jsonPath(e: ErrorObject): string {
  const parts = e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required') parts.push(String((e.params as { missingProperty: string }).missingProperty));
  if (e.keyword === 'additionalProperties') parts.push(String((e.params as { additionalProperty: string }).additionalProperty));
  let out = 'input';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`;
  return out;
}

function describeError(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': return 'is required but missing';
    case 'additionalProperties': return 'is not a property this tool accepts';
    case 'type': return `must be ${String(p.type)}`;
    case 'enum': return `must be one of ${shorten((p.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', '), 120)}`;
    case 'const': return `must be ${JSON.stringify(p.allowedValue)}`;
    default: return e.message ?? `fails "${e.keyword}"`;
  }
}

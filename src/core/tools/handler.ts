// Calling a JavaScript function as a tool: the one mechanism behind the `function` tool kind and
// the library's runToolCalls handlers (DESIGN §7, §8). The function gets the call's input and
// `{ signal, call }`; what it returns (or resolves to) is the output, what it throws fails the tool.
import type { JsonValue } from '../plan/types';
import type { RunnerContext, ToolRunner } from '../engine/types';
import { abortError } from './common';

/** The call a handler is told about: the tool id, its name (label) and its resolved args. */
export interface HandlerCall {
  readonly id: string;
  readonly name: string;
  readonly args: JsonValue;
}

export interface HandlerContext {
  /** Aborted on timeout, cancellation or fail-fast: a handler should stop when it fires. */
  readonly signal: AbortSignal;
  readonly call: HandlerCall;
}

// `any` at this boundary only: user functions take whatever input they declare.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ToolHandler = (input: any, context: HandlerContext) => unknown;

/** Finds the handler and its input for one attempt (loading a module, looking up a name…). */
export type HandlerLookup = (ctx: RunnerContext) => Promise<{ readonly handler: ToolHandler; readonly input: JsonValue }> | { readonly handler: ToolHandler; readonly input: JsonValue };

export function createHandlerRunner(lookup: HandlerLookup): ToolRunner {
  return {
    async run(ctx: RunnerContext): Promise<JsonValue> {
      if (ctx.signal.aborted) throw abortError(ctx.signal);
      const { handler, input } = await lookup(ctx);
      if (ctx.signal.aborted) throw abortError(ctx.signal);
      return callHandler(handler, input, ctx);
    },
  };
}

/** Runs one handler; the result is made JSON (undefined → null, Dates → strings, functions dropped). */
export async function callHandler(handler: ToolHandler, input: JsonValue, ctx: RunnerContext): Promise<JsonValue> {
  let value: unknown;
  try {
    value = await handler(input, { signal: ctx.signal, call: { id: ctx.tool.id, name: ctx.tool.label, args: ctx.args } });
  } catch (e) {
    if (ctx.signal.aborted) throw abortError(ctx.signal);
    throw e instanceof Error ? e : new Error(typeof e === 'string' ? e : `threw ${describeThrown(e)}`);
  }
  return toJson(value);
}

function describeThrown(e: unknown): string {
  try {
    return JSON.stringify(e) ?? String(e);
  } catch {
    return String(e);
  }
}

export function toJson(value: unknown): JsonValue {
  // Primitives are their own JSON: no text round trip (most tool results are strings).
  switch (typeof value) {
    case 'undefined':
    case 'function':
    case 'symbol':
      return null;
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value.toString();
  }
  if (value === null) return null;
  try {
    const text = stringifyAllowingBigInt(value);
    return text === undefined ? null : (JSON.parse(text) as JsonValue);
  } catch (e) {
    throw new Error(`the function returned a value that is not JSON (${e instanceof Error ? e.message : String(e)}); return plain data.`);
  }
}

/**
 * JSON.stringify without a replacer first: a replacer takes V8 off its fast serializer (3× slower
 * on small results), and only a BigInt needs one.
 */
function stringifyAllowingBigInt(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch (e) {
    if (!(e instanceof TypeError) || !/BigInt/i.test(e.message)) throw e;
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
}

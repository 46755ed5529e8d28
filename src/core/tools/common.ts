// Helpers shared by the Node tool runners: argument checks that turn bad plan input into a
// clear rejected Error (never a crash), abort plumbing, and capped byte collection.
import type { JsonObject, JsonValue } from '../plan/types';

export const DEFAULT_OUTPUT_CAP_BYTES = 1024 * 1024;

/** The error a runner rejects with once its signal fired: the executor decides timed-out vs cancelled. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new Error(reason === undefined ? 'The tool was cancelled.' : String(reason));
}

export function describeType(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(shorten(value, 40))}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

export function requireString(kind: string, args: JsonObject, key: string, example: string): string {
  const value = args[key];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(`${kind} tool: args.${key} must be a non-empty string (got ${describeType(value)}), e.g. ${example}.`);
  }
  return value;
}

export function optionalString(kind: string, args: JsonObject, key: string): string | undefined {
  const value = args[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new Error(`${kind} tool: args.${key} must be a string when given (got ${describeType(value)}).`);
  return value;
}

/**
 * A map of names to strings. Numbers and booleans are written as text (YAML turns `PORT: 8080`
 * into a number); `null` values are kept so callers can treat them as "unset".
 */
export function optionalStringMap(kind: string, args: JsonObject, key: string): ReadonlyMap<string, string | null> | undefined {
  const value = args[key];
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${kind} tool: args.${key} must be an object of name: value pairs (got ${describeType(value)}).`);
  }
  const out = new Map<string, string | null>();
  for (const [name, v] of Object.entries(value as JsonObject)) {
    if (v === null) out.set(name, null);
    else if (typeof v === 'string') out.set(name, v);
    else if (typeof v === 'number' || typeof v === 'boolean') out.set(name, String(v));
    else throw new Error(`${kind} tool: args.${key}.${name} must be a string, number or boolean (got ${describeType(v)}).`);
  }
  return out;
}

export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The last `lines` non-empty lines of `text`, at most `maxChars` long (keeping the end). */
export function tail(text: string, lines = 5, maxChars = 600): string {
  const kept = text.replace(/\s+$/, '').split(/\r?\n/).slice(-lines).join('\n');
  return kept.length <= maxChars ? kept : `…${kept.slice(kept.length - maxChars + 1)}`;
}

/** Collects bytes up to a cap; past it, bytes are counted and dropped (the source keeps draining). */
export class CappedBuffer {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private total = 0;

  constructor(private readonly cap: number) {}

  push(chunk: Uint8Array): boolean {
    this.total += chunk.byteLength;
    const room = this.cap - this.kept;
    if (room > 0) {
      const piece = chunk.byteLength <= room ? chunk : chunk.subarray(0, room);
      this.chunks.push(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
      this.kept += piece.byteLength;
    }
    return this.total <= this.cap;
  }

  get truncated(): boolean {
    return this.total > this.cap;
  }

  get totalBytes(): number {
    return this.total;
  }

  text(): string {
    return Buffer.concat(this.chunks, this.kept).toString('utf8');
  }
}

/** Parses text that looks like a JSON object or array; anything else stays text. */
export function parseJsonContainer(text: string): JsonValue | undefined {
  const t = text.trim();
  if (!((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']')))) return undefined;
  try {
    return JSON.parse(t) as JsonValue;
  } catch {
    return undefined;
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

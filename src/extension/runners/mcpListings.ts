// The MCP servers' tool listings kept between analyses, so opening or saving a plan does not start
// its servers every time (mcpDiagnostics.ts). One cache per activation, created with the services
// (extension.ts) and passed down to the lazily loaded MCP bundle, never module state: a reload or a
// second extension host starts empty, and a test makes its own. Plain code (no vscode; the Disposable
// base uses its types only), so the MCP bundle (dist/mcpHost.js) and the main bundle share only
// this shape.
import type { McpServerConfig } from '../../core/plan/types';
import type { McpToolInfo } from '../../core/tools/mcp/session';
import { Disposable } from '../disposable';

/** A server's listing: its tools by name, or why it could not be listed. */
export type McpListing = ReadonlyMap<string, McpToolInfo> | Error;

export interface McpListingCacheOptions {
  /** How long a listing is trusted (default five minutes: a server being edited is picked up soon). */
  readonly ttlMs?: number;
  /** The clock (tests pass their own). */
  readonly now?: () => number;
}

export class McpListingCache extends Disposable {
  private readonly entries = new Map<string, { readonly at: number; readonly listing: McpListing }>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: McpListingCacheOptions = {}) {
    super();
    // Forgets every listing on the extension's dispose (through Services).
    this.onDispose(() => this.entries.clear());
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** The same server config in the same folder is the same listing. */
  static key(cwd: string, config: McpServerConfig | undefined): string {
    return `${cwd}\u0000${JSON.stringify(config)}`;
  }

  /** A listing younger than the TTL, else undefined (and the stale one is dropped). */
  get(key: string): McpListing | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (this.now() - hit.at < this.ttlMs) return hit.listing;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, listing: McpListing): void {
    this.entries.set(key, { at: this.now(), listing });
  }

  get size(): number {
    return this.entries.size;
  }
}

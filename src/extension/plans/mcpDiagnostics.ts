// Analysis with MCP servers listed, in a trusted workspace (README "Real tools"): when a plan with
// mcp calls is opened or saved, the servers it names (its own mcpServers and the workspace's
// .vscode/mcp.json) are listed and each call is checked — unknown-tool and invalid-arguments
// appear at the call, in a diagnostic collection of their own beside the live analysis. Not on
// every keystroke: listing starts the servers (once per config, then kept for five minutes in the
// services' McpListingCache, runners/mcpListings.ts).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import { checkPlanCalls, readWorkspaceMcpServers } from '../runners/mcp';
import type { McpListingCache } from '../runners/mcpListings';
import type { AnalysisService } from './analysisService';
import { isPlanDocument } from './analysisService';
import { toVscodeDiagnostic } from './diagnostics';

export class McpDiagnostics extends Disposable {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('fanout-mcp'));
  /** The document version each check ran for: a stale result is dropped. */
  private readonly checking = new Map<string, number>();

  constructor(private readonly analyses: AnalysisService, private readonly listings: McpListingCache) {
    super();
    this.registerAll(
      vscode.workspace.onDidOpenTextDocument((d) => this.check(d)),
      vscode.workspace.onDidSaveTextDocument((d) => this.check(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => vscode.workspace.textDocuments.forEach((d) => this.check(d))),
    );
    vscode.workspace.textDocuments.forEach((d) => this.check(d));
  }

  /** Lists and checks now; resolves when the diagnostics are published (tests await it). */
  async check(doc: vscode.TextDocument): Promise<void> {
    if (!vscode.workspace.isTrusted || !isPlanDocument(doc) || doc.uri.scheme !== 'file') return;
    const src = this.analyses.forDocument(doc);
    const plan = src.analysis?.plan;
    if (!plan || !plan.tools.some((t) => t.kind === 'mcp')) {
      this.collection.delete(doc.uri);
      return;
    }
    const key = doc.uri.toString();
    const version = doc.version;
    this.checking.set(key, version);
    try {
      const workspace = await readWorkspaceMcpServers();
      const found = await checkPlanCalls(plan, workspace, path.dirname(doc.uri.fsPath), this.listings);
      if (this.checking.get(key) !== version || doc.isClosed) return;
      // Only what the live analysis cannot know: the checks that need the servers' tools.
      const own = found.filter((d) => d.code === 'invalid-arguments' || (d.code === 'unknown-tool' && !/is not configured/.test(d.message)));
      this.collection.set(doc.uri, own.map((d) => toVscodeDiagnostic(doc, src, d)));
    } catch {
      // A server that cannot be listed is reported by the run; analysis stays quiet.
    }
  }

}

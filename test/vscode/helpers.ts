// Helpers for tests that run inside the real extension host. Everything here observes the product
// through public surfaces: VS Code's API and the extension's exported API ({ runBus }).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FanoutApi } from '../../src/extension/extension';
import type { RunEndedInfo } from '../../src/extension/runBus';
import { FIGURES_KEY } from './results';

export const EXTENSION_ID = 'fanout-dev.fanout';

export function extension(): vscode.Extension<FanoutApi> {
  const ext = vscode.extensions.getExtension<FanoutApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded in this host`);
  return ext;
}

/** The extension's API, activating it if the host has not yet. */
export async function api(): Promise<FanoutApi> {
  const ext = extension();
  const exported = ext.isActive ? ext.exports : await ext.activate();
  assert.ok(exported && exported.runBus, 'activate() must return { runBus }');
  return exported;
}

/**
 * The repository, for its dev dependencies (the MCP test servers in node_modules). The runner
 * passes it: with --vsix the extension is the installed copy, which has no node_modules.
 */
export function repoRoot(): string {
  return process.env.FANOUT_VSCODE_REPO ?? extension().extensionPath;
}

/** A figure measured in the real host, printed by the runner (`vscode: suite: name: value`). */
export function reportFigure(name: string, value: string): void {
  const g = globalThis as unknown as Record<string, Record<string, string> | undefined>;
  (g[FIGURES_KEY] ??= {})[name] = value;
}

/** The workspace folder the runner seeded with test/vscode/fixtures. */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test host was opened without a workspace folder');
  return folder.uri;
}

export function fixture(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), name);
}

export async function openFixture(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fixture(name));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Polls until `check` returns a value other than undefined/false, or fails with `what`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Every diagnostic code in DESIGN.md §3 (contract). */
export const DIAGNOSTIC_CODES: ReadonlySet<string> = new Set([
  'parse-error', 'schema', 'duplicate-id', 'unknown-dependency', 'self-dependency', 'cycle', 'unknown-reference',
  'undeclared-dependency', 'unbounded-concurrency', 'write-conflict', 'no-parallelism', 'cpu-oversubscribed',
  'duplicate-call', 'missing-timeout', 'retry-not-idempotent', 'straggler',
]);

/** Fanout's diagnostics for a document (the JSON language service's own schema checks are left out). */
export function fanoutDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => DIAGNOSTIC_CODES.has(codeOf(d)));
}

export function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  if (c === undefined) return '';
  return typeof c === 'object' ? String(c.value) : String(c);
}

/**
 * Runs `command` on `uri` and resolves with the run-ended event for that document. Subscribes
 * before executing so a fast run cannot end unseen.
 */
export async function runAndWait(command: string, uri: vscode.Uri, timeoutMs = 20_000): Promise<RunEndedInfo> {
  const { runBus } = await api();
  let sub: vscode.Disposable | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ended = new Promise<RunEndedInfo>((resolve, reject) => {
    sub = runBus.onDidEndRun((e) => {
      if (e.uri === uri.toString()) resolve(e);
    });
    timer = setTimeout(() => reject(new Error(`${command} on ${uri.path} did not end within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await vscode.commands.executeCommand(command, uri);
    return await ended;
  } finally {
    sub?.dispose();
    if (timer) clearTimeout(timer);
  }
}

/** Closes every editor so one test's open documents do not steer the next one. */
export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

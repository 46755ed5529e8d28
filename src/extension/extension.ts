// Activation composes independent features; each owns its commands and disposables.
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { registerAudit } from './audit';
import { registerLessons } from './lessons';
import { registerPlanFeatures } from './plans';
import { registerPlanView } from './planView';
import { RunBus, type Services } from './runBus';
import { onDidShowApprovalPrompt } from './plans/approvalPrompt';
import type { ApprovalPromptText } from './plans/approvalItems';
import { McpListingCache } from './runners/mcpListings';

/** Set by dist/extension.js's first and last lines (scripts/build.mjs banner and footer). */
declare const __fanoutLoadStart: number | undefined;
declare const __fanoutLoadEnd: number | undefined;

/** What activation cost, measured in the host (the VS Code suite reports it; docs/architecture.md). */
export interface ActivationTiming {
  /** Evaluating dist/extension.js's modules: from the bundle's first line to its last. */
  readonly loadMs: number | undefined;
  /** From the end of the bundle to activate(): the host's own work (extension context, storage). */
  readonly hostMs: number | undefined;
  /** activate() itself, up to its return (work it starts without awaiting is not included). */
  readonly activateMs: number;
}

export interface FanoutApi {
  /** For tests and other extensions: the run bus (read-only use). */
  readonly runBus: RunBus;
  readonly activation: ActivationTiming;
  /** What each approval quick pick shows (title, rows with the reason per call), as it opens. */
  readonly onDidShowApprovalPrompt: vscode.Event<ApprovalPromptText>;
}

export function activate(context: vscode.ExtensionContext): FanoutApi {
  const started = performance.now();
  const stamped = typeof __fanoutLoadStart === 'number' && typeof __fanoutLoadEnd === 'number';
  const loadMs = stamped ? (__fanoutLoadEnd as number) - (__fanoutLoadStart as number) : undefined;
  const hostMs = stamped ? started - (__fanoutLoadEnd as number) : undefined;
  const runBus = new RunBus();
  const output = vscode.window.createOutputChannel('Fanout', { log: true });
  const mcpListings = new McpListingCache();
  context.subscriptions.push(runBus, output, mcpListings);
  const services: Services = { context, runBus, output, mcpListings };
  const plans = registerPlanFeatures(services);
  context.subscriptions.push(plans, registerPlanView(services, plans));
  context.subscriptions.push(registerLessons(services), registerAudit(services));
  const activation: ActivationTiming = { loadMs, hostMs, activateMs: performance.now() - started };
  output.info(`Activated: modules ${loadMs?.toFixed(1) ?? '?'} ms, activate() ${activation.activateMs.toFixed(1)} ms.`);
  return { runBus, activation, onDidShowApprovalPrompt };
}

export function deactivate(): void {
  // Everything is in context.subscriptions; running plans are cancelled by their disposables.
}

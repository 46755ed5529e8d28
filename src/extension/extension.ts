// Activation composes independent features; each owns its commands and disposables.
import * as vscode from 'vscode';
import { registerAudit } from './audit';
import { registerLessons } from './lessons';
import { registerPlanFeatures } from './plans';
import { registerPlanView } from './planView';
import { RunBus, type Services } from './runBus';

export interface FanoutApi {
  /** For tests and other extensions: the run bus (read-only use). */
  readonly runBus: RunBus;
}

export function activate(context: vscode.ExtensionContext): FanoutApi {
  const runBus = new RunBus();
  const output = vscode.window.createOutputChannel('Fanout', { log: true });
  context.subscriptions.push(runBus, output);
  const services: Services = { context, runBus, output };
  const plans = registerPlanFeatures(services);
  context.subscriptions.push(plans, registerPlanView(services, plans));
  registerLessons(services);
  registerAudit(services);
  return { runBus };
}

export function deactivate(): void {
  // Everything is in context.subscriptions; running plans are cancelled by their disposables.
}

// The one place that reads Fanout's settings.
import * as vscode from 'vscode';
import { normalizeSettings, type FanoutSettings } from './settingsModel';

export type { FanoutSettings } from './settingsModel';

export function getSettings(scope?: vscode.Uri): FanoutSettings {
  const config = vscode.workspace.getConfiguration('fanout', scope);
  return normalizeSettings((key) => config.get(key));
}

export function onDidChangeSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('fanout')) listener();
  });
}

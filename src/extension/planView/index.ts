// The plan view feature: fanout.showGraph, one panel per plan document, restore after reload, and
// the routing of each document's runs (RunBus) and history to its panel.
import * as vscode from 'vscode';
import { PLAN_VIEW_TYPE } from '../../protocol/planView';
import { COMMANDS, type Services } from '../runBus';
import { panelState, PlanPanel, type PanelHost } from './panel';
import { RunCache } from './runCache';
import { toViewEvents, toViewRecord } from './toView';

export interface ShowGraphOptions {
  readonly preserveFocus?: boolean;
  /** Show this past run (from the history) instead of the latest one. */
  readonly runId?: string;
}

export function registerPlanView(services: Services): void {
  const panels = new Map<string, PlanPanel>();
  const runs = new RunCache();
  const host: PanelHost = {
    services,
    runs,
    onDidDispose: (p) => {
      if (panels.get(p.key) === p) panels.delete(p.key);
    },
  };

  const adopt = (panel: vscode.WebviewPanel, uri: vscode.Uri): PlanPanel => {
    const p = new PlanPanel(panel, uri, host);
    panels.get(p.key)?.dispose();
    panels.set(p.key, p);
    return p;
  };

  const showGraph = async (arg?: unknown, options?: ShowGraphOptions): Promise<void> => {
    const uri = toUri(arg) ?? vscode.window.activeTextEditor?.document.uri;
    if (!uri) {
      void vscode.window.showInformationMessage('Fanout: open a tool plan (*.toolplan.json or .yaml) to show its graph.');
      return;
    }
    const preserveFocus = options?.preserveFocus === true;
    let p = panels.get(uri.toString());
    if (p) p.reveal(preserveFocus);
    else {
      const panel = vscode.window.createWebviewPanel(PLAN_VIEW_TYPE, 'Fanout', { viewColumn: vscode.ViewColumn.Beside, preserveFocus }, {
        enableScripts: true,
        enableFindWidget: true,
        retainContextWhenHidden: false,
        localResourceRoots: [vscode.Uri.joinPath(services.context.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(services.context.extensionUri, 'media')],
      });
      p = adopt(panel, uri);
    }
    if (typeof options?.runId === 'string') await p.showRun(options.runId);
  };

  services.context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.showGraph, showGraph),
    vscode.window.registerWebviewPanelSerializer(PLAN_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
        const s = panelState(state);
        if (!s) {
          // Nothing says which plan this was (state never saved): close rather than show a blank view.
          panel.dispose();
          return;
        }
        adopt(panel, vscode.Uri.parse(s.uri));
      },
    }),
    services.runBus.onDidStartRun((info) => {
      runs.started(info.uri, info.runId, info.mode, info.tools, info.slots);
      panels.get(info.uri)?.postRun({ type: 'run-started', runId: info.runId, mode: info.mode, tools: info.tools, slots: info.slots });
    }),
    services.runBus.onDidRunEvents((info) => {
      const events = toViewEvents(info.events);
      if (!runs.events(info.uri, info.runId, events) || events.length === 0) return;
      panels.get(info.uri)?.postRun({ type: 'run-events', runId: info.runId, events });
    }),
    services.runBus.onDidEndRun((info) => {
      const record = toViewRecord(info.record);
      runs.ended(info.uri, info.runId, info.mode, record);
      panels.get(info.uri)?.postRun({ type: 'run-ended', runId: info.runId, record });
    }),
    { dispose: () => { for (const p of [...panels.values()]) p.dispose(); } },
  );
  // The history store is set by the plans feature before this registers; it may also come later.
  const subscribeHistory = (): boolean => {
    if (!services.history) return false;
    services.context.subscriptions.push(services.history.onDidChange(() => { for (const p of panels.values()) p.sendHistory(); }));
    return true;
  };
  if (!subscribeHistory()) queueMicrotask(subscribeHistory);
}

function toUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg.length > 0) {
    try {
      return /^[a-z][a-z0-9+.-]*:/i.test(arg) ? vscode.Uri.parse(arg, true) : vscode.Uri.file(arg);
    } catch {
      return undefined;
    }
  }
  // Explorer / editor-title context menus pass { resourceUri } or a TextEditor-like object.
  const o = arg as { resourceUri?: unknown; document?: { uri?: unknown }; uri?: unknown } | null | undefined;
  if (o && o.resourceUri instanceof vscode.Uri) return o.resourceUri;
  if (o && o.document?.uri instanceof vscode.Uri) return o.document.uri;
  if (o && o.uri instanceof vscode.Uri) return o.uri;
  return undefined;
}

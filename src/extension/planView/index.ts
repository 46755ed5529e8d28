// The plan view feature: fanout.showGraph, one panel per document (a plan file or a selection
// document), restore after reload. Each panel shows its document's plan session (plans/planSession.ts).
import * as vscode from 'vscode';
import { PLAN_VIEW_TYPE, type ViewSection } from '../../protocol/planView';
import type { PlanSessions } from '../plans/planSessions';
import { COMMANDS, type RunHistoryStore, type Services } from '../runBus';
import { createWebviewPanel } from '../webviewPanelHost';
import { panelState, PlanPanel, type PanelHost } from './panel';

export interface ShowGraphOptions {
  readonly preserveFocus?: boolean;
  /** Show this past run (from the history) instead of the latest one. */
  readonly runId?: string;
  /** The section the view brings into view: the graph (the default: Show Graph), or the timeline (Run). */
  readonly section?: ViewSection;
}

export interface PlanViewDeps {
  /** One session per document: the panel shows it and keeps nothing of its own. */
  readonly sessions: PlanSessions;
  readonly history: RunHistoryStore;
}

export function registerPlanView(services: Services, deps: PlanViewDeps): vscode.Disposable {
  const panels = new Map<string, PlanPanel>();
  const host: PanelHost = {
    extensionUri: services.context.extensionUri,
    history: deps.history,
    output: services.output,
    onDidDispose: (p) => {
      if (panels.get(p.key) === p) panels.delete(p.key);
    },
  };

  const adopt = (panel: vscode.WebviewPanel, uri: vscode.Uri): PlanPanel => {
    const p = new PlanPanel(panel, deps.sessions.get(uri), host);
    panels.get(p.key)?.dispose();
    panels.set(p.key, p);
    // The frame paints at once; the analysis follows when the document is open.
    deps.sessions.open(uri).catch((err: unknown) => services.output.error(`Plan view: cannot open ${uri.toString()}: ${err instanceof Error ? err.message : String(err)}`));
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
      // Kept alive while hidden: showing the tab again costs nothing, where a rebuild (reload the
      // bundles, re-analyse, Mermaid layout) took 1.8 s (10 tools) to 3.0 s (150 tools). The price
      // is the hidden webview's memory, one per open plan view (docs/architecture.md, plan view).
      const panel = createWebviewPanel(PLAN_VIEW_TYPE, 'Fanout', { viewColumn: planViewColumn(), preserveFocus }, services.context.extensionUri, { retainContextWhenHidden: true });
      p = adopt(panel, uri);
    }
    if (typeof options?.runId === 'string') await p.showRun(options.runId);
    // At side-column widths the summary fills the first screen: land on what was asked for.
    p.revealSection(options?.section ?? (typeof options?.runId === 'string' ? 'timeline' : 'graph'), !preserveFocus);
  };

  return vscode.Disposable.from(
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
    { dispose: () => { for (const p of [...panels.values()]) p.dispose(); } },
  );
}

/**
 * Where a new plan view opens: beside the plan, never in a new third group. When a plan view's
 * group is active (the user is looking at another plan's view), the new one joins that group;
 * when another group exists, it goes there; only a single group gets one beside it.
 */
function planViewColumn(): vscode.ViewColumn {
  const groups = vscode.window.tabGroups;
  const active = groups.activeTabGroup;
  const isPlanView = (tab: vscode.Tab | undefined): boolean =>
    tab?.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(PLAN_VIEW_TYPE);
  if (isPlanView(active.activeTab)) return active.viewColumn;
  const other = groups.all.find((g) => g !== active);
  return other ? other.viewColumn : vscode.ViewColumn.Beside;
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

// The plan view's page and icon, shared by the plan panel and the audit panel: an audited trace is
// shown in the same webview bundle (planView.js), so both panels load exactly the same page.
import * as vscode from 'vscode';
import type { WebviewPanelSpec } from '../webviewPanelHost';
import { planViewHtml } from './html';

export function planViewPage(extensionUri: vscode.Uri, title: string): Pick<WebviewPanelSpec, 'iconPath' | 'html'> {
  const media = vscode.Uri.joinPath(extensionUri, 'media');
  return {
    iconPath: { light: vscode.Uri.joinPath(media, 'planView-light.svg'), dark: vscode.Uri.joinPath(media, 'planView-dark.svg') },
    html: (page) => planViewHtml({
      cspSource: page.cspSource,
      nonce: page.nonce,
      appScript: page.asset('dist', 'webview', 'planView.js'),
      mermaidScript: page.asset('dist', 'webview', 'mermaid.min.js'),
      stylesheet: page.asset('media', 'planView.css'),
      title,
    }),
  };
}

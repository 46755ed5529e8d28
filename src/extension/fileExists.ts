import * as vscode from 'vscode';

/** Whether a file or folder exists, through vscode.workspace.fs (works for remote and virtual file systems). */
export async function fileExists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

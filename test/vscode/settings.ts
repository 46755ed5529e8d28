// Fanout's user settings for a suite in the real extension host, put back as they were afterwards
// (one copy of the save/restore the approval, MCP, shell and run suites each wrote by hand). The
// settings are the user's (ConfigurationTarget.Global): a test cannot click the dialogs they turn off.
import * as vscode from 'vscode';

/** `fanout.*` settings by their name without the prefix: { confirmShellAndHttp: false }. */
export type FanoutSettings = Readonly<Record<string, unknown>>;

/**
 * Sets `values` in the user settings and resolves with the function that restores what each one
 * was before (its user value, or none), in reverse order.
 */
export async function setSettings(values: FanoutSettings): Promise<() => Promise<void>> {
  const config = vscode.workspace.getConfiguration('fanout');
  const saved: [string, unknown][] = [];
  for (const [key, value] of Object.entries(values)) {
    saved.push([key, config.inspect(key)?.globalValue]);
    await config.update(key, value, vscode.ConfigurationTarget.Global);
  }
  return async () => {
    const now = vscode.workspace.getConfiguration('fanout');
    for (const [key, before] of saved.reverse()) await now.update(key, before, vscode.ConfigurationTarget.Global);
  };
}

/** In a describe(): `values` for its tests (a before hook), restored once they are done (an after hook). */
export function withSettings(values: FanoutSettings): void {
  let restore: (() => Promise<void>) | undefined;
  before(async () => {
    restore = await setSettings(values);
  });
  after(async () => {
    await restore?.();
    restore = undefined;
  });
}

// Child processes started in their own process group (shell tools, stdio MCP servers), so ending
// one ends everything it started. Groups still alive when the host process exits get SIGKILL:
// detached groups do not receive the terminal's SIGINT/SIGHUP, so nothing else would stop them.
// A group being ended stays on the list until its SIGKILL is sent, even once its leader is gone:
// a grandchild that ignores SIGTERM (`trap '' TERM`) must not outlive a CLI that exits within
// the grace period.

const liveGroups = new Set<number>();
const endingGroups = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', killAllGroups);
}

/** SIGKILL to every group still tracked or being ended (the host is exiting). */
export function killAllGroups(): void {
  for (const g of liveGroups) signalGroup(g, 'SIGKILL');
  for (const g of endingGroups) signalGroup(g, 'SIGKILL');
  liveGroups.clear();
  endingGroups.clear();
}

export function trackGroup(pgid: number): void {
  installExitHook();
  liveGroups.add(pgid);
}

export function untrackGroup(pgid: number): void {
  liveGroups.delete(pgid);
}

/** Sends a signal to a whole process group; false when the group is already empty. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: nobody left in the group
  }
}

/** SIGTERM to the group now, SIGKILL to whatever is still in it after the grace period. */
export function endGroup(pgid: number, graceMs: number): void {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  installExitHook();
  endingGroups.add(pgid);
  const timer = setTimeout(() => {
    signalGroup(pgid, 'SIGKILL');
    endingGroups.delete(pgid);
  }, graceMs);
  timer.unref();
}

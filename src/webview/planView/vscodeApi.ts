// The webview side of VS Code's postMessage bridge, typed with the plan view protocol.
import type { PlanViewState, ViewToHost } from '../../protocol/planView';

export interface VsCodeApi {
  postMessage(message: ViewToHost): void;
  getState(): PlanViewState | undefined;
  setState(state: PlanViewState): void;
}

declare function acquireVsCodeApi(): { postMessage(m: unknown): void; getState(): unknown; setState(s: unknown): void };

/** acquireVsCodeApi may be called once per page: the entry calls this once and passes it down. */
export function vscodeApi(): VsCodeApi {
  const api = acquireVsCodeApi();
  return {
    postMessage: (m) => api.postMessage(m),
    getState: () => {
      const s = api.getState() as { uri?: unknown } | undefined | null;
      return s && typeof s.uri === 'string' ? { uri: s.uri } : undefined;
    },
    setState: (s) => {
      api.setState(s);
    },
  };
}

// Fanout's settings as plain values, checked once. Pure: no 'vscode' (settings.ts reads them).

export interface FanoutSettings {
  /** Cap for plans without maxConcurrency; null = unbounded. */
  readonly maxConcurrency: number | null;
  readonly defaultEstimateMs: number;
  readonly confirmShellAndHttp: boolean;
  readonly historySize: number;
  readonly analyzeOnType: boolean;
  /** When a streamed plan's calls start: as their arguments close, or at the stream's end. */
  readonly streamPolicy: 'dispatch-on-close' | 'wait-for-end';
  /** Approval lanes (README "Approval lanes"): ask per batch, run everything, or deny what needs approval. */
  readonly approveCalls: 'prompt' | 'all' | 'read-only';
}

export const DEFAULT_SETTINGS: FanoutSettings = {
  maxConcurrency: null, defaultEstimateMs: 1000, confirmShellAndHttp: true, historySize: 50, analyzeOnType: true, streamPolicy: 'dispatch-on-close', approveCalls: 'prompt',
};

/** Values a user typed by hand (wrong types, negatives) fall back to the defaults, never crash. */
export function normalizeSettings(get: (key: keyof FanoutSettings) => unknown): FanoutSettings {
  const mc = get('maxConcurrency');
  const est = get('defaultEstimateMs');
  const hist = get('historySize');
  const bool = (k: 'confirmShellAndHttp' | 'analyzeOnType'): boolean => {
    const v = get(k);
    return typeof v === 'boolean' ? v : DEFAULT_SETTINGS[k];
  };
  return {
    maxConcurrency: typeof mc === 'number' && Number.isFinite(mc) && mc >= 1 ? Math.floor(mc) : null,
    defaultEstimateMs: typeof est === 'number' && Number.isFinite(est) && est >= 0 ? est : DEFAULT_SETTINGS.defaultEstimateMs,
    confirmShellAndHttp: bool('confirmShellAndHttp'),
    historySize: typeof hist === 'number' && Number.isFinite(hist) && hist >= 0 ? Math.min(1000, Math.floor(hist)) : DEFAULT_SETTINGS.historySize,
    analyzeOnType: bool('analyzeOnType'),
    streamPolicy: get('streamPolicy') === 'wait-for-end' ? 'wait-for-end' : 'dispatch-on-close',
    approveCalls: ((v) => (v === 'all' || v === 'read-only' || v === 'prompt' ? v : DEFAULT_SETTINGS.approveCalls))(get('approveCalls')),
  };
}

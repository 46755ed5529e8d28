// The results file the in-host suite writes and the runner reads (shared shape, and the key figures travel under).
export interface TestResult {
  readonly title: string;
  readonly state: 'passed' | 'failed' | 'skipped';
  readonly durationMs: number;
  readonly error?: string;
}

export interface SuiteResults {
  readonly phase: string;
  readonly vscodeVersion: string;
  readonly durationMs: number;
  readonly tests: readonly TestResult[];
  /** Figures measured in the host (reportFigure in helpers.ts), printed by the runner. */
  readonly figures?: Readonly<Record<string, string>>;
}

/** Where reportFigure collects figures: a global, because each test file is its own bundle. */
export const FIGURES_KEY = '__fanoutVscodeFigures';

// The results file the in-host suite writes and the runner reads (shared shape, no runtime code).
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
}

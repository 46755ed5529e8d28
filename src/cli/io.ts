/** What a CLI command may touch, so commands can be tested without a real process. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readStdin: () => Promise<string>;
  readonly isTTY: boolean;
  /** Terminal width when stdout is a terminal (timeline and report fit to it). */
  readonly columns?: number;
  /** Transient progress (a one-line counter on a terminal's stderr); absent when not a terminal. */
  readonly progress?: (line: string) => void;
  readonly cwd: string;
  /**
   * Asks the user a question on the terminal and resolves with the line typed; absent when stdin
   * or stderr is not a terminal (`fanout run --approve prompt`). `signal` withdraws the question.
   */
  readonly ask?: (question: string, signal?: AbortSignal) => Promise<string>;
  /** Resolves with the signal when the user or the system stops the CLI; commands that run tools cancel on it. */
  readonly interrupted: Promise<StopSignal>;
}

/** The signals that stop a run: Ctrl-C, `kill`/service managers, a closed terminal. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** 128 + the signal number (130, 143, 129): what a shell reports for a command a signal stopped. */
export function signalExitCode(signal: StopSignal): number {
  return 128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const)[signal];
}

/** A subcommand: returns the process exit code (0 ok, 1 run had failures, 2 invalid input). */
export type CliCommand = (argv: readonly string[], io: CliIO) => Promise<number>;

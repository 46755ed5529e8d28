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
  /** Resolves when the user interrupts (SIGINT); commands that run tools cancel on it. */
  readonly interrupted: Promise<void>;
}

/** A subcommand: returns the process exit code (0 ok, 1 run had failures, 2 invalid input). */
export type CliCommand = (argv: readonly string[], io: CliIO) => Promise<number>;

import type { CliCommand } from '../io';

// One module per subcommand; each registers here.
export const COMMANDS: Readonly<Record<string, CliCommand>> = Object.freeze({});

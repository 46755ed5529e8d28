import type { CliCommand } from '../io';

// One module per subcommand; each registers here. Loaded when its command runs, not at start-up:
// the CLI is one bundle, and evaluating every command's dependencies (the MCP SDK, Ajv, zod, yaml,
// OpenTelemetry) cost more than a small `fanout audit` does (docs/audit.md, "Cost").
const lazy = (load: () => Promise<CliCommand>): CliCommand => async (argv, io) => (await load())(argv, io);

export const COMMANDS: Readonly<Record<string, CliCommand>> = Object.freeze({
  analyze: lazy(async () => (await import('./analyze')).analyzeCommand),
  mermaid: lazy(async () => (await import('./mermaid')).mermaidCommand),
  simulate: lazy(async () => (await import('./simulate')).simulateCommand),
  run: lazy(async () => (await import('./run')).runCommand),
  lessons: lazy(async () => (await import('./lessons')).lessonsCommand),
  audit: lazy(async () => (await import('./audit')).auditCommand),
  show: lazy(async () => (await import('./show')).showCommand),
});

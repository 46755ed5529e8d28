import type { CliCommand } from '../io';
import { analyzeCommand } from './analyze';
import { mermaidCommand } from './mermaid';
import { lessonsCommand } from './lessons';

// One module per subcommand; each registers here.
export const COMMANDS: Readonly<Record<string, CliCommand>> = Object.freeze({
  analyze: analyzeCommand,
  mermaid: mermaidCommand,
  lessons: lessonsCommand,
});

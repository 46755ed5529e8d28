import type { CliCommand } from '../io';
import { analyzeCommand } from './analyze';
import { mermaidCommand } from './mermaid';
import { runCommand } from './run';
import { simulateCommand } from './simulate';
import { lessonsCommand } from './lessons';
import { auditCommand } from './audit';
import { showCommand } from './show';

// One module per subcommand; each registers here.
export const COMMANDS: Readonly<Record<string, CliCommand>> = Object.freeze({
  analyze: analyzeCommand,
  mermaid: mermaidCommand,
  simulate: simulateCommand,
  run: runCommand,
  lessons: lessonsCommand,
  audit: auditCommand,
  show: showCommand,
});

// `fanout mermaid FILE|-`: the plan's Mermaid flowchart on stdout. An invalid plan still gets its
// tools drawn (errors marked) but exits 2, with the diagnostics on stderr.

import type { CliCommand } from '../io';
import { loadPlan } from '../input';
import { renderMermaid } from '../../core/render/mermaid';
import { parseOrExit, printDiagnostics } from './shared';

const USAGE = 'fanout mermaid FILE|-';

export const mermaidCommand: CliCommand = async (argv, io) => {
  const args = parseOrExit(argv, { flags: {}, positionals: { min: 1, max: 1, names: ['FILE'] } }, 'mermaid', USAGE, io);
  if (typeof args === 'number') return args;
  const loaded = await loadPlan(args.positionals[0], io);
  if (loaded.analysis) io.stdout(renderMermaid(loaded.analysis).text);
  if (!loaded.valid) {
    printDiagnostics(io, loaded, true);
    return 2;
  }
  return 0;
};

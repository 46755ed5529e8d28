// `fanout analyze FILE|- [--json]`: parse, validate and analyse; exit 0 when valid (warnings
// allowed), 2 when invalid or unreadable. --json always prints one well-formed object.

import type { CliCommand } from '../io';
import { loadPlanWithMcp, configErrorJson, MCP_CONFIG_FLAG } from '../mcp';
import { analyzeJson, renderReport } from '../../core/render/report';
import { PREDICT_MAKESPAN } from './engine';
import { parseOrExit } from './shared';

const USAGE = 'fanout analyze FILE|- [--json] [--mcp-config FILE]';

export const analyzeCommand: CliCommand = async (argv, io) => {
  const args = parseOrExit(argv, { flags: { json: 'boolean', [MCP_CONFIG_FLAG]: 'string' }, positionals: { min: 1, max: 1, names: ['FILE'] } }, 'analyze', USAGE, io);
  if (typeof args === 'number') return args;
  const withMcp = await loadPlanWithMcp(args.positionals[0], io, args.flags, PREDICT_MAKESPAN ? { predictMakespan: PREDICT_MAKESPAN } : {});
  if (!withMcp.ok) {
    io.stderr(`fanout analyze: ${withMcp.error}\n`);
    if (args.flags.json === true) io.stdout(configErrorJson(String(args.flags[MCP_CONFIG_FLAG]), withMcp.error));
    return 2;
  }
  await withMcp.session?.close();
  const { loaded } = withMcp;
  const format = loaded.parse?.format;
  const subject = { file: loaded.displayName, analysis: loaded.analysis, diagnostics: loaded.diagnostics, valid: loaded.valid, ...(format ? { format } : {}) };
  if (args.flags.json) io.stdout(JSON.stringify(analyzeJson(subject), null, 2) + '\n');
  else io.stdout(renderReport(subject, { color: io.isTTY, width: io.columns, simulated: PREDICT_MAKESPAN !== undefined }));
  return loaded.valid ? 0 : 2;
};

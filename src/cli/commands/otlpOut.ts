// `--otlp OUT` on `run` and `simulate`: the run as OpenTelemetry GenAI spans in OTLP/JSON
// (core/trace/export/otlp.ts), written next to its destination and renamed, like --trace.
import { promises as fs } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { RunRecord } from '../../core/engine/types';
import type { Plan } from '../../core/plan/types';
import type { CliIO } from '../io';

export async function writeOtlp(io: CliIO, file: string, record: RunRecord, plan: Plan, startEpochMs: number): Promise<string | null> {
  const path = resolve(io.cwd, file);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    // Loaded on demand: the OpenTelemetry SDK is only needed when a run is exported.
    const { runToOtlpJson } = await import('../../core/trace/export/otlp');
    await fs.writeFile(tmp, (await runToOtlpJson(record, plan, { startEpochMs })) + '\n', 'utf8');
    await fs.rename(tmp, path);
    return null;
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    return `could not write the OTLP trace to '${file}' (${err instanceof Error ? err.message : String(err)}).`;
  }
}

// Fanout runs as OpenTelemetry GenAI spans, so a run opens in Jaeger, Phoenix or any OTLP backend:
// one `invoke_agent {plan}` span for the run and one `execute_tool {tool}` span per tool that
// started (gen_ai.operation.name, gen_ai.tool.name, gen_ai.tool.call.id, .arguments, .result,
// error.type), each attempt and the moment the tool became ready as span events. The spans are
// made by the OpenTelemetry JS SDK (BasicTracerProvider, InMemorySpanExporter) and encoded by its
// OTLP/JSON serializer (@opentelemetry/otlp-transformer), so the file is exactly what an OTLP/HTTP
// JSON exporter sends; `fanout audit` reads it back (src/core/trace/readers/otlp.ts).
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { RunRecord } from '../../engine/types';
import type { Plan } from '../../plan/types';

export interface OtlpExportOptions {
  /** Wall-clock time (epoch ms) of the run's start: span times are this plus the record's offsets. */
  readonly startEpochMs: number;
  /** Fanout's version, as the instrumentation scope's version. */
  readonly version?: string;
}

/** The OTLP/JSON export request (ExportTraceServiceRequest) of one run, as text. */
export async function runToOtlpJson(record: RunRecord, plan: Plan, options: OtlpExportOptions): Promise<string> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'fanout', 'fanout.plan.name': plan.name }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('fanout', options.version);
  const at = (ms: number): number => options.startEpochMs + ms;
  const root = tracer.startSpan(`invoke_agent ${plan.name}`, {
    kind: SpanKind.INTERNAL, startTime: at(0),
    attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': plan.name, 'fanout.run.status': record.status },
  });
  const parent = trace.setSpan(context.active(), root);
  const byId = new Map(plan.tools.map((t) => [t.id, t]));
  for (const t of record.tools) {
    const spec = byId.get(t.id);
    const label = spec?.label ?? t.id;
    if (t.startedAt === null) continue; // never started (skipped): nothing ran, nothing to draw
    const span = tracer.startSpan(`execute_tool ${label}`, {
      kind: SpanKind.INTERNAL, startTime: at(t.startedAt),
      attributes: {
        'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': label, 'gen_ai.tool.call.id': t.id, 'gen_ai.tool.type': 'function',
        ...(spec ? { 'gen_ai.tool.call.arguments': JSON.stringify(spec.args), 'fanout.tool.kind': spec.kind } : {}),
        ...(spec && spec.dependsOn.length > 0 ? { 'fanout.tool.depends_on': [...spec.dependsOn] } : {}),
        ...(t.status === 'succeeded' && t.output !== undefined ? { 'gen_ai.tool.call.result': JSON.stringify(t.output) } : {}),
        'fanout.tool.status': t.status,
      },
    }, parent);
    if (t.queuedAt !== null) span.addEvent('fanout.queued', at(t.queuedAt));
    t.attempts.forEach((a, k) => {
      if (a.error !== null) span.addEvent('fanout.attempt_failed', { 'fanout.attempt': k + 1, 'exception.message': a.error }, at(a.endedAt));
    });
    if (t.status !== 'succeeded') {
      span.setAttribute('error.type', t.status === 'cancelled' ? 'cancelled' : t.status === 'timed-out' ? 'timeout' : 'tool_error');
      span.setStatus({ code: SpanStatusCode.ERROR, message: t.error ?? t.status });
    }
    span.end(at(t.endedAt ?? t.startedAt));
  }
  if (record.status !== 'succeeded') root.setStatus({ code: SpanStatusCode.ERROR, message: `run ${record.status}` });
  root.end(at(record.makespanMs));
  await provider.forceFlush();
  const bytes = JsonTraceSerializer.serializeRequest(exporter.getFinishedSpans());
  await provider.shutdown();
  if (!bytes) throw new Error('the OpenTelemetry serializer produced no output');
  return new TextDecoder().decode(bytes);
}

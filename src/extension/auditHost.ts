// The trace audit, bundled on its own (dist/auditHost.js) and loaded by src/extension/audit when a
// trace is first audited: the OTLP readers, the audit rules and the report stay out of
// dist/extension.js and out of activation.
export { auditTrace, toolRanges, type AuditResult } from '../core/trace/audit';
export { TraceError } from '../core/trace/model';
export { MAX_TRACE_BYTES } from '../core/trace/read';
export { renderAuditReport } from '../core/trace/report';

// Text → normalised trace: JSON (one document) or JSON lines (the collector's file exporter
// writes one export request per line), the format detected from the document's shape, and every
// way that can fail turned into a TraceError with the line and column and what to do.
import * as jsonc from 'jsonc-parser';
import { LineIndex } from '../plan/positions';
import { TraceError, type NormalisedTrace, type TraceFormat } from './model';
import { looksLikeFanoutRecord, readFanoutRecord } from './readers/fanoutRecord';
import { looksLikeLangfuse, readLangfuse } from './readers/langfuse';
import { looksLikeLangSmith, readLangSmith } from './readers/langsmith';
import { looksLikeOpenAIAgents, readOpenAIAgents } from './readers/openaiAgents';
import { looksLikeOtlp, otlpCollector, readOtlp } from './readers/otlp';
import { forEachOtlpSpan } from './otlpSlices';

/** Traces are bigger than plans: a 100k-span OTLP export is tens of MB. */
export const MAX_TRACE_BYTES = 512 * 1024 * 1024;

export function parseTraceDocuments(text: string): unknown[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new TraceError('The trace is empty. Give an exported trace: OTLP/JSON, OpenInference, LangSmith, Langfuse, OpenAI Agents or a Fanout run record.');
  try {
    return [JSON.parse(body)];
  } catch {
    // JSON lines? Only when the first line is a document of its own.
  }
  const lines = body.split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first >= 0 && lines.filter((l) => l.trim() !== '').length > 1) {
    let firstOk = false;
    try {
      JSON.parse(lines[first]);
      firstOk = true;
    } catch {
      firstOk = false;
    }
    if (firstOk) {
      const docs: unknown[] = [];
      for (let i = 0; i < lines.length; i++) {
        const l = lines[i];
        if (l.trim() === '') continue;
        try {
          docs.push(JSON.parse(l));
        } catch {
          throw positioned(l, i, 'JSON lines');
        }
      }
      return docs;
    }
  }
  throw positioned(body, 0, 'JSON');
}

/** The first JSON syntax error, with its position (jsonc-parser explains what it expected). */
function positioned(text: string, lineOffset: number, what: string): TraceError {
  const errors: jsonc.ParseError[] = [];
  jsonc.parse(text, errors, { allowTrailingComma: false, disallowComments: true });
  const e = errors[0];
  const at = new LineIndex(text).position(e ? e.offset : text.length);
  const why = e ? describe(jsonc.printParseErrorCode(e.error)) : 'it is not valid JSON';
  return new TraceError(`Not a readable trace: ${why} (${what}). Export the trace as JSON (OTLP/JSON, or the tool's JSON export) and check the file is complete.`, at.line + lineOffset, at.column);
}

function describe(code: string): string {
  switch (code) {
    case 'InvalidSymbol': return 'an unexpected character here';
    case 'PropertyNameExpected': return 'a property name in double quotes was expected here';
    case 'ValueExpected': return 'a value was expected here';
    case 'ColonExpected': return 'a colon was expected here';
    case 'CommaExpected': return 'a comma was expected here';
    case 'CloseBraceExpected': return 'a closing } was expected here (is the file cut off?)';
    case 'CloseBracketExpected': return 'a closing ] was expected here (is the file cut off?)';
    case 'EndOfFileExpected': return 'the document should end here';
    case 'InvalidCommentToken': case 'UnexpectedEndOfComment': return 'comments are not allowed in JSON';
    case 'UnexpectedEndOfString': return 'a string is not closed';
    case 'UnexpectedEndOfNumber': case 'InvalidNumberFormat': return 'a number is malformed';
    default: return `JSON error ${code}`;
  }
}

/**
 * An OTLP export request (or JSON lines of them) read span by span (otlpSlices.ts: the big win
 * on large traces); undefined when the text is anything else, to be read as a whole.
 */
function readOtlpBySpan(text: string): NormalisedTrace | undefined {
  const from = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  // Cheap gate: an object whose first key is resourceSpans (what the exporters write).
  if (!/^\s*\{\s*"resourceSpans"\s*:/.test(text.slice(from, from + 200))) return undefined;
  let c = otlpCollector();
  if (forEachOtlpSpan(text, (raw) => c.push(raw), from)) return c.finish();
  // JSON lines: one export request per line (the collector's file exporter).
  c = otlpCollector();
  let start = from;
  let lines = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (text.slice(start, end).trim() !== '') {
      if (!forEachOtlpSpan(text, (raw) => c.push(raw), start, end)) return undefined;
      lines++;
    }
    start = end + 1;
  }
  return lines > 1 ? c.finish() : undefined;
}

export function detectTraceFormat(docs: readonly unknown[]): TraceFormat | 'openinference?' | undefined {
  const d = docs[0];
  if (looksLikeOtlp(d)) return 'otlp';
  if (looksLikeOpenAIAgents(d)) return 'openai-agents';
  if (looksLikeLangSmith(d)) return 'langsmith';
  if (looksLikeLangfuse(d)) return 'langfuse';
  if (looksLikeFanoutRecord(d)) return 'fanout';
  return undefined;
}

export function readTrace(text: string): NormalisedTrace {
  const fast = readOtlpBySpan(text);
  if (fast) return fast;
  const docs = parseTraceDocuments(text);
  const format = detectTraceFormat(docs);
  switch (format) {
    case 'otlp': return readOtlp(docs);
    case 'openai-agents': return readOpenAIAgents(docs);
    case 'langsmith': return readLangSmith(docs);
    case 'langfuse': return readLangfuse(docs);
    case 'fanout': return readFanoutRecord(docs[0]);
    default: throw new TraceError(
      'Not a trace Fanout can read: expected OTLP/JSON ({ "resourceSpans": [...] } or a list of spans), OpenInference spans, a LangSmith run export (runs with run_type), a Langfuse export (observations), OpenAI Agents SDK spans (span_data) or a Fanout run record (fanout run --json).',
    );
  }
}

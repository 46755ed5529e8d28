// The public library entry (DESIGN §8; README "Use it in your agent"): `require('fanout')` and
// `import … from 'fanout'` resolve here. Everything exported is documented at its definition
// with an example; nothing else in src/core is public API.
export { runToolCalls } from './library/runToolCalls';
export type { RunToolCallsOptions, ResourceLimit, ToolCallHandler, ToolCallHandlers, ToolCallContext, ToolCallEvent } from './library/runToolCalls';
export type { BatchResult, CallResult, CallStatus, RecordOutcome } from './library/results';
export { runToolCallStream } from './library/runToolCallStream';
export type { RunToolCallStreamOptions, StreamBatchResult, StreamBatchInfo, StreamCallResult, ToolCallStreamEvent } from './library/runToolCallStream';
export type { LiveStreamFormat } from './library/liveStream';
export type { StreamPolicy } from './stream/policy';
export type { UnclosedCall } from './plan/types';
export { readRunFile, RUN_FILE_SUFFIX } from './library/runFile';
export type { RunFile, RunFileTool, RunFileError, ReadRunFileResult } from './library/runFile';
export { fromOpenAI, fromResponses, fromAnthropic, fromGemini } from './library/fromProviders';
export { importCalls, readCalls, ImportCallsError } from './plan/importers/calls';
export type { ToolCall, ReadCallsResult } from './plan/importers/calls';
export {
  toOpenAIToolMessages, toResponsesOutputs, toAnthropicToolResults, toGeminiFunctionResponses, resultText, truncate, DEFAULT_MAX_OUTPUT_CHARS,
} from './library/providerResults';
export type {
  OpenAIToolMessage, ResponsesOutput, AnthropicToolResultBlock, AnthropicTextBlock, AnthropicToolResultMessage, AnthropicResultOptions,
  GeminiFunctionResponsePart, ResultTextOptions,
} from './library/providerResults';
export type { JsonValue, JsonObject, PlanFormat, ToolAnnotations } from './plan/types';

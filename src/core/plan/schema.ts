// The one JSON Schema of the native plan format. The parser validates with it (schemaValidate.ts)
// and the build writes it to dist/toolplan.schema.json for VS Code's jsonValidation / YAML extension.

const positiveInt = { type: 'integer', minimum: 1 } as const;
const ms = (description: string) => ({ type: 'number', minimum: 0, description }) as const;
/**
 * The longest duration a plan may state: 2^31−1 ms (24.8 days), the longest one timer waits. A
 * real run of `durationMs: 1e15` would wait 31,000 years, and sums of such values leave the
 * finite numbers JSON can carry. README "Input limits".
 */
export const MAX_DURATION_MS = 2_147_483_647;
const duration = (description: string) =>
  ({ type: 'number', minimum: 0, maximum: MAX_DURATION_MS, description: `${description} At most ${MAX_DURATION_MS} ms (24.8 days).` }) as const;
const idPattern = '^[A-Za-z_][A-Za-z0-9_-]*$';

const argsFor = (kind: string, required: readonly string[], properties: Record<string, unknown>) => ({
  if: { properties: { kind: { const: kind } }, required: ['kind'] },
  then: {
    properties: { args: { type: 'object', required, properties, description: `A ${kind} tool needs args with ${required.map((r) => `'${r}'`).join(', ')}.` } },
    required: required.length ? ['args'] : [],
  },
});

const annotationsSchema = {
  type: 'object', additionalProperties: false,
  description: 'Safety facts about the call, as MCP tool annotations: they drive retry and write-conflict checks and serialWrites.',
  properties: {
    readOnlyHint: { type: 'boolean', description: 'The call changes nothing.' },
    destructiveHint: { type: 'boolean', description: 'The call may delete or overwrite (default true for calls that are not read-only).' },
    idempotentHint: { type: 'boolean', description: 'Repeating the call with the same input has no further effect.' },
    openWorldHint: { type: 'boolean', description: 'The call reaches outside systems (the web, other services).' },
  },
} as const;

export const toolPlanSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://fanout.dev/schema/toolplan.schema.json',
  title: 'Fanout tool plan',
  description: 'A batch of tool calls with dependencies, limits and failure handling, run in parallel by Fanout.',
  type: 'object',
  required: ['tools'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', description: 'A name for the plan, shown in reports and the plan view.' },
    description: { type: 'string' },
    maxConcurrency: { ...positiveInt, description: 'Global cap on tools running at once. Omitted = unbounded.' },
    limits: {
      type: 'object',
      description: 'Per-resource caps (rate limits, shared servers): resource name → max tools at once, or { max, adaptive: true, min? } for a limit that halves on a 429/503 and grows back by one per window of successes.',
      // Checked in native.ts (readLimits) with positioned messages: the validator here has no
      // oneOf; editors that read this schema get both shapes.
      additionalProperties: {
        oneOf: [
          positiveInt,
          {
            type: 'object', additionalProperties: false, required: ['max'],
            properties: {
              max: { ...positiveInt, description: 'At most this many tools of the resource at once; an adaptive limit starts here and never goes above it.' },
              adaptive: { type: 'boolean', description: 'AIMD: halve on a 429/503 from an http tool, grow back by one per window of successes.' },
              min: { ...positiveInt, description: 'An adaptive limit never goes below this (default 1).' },
            },
          },
        ],
      },
    },
    failurePolicy: {
      enum: ['skip-dependents', 'fail-fast'],
      description: 'skip-dependents (default): independent branches keep running; fail-fast: the first failure cancels the run.',
    },
    defaults: {
      type: 'object', additionalProperties: false, description: 'Defaults applied to every tool that does not set its own.',
      properties: {
        timeoutMs: { type: 'number', exclusiveMinimum: 0, description: 'Per-attempt timeout in ms.' },
        retries: { type: 'integer', minimum: 0, maximum: 100, description: 'Extra attempts after a failure.' },
        retryDelayMs: ms('Base delay before a retry; doubles each attempt, with jitter.'),
      },
    },
    dedupe: { type: 'boolean', description: 'Run identical calls (same kind and args) once and share the result.' },
    mcpServers: {
      type: 'object', description: "MCP servers the plan's mcp tools call, by name (the shape of VS Code's mcp.json servers).",
      additionalProperties: {
        type: 'object',
        properties: {
          type: { enum: ['stdio', 'http', 'streamable-http', 'streamableHttp'] },
          command: { type: 'string', minLength: 1, description: 'Program to start (stdio transport).' },
          args: { type: 'array', items: { type: 'string' } },
          env: { type: 'object', description: 'Environment variables for the server process; values may use ${env:NAME}.' },
          cwd: { type: 'string' },
          url: { type: 'string', minLength: 1, description: 'Streamable HTTP endpoint.' },
          headers: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
    },
    serialWrites: {
      type: 'boolean',
      description: 'Read-only calls run concurrently; calls that may write (not readOnlyHint) run one at a time per MCP server or function module.',
    },
    tools: {
      type: 'array', description: 'The tool calls.',
      items: {
        type: 'object',
        required: ['id', 'kind'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', pattern: idPattern, description: 'Unique id: a letter or _, then letters, digits, _ or -.' },
          kind: {
            enum: ['simulate', 'shell', 'http', 'cpu', 'vscode.command', 'vscode.lm', 'mcp', 'function'],
            description: 'simulate | shell | http | cpu | vscode.command | vscode.lm | mcp | function',
          },
          label: { type: 'string', description: 'Display name (defaults to the id).' },
          description: { type: 'string' },
          args: { type: 'object', description: 'Arguments for the runner. Strings may contain ${id.output.path} references.' },
          dependsOn: { type: 'array', items: { type: 'string', pattern: idPattern }, description: 'Ids of tools that must finish first.' },
          resource: { type: 'string', description: 'The resource this tool uses; `limits` caps tools per resource.' },
          timeoutMs: { type: 'number', exclusiveMinimum: 0, description: 'Per-attempt timeout in ms.' },
          retries: { type: 'integer', minimum: 0, maximum: 100, description: 'Extra attempts after a failure.' },
          retryDelayMs: ms('Base delay before a retry; doubles each attempt, with jitter.'),
          writes: { type: 'array', items: { type: 'string' }, description: 'Resources this tool writes (files, tables): used to find races.' },
          estimateMs: duration('Expected duration when the tool has no durationMs; feeds priority and simulation.'),
          annotations: annotationsSchema,
        },
        allOf: [
          argsFor('simulate', ['durationMs'], {
            durationMs: duration('How long the simulated call takes.'),
            failTimes: { type: 'integer', minimum: 0, description: 'Fail the first N attempts (retry demos).' },
            error: { type: 'string', description: 'Always fail with this message.' },
          }),
          argsFor('cpu', ['durationMs'], { durationMs: ms('Milliseconds of real CPU work, on a worker thread.') }),
          argsFor('shell', ['command'], {
            command: { type: 'string', minLength: 1 }, cwd: { type: 'string' },
            env: { type: 'object', additionalProperties: { type: 'string' } },
            inheritEnv: {
              type: 'array', items: { type: 'string', pattern: '^(\\*|[A-Za-z_][A-Za-z0-9_]*\\*?)$' },
              description: 'Host environment variables passed on besides PATH, HOME, LANG… (names, AWS_* prefixes, or * for all).',
            },
          }),
          argsFor('http', ['url'], {
            url: { type: 'string', minLength: 1 }, method: { type: 'string' },
            headers: { type: 'object', additionalProperties: { type: 'string' } },
          }),
          argsFor('vscode.command', ['command'], { command: { type: 'string', minLength: 1 }, args: { type: 'array' } }),
          argsFor('vscode.lm', ['tool'], { tool: { type: 'string', minLength: 1 }, input: { type: 'object' } }),
          argsFor('mcp', ['server', 'tool'], {
            server: { type: 'string', minLength: 1, description: 'A name from mcpServers (or --mcp-config).' },
            tool: { type: 'string', minLength: 1, description: "The server's tool name." },
            input: { type: 'object', description: "The tool's arguments, checked against its inputSchema." },
          }),
          argsFor('function', ['module'], {
            module: { type: 'string', minLength: 1, description: 'A JavaScript module (ESM or CommonJS), relative to the plan file.' },
            export: { type: 'string', minLength: 1, description: 'The exported function (default: the default export).' },
            input: { description: "The function's first argument." },
          }),
        ],
      },
    },
  },
} as const;

export type ToolPlanSchema = typeof toolPlanSchema;

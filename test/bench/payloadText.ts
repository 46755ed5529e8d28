// Generated provider payloads of N calls for the import bench: the shapes of the recorded fixtures
// in test/fixtures/payloads (same fields, same chunking), scaled up. Deterministic.

const args = (k: number): string => JSON.stringify({ city: `City ${k}`, units: k % 2 ? 'metric' : 'imperial', days: (k % 7) + 1 });

/** An OpenAI Chat Completions SSE stream: per call an opening chunk, two argument pieces; pairs of calls interleaved by index. */
export function openaiStreamText(n: number): string {
  const out: string[] = [];
  const chunk = (tool_calls: unknown[], finish: string | null = null): string =>
    `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1718787638, model: 'gpt-4-turbo-2024-04-09', choices: [{ index: 0, delta: { tool_calls }, logprobs: null, finish_reason: finish }] })}\n\n`;
  for (let k = 0; k < n; k += 2) {
    const pair = [k, k + 1].filter((i) => i < n);
    for (const i of pair) out.push(chunk([{ index: i, id: `call_${i}`, type: 'function', function: { name: `get_weather_${i % 50}`, arguments: '' } }]));
    for (const i of pair) { const a = args(i); out.push(chunk([{ index: i, function: { arguments: a.slice(0, 12) } }])); }
    for (const i of pair) { const a = args(i); out.push(chunk([{ index: i, function: { arguments: a.slice(12) } }])); }
  }
  out.push(`data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] })}\n\n`, 'data: [DONE]\n');
  return out.join('');
}

export function responsesStreamText(n: number): string {
  const out: unknown[] = [{ type: 'response.created', response: { id: 'resp_bench', object: 'response', status: 'in_progress', model: 'gpt-5.1', output: [] } }];
  for (let i = 0; i < n; i++) {
    const a = args(i);
    const item = { id: `fc_${i}`, type: 'function_call', status: 'in_progress', arguments: '', call_id: `call_${i}`, name: `get_weather_${i % 50}` };
    out.push({ type: 'response.output_item.added', item, output_index: i });
    out.push({ type: 'response.function_call_arguments.delta', delta: a.slice(0, 12), item_id: `fc_${i}`, output_index: i });
    out.push({ type: 'response.function_call_arguments.delta', delta: a.slice(12), item_id: `fc_${i}`, output_index: i });
    out.push({ type: 'response.function_call_arguments.done', arguments: a, item_id: `fc_${i}`, output_index: i });
  }
  out.push({ type: 'response.completed', response: { id: 'resp_bench', object: 'response', status: 'completed' } });
  return out.map((o) => JSON.stringify(o)).join('\n') + '\n';
}

export function anthropicStreamText(n: number): string {
  const out: unknown[] = [{ type: 'message_start', message: { id: 'msg_bench', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [] } }];
  for (let i = 0; i < n; i++) {
    const a = args(i);
    out.push({ type: 'content_block_start', index: i, content_block: { type: 'tool_use', id: `toolu_${i}`, name: `get_weather_${i % 50}`, input: {} } });
    out.push({ type: 'content_block_delta', index: i, delta: { type: 'input_json_delta', partial_json: a.slice(0, 12) } });
    out.push({ type: 'content_block_delta', index: i, delta: { type: 'input_json_delta', partial_json: a.slice(12) } });
    out.push({ type: 'content_block_stop', index: i });
  }
  out.push({ type: 'message_delta', delta: { stop_reason: 'tool_use' } }, { type: 'message_stop' });
  return out.map((o) => `event: ${(o as { type: string }).type}\ndata: ${JSON.stringify(o)}\n\n`).join('');
}

/** Whole (non-streamed) payloads of every tree and text format (and two Python prints), N calls each. */
export function wholePayloads(n: number): Record<string, string> {
  const ids = Array.from({ length: n }, (_, i) => i);
  const name = (i: number): string => `get_weather_${i % 50}`;
  return {
    openai: JSON.stringify({ object: 'chat.completion', model: 'gpt-4o', choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: null, tool_calls: ids.map((i) => ({ id: `call_${i}`, type: 'function', function: { name: name(i), arguments: args(i) } })) } }] }),
    'openai-responses': JSON.stringify({ object: 'response', model: 'gpt-5.1', output: ids.map((i) => ({ type: 'function_call', id: `fc_${i}`, call_id: `call_${i}`, name: name(i), arguments: args(i) })) }),
    anthropic: JSON.stringify({ type: 'message', role: 'assistant', stop_reason: 'tool_use', content: ids.map((i) => ({ type: 'tool_use', id: `toolu_${i}`, name: name(i), input: JSON.parse(args(i)) as unknown })) }),
    gemini: JSON.stringify({ candidates: [{ content: { role: 'model', parts: ids.map((i) => ({ functionCall: { name: name(i), args: JSON.parse(args(i)) as unknown } })) }, finishReason: 'STOP' }] }),
    llmcompiler: ids.map((i) => `${i + 1}. ${name(i)}(city="City ${i}", days=${(i % 7) + 1})`).join('\n') + `\n${n + 1}. join()\n`,
    bedrock: JSON.stringify({ output: { message: { role: 'assistant', content: ids.map((i) => ({ toolUse: { toolUseId: `tooluse_${i}`, name: name(i), input: JSON.parse(args(i)) as unknown } })) } }, stopReason: 'tool_use' }),
    'vercel-ai': JSON.stringify({ finishReason: 'tool-calls', toolCalls: ids.map((i) => ({ type: 'tool-call', toolCallId: `call_${i}`, toolName: name(i), input: JSON.parse(args(i)) as unknown })) }),
    langchain: JSON.stringify({ type: 'ai', content: '', tool_calls: ids.map((i) => ({ name: name(i), args: JSON.parse(args(i)) as unknown, id: `call_${i}`, type: 'tool_call' })) }),
    mcp: ids.map((i) => JSON.stringify({ jsonrpc: '2.0', id: i + 2, method: 'tools/call', params: { name: name(i), arguments: JSON.parse(args(i)) as unknown } })).join('\n') + '\n',
    ollama: JSON.stringify({ model: 'llama3.2', created_at: '2024-07-22T20:33:28.123648Z', done: true, message: { role: 'assistant', content: '', tool_calls: ids.map((i) => ({ function: { name: name(i), arguments: JSON.parse(args(i)) as unknown } })) } }),
    cohere: JSON.stringify({ message: { role: 'assistant', tool_plan: 'I will look up the weather.', tool_calls: ids.map((i) => ({ id: `${name(i)}_${i}`, type: 'function', function: { name: name(i), arguments: args(i) } })) }, finish_reason: 'TOOL_CALL' }),
    'openai (Python print)': `ChatCompletionMessage(content=None, role='assistant', function_call=None, tool_calls=[${ids.map((i) => `ChatCompletionMessageToolCall(id='call_${i}', function=Function(arguments='${args(i)}', name='${name(i)}'), type='function')`).join(', ')}])`,
    'gemini (Python print)': `parts=[${ids.map((i) => `Part(function_call=FunctionCall(args={'city': 'City ${i}', 'units': '${i % 2 ? 'metric' : 'imperial'}', 'days': ${(i % 7) + 1}}, id=None, name='${name(i)}'), text=None)`).join(', ')}] role='model'`,
  };
}

/** A Bedrock ConverseStream as the SDKs' event objects, one per line: per call a start, two input pieces, a stop. */
export function bedrockStreamText(n: number): string {
  const out: unknown[] = [{ messageStart: { role: 'assistant' } }];
  for (let i = 0; i < n; i++) {
    const a = args(i);
    out.push({ contentBlockStart: { start: { toolUse: { toolUseId: `tooluse_${i}`, name: `get_weather_${i % 50}` } }, contentBlockIndex: i } });
    out.push({ contentBlockDelta: { delta: { toolUse: { input: a.slice(0, 12) } }, contentBlockIndex: i } });
    out.push({ contentBlockDelta: { delta: { toolUse: { input: a.slice(12) } }, contentBlockIndex: i } });
    out.push({ contentBlockStop: { contentBlockIndex: i } });
  }
  out.push({ messageStop: { stopReason: 'tool_use' } });
  return out.map((o) => JSON.stringify(o)).join('\n') + '\n';
}

/** A Gemini streamGenerateContent `?alt=sse` stream: whole functionCall parts, ten per chunk. */
export function geminiStreamText(n: number): string {
  const out: string[] = [];
  for (let k = 0; k < n; k += 10) {
    const parts = Array.from({ length: Math.min(10, n - k) }, (_, j) => ({ functionCall: { name: `get_weather_${(k + j) % 50}`, args: JSON.parse(args(k + j)) as unknown } }));
    out.push(`data: ${JSON.stringify({ candidates: [{ content: { parts, role: 'model' }, index: 0 }], modelVersion: 'gemini-2.5-flash' })}\n\n`);
  }
  out.push(`data: ${JSON.stringify({ candidates: [{ content: { parts: [{ text: '' }], role: 'model' }, finishReason: 'STOP', index: 0 }] })}\n\n`);
  return out.join('');
}

// An Anthropic Messages agent loop that runs each turn's tool_use blocks with Fanout.
//   ANTHROPIC_API_KEY=… node examples/anthropic-agent.mjs "Weather in San Francisco and New York?"
// ANTHROPIC_BASE_URL points the client elsewhere (the tests use a local replay server).
import Anthropic from '@anthropic-ai/sdk';
import { fromAnthropic, runToolCalls, toAnthropicToolResults } from 'fanout';
import { handlers, logEvent, schemas } from './tools.mjs';

const client = new Anthropic();
const model = process.env.ANTHROPIC_MODEL ?? 'claude-sonnet-4-5';
const tools = Object.entries(schemas).map(([name, input_schema]) => ({ name, input_schema }));
const messages = [{ role: 'user', content: process.argv[2] ?? 'Weather in San Francisco and New York, and the time in San Francisco?' }];

for (let turn = 1; turn <= 5; turn++) {
  const message = await client.messages.create({ model, max_tokens: 1024, messages, tools });
  if (message.stop_reason !== 'tool_use') {
    console.log(message.content.filter((b) => b.type === 'text').map((b) => b.text).join('\n'));
    break;
  }
  const calls = fromAnthropic(message);
  process.stderr.write(`turn ${turn}: ${calls.length} tool calls\n`);
  const batch = await runToolCalls(calls, handlers, { maxConcurrency: 4, timeoutMs: 10_000, onEvent: logEvent });
  // The assistant turn as it came, then every tool_result in one user message, in call order.
  messages.push({ role: 'assistant', content: message.content }, toAnthropicToolResults(batch));
}

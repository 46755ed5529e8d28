// An OpenAI Chat Completions agent loop that runs each turn's tool calls with Fanout.
//   OPENAI_API_KEY=… node examples/openai-agent.mjs "Weather in Paris and Bogotá?"
// OPENAI_BASE_URL points the client elsewhere (the tests use a local replay server).
// Set FANOUT_RECORD=turn.fanoutrun.json to keep each turn's run record (`fanout show` prints it).
import OpenAI from 'openai';
import { fromOpenAI, runToolCalls, toOpenAIToolMessages } from 'fanout';
import { handlers, logEvent, schemas } from './tools.mjs';

const client = new OpenAI();
const model = process.env.OPENAI_MODEL ?? 'gpt-4o';
const tools = Object.entries(schemas).map(([name, parameters]) => ({ type: 'function', function: { name, parameters } }));
const messages = [{ role: 'user', content: process.argv[2] ?? 'Weather in Paris and Bogotá, and the time in Paris?' }];

for (let turn = 1; turn <= 5; turn++) {
  const completion = await client.chat.completions.create({ model, messages, tools, parallel_tool_calls: true });
  const message = completion.choices[0].message;
  if (!message.tool_calls?.length) {
    console.log(message.content);
    break;
  }
  process.stderr.write(`turn ${turn}: ${message.tool_calls.length} tool calls\n`);
  const batch = await runToolCalls(fromOpenAI(completion), handlers, {
    maxConcurrency: 4, timeoutMs: 10_000, retries: 1, onEvent: logEvent,
    ...(process.env.FANOUT_RECORD ? { recordFile: process.env.FANOUT_RECORD, name: `turn ${turn}` } : {}),
  });
  // One tool message per call, failures included, each paired with its tool_call_id.
  messages.push(message, ...toOpenAIToolMessages(batch));
  // The record is written just after the results: the next request does not wait for it.
  batch.recorded?.then((r) => r.ok || process.stderr.write(`${r.error}\n`));
}

// The text of `runToolCalls({ recordFile })`'s record, byte for byte what
// `JSON.stringify({ fanoutRun, name, recordedAt, ...record, tools: record.tools.map((t, i) =>
// ({ ...t, label, callId, args })) }, null, 2) + '\n'` gives (test/unit/library/recordText.test.ts checks
// it), in two parts so the first can be done while the calls run (docs/library.md "What a record
// costs"): the head (version, name, start time) and each call's own fields (label, call id,
// arguments) are known before any call ends; only the engine's record is left for the end, and
// it is written without the spread copies of the record and of every tool.
import type { RunRecord } from '../engine/types';
import type { ToolCall } from '../plan/importers/calls';
import { RUN_FILE_VERSION } from './runFile';

/** What is known of the record before the batch ends. */
export interface RecordPrelude {
  /** `{` and the fields before the engine's, indented as in the file. */
  readonly head: string;
  /** Per call: `,` and its `label`, `callId` and `args` fields, indented as inside a tool entry. */
  readonly callFields: readonly string[];
}

export function recordPrelude(name: string, recordedAt: string, calls: readonly ToolCall[]): RecordPrelude {
  // Stringified as an object and unwrapped, so key order, `undefined` arguments (the key is left
  // out) and toJSON behave exactly as in the whole-record stringify.
  const head = JSON.stringify({ fanoutRun: RUN_FILE_VERSION, name, recordedAt }, null, 2).slice(0, -2);
  const callFields = calls.map((c) => `,${JSON.stringify({ label: c.name, callId: c.id, args: c.args }, null, 2).slice(1, -2).replace(NEWLINE, '\n    ')}`);
  return { head, callFields };
}

const NEWLINE = /\n/g;

/** The whole file's text: the prelude, then the engine's record with each tool's call fields. */
export function recordText(prelude: RecordPrelude, record: RunRecord): string {
  let out = prelude.head;
  for (const key of Object.keys(record) as (keyof RunRecord)[]) {
    const value = record[key];
    if (key === 'tools') {
      out += `,\n  "tools": ${toolsText(record.tools, prelude.callFields)}`;
      continue;
    }
    const json = JSON.stringify(value, null, 2) as string | undefined;
    if (json === undefined) continue; // as JSON.stringify leaves out an undefined field
    out += `,\n  ${JSON.stringify(key)}: ${json.replace(NEWLINE, '\n  ')}`;
  }
  return `${out}\n}\n`;
}

function toolsText(tools: RunRecord['tools'], callFields: readonly string[]): string {
  if (tools.length === 0) return '[]';
  const entries = tools.map((t, i) => {
    const json = JSON.stringify(t, null, 2).replace(NEWLINE, '\n    ');
    // `…\n    }`: the call's fields go before the closing brace (a tool record is never empty).
    return `${json.slice(0, -6)}${callFields[i] ?? ''}\n    }`;
  });
  return `[\n    ${entries.join(',\n    ')}\n  ]`;
}

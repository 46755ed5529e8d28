// Data-flow evidence from captured content: a value of an earlier tool result that appears in a
// later call's arguments is an edge (the later call needed the earlier one). From those edges,
// each call's earliest turn: the first turn of its lane at which every value its arguments use
// was available — in a tool result of a call that (itself moved as early as it can go) had
// finished, or in the model's input (the user's words). Values found nowhere (the model wrote
// them) need nothing. Short values (under 3 characters, one- or two-digit numbers) are no evidence
// either way: "en" or 10 appear everywhere.
//
// Cost: results are indexed by word; each argument value is looked up by its rarest word and
// confirmed with a substring test, so a 100k-span trace does not compare every pair.
import type { JsonValue } from '../plan/types';
import { canonical, type Rebuilt } from './turns';

export interface FlowFacts {
  /** Per tool: the tools its arguments took values from (data-flow predecessors), incl. retries of failures. */
  readonly preds: readonly (readonly number[])[];
  /** Per tool: the earliest lane step it could have been emitted at (its actual step when unknown). */
  readonly earliestStep: Int32Array;
  /** Per tool: its actual lane step (-1 when it belongs to no turn). */
  readonly actualStep: Int32Array;
  /** Per tool: a retry of the earlier failed call with the same name and arguments (or -1). */
  readonly retryOf: Int32Array;
}

const WORD = /[\p{L}\p{N}_@]{3,}/gu;
const ASCII_WORD = /[A-Za-z0-9_@]{3,}/g;
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

/** The words of a text (WORD), by the cheaper ASCII pattern when the text is ASCII (the same words then). */
export function wordsOf(text: string): string[] {
  return text.match(NON_ASCII.test(text) ? WORD : ASCII_WORD) ?? [];
}

/** Adds `i` to the list of each word of `text`; texts are indexed in increasing `i`, so a repeat is the list's last entry. */
function indexWords(index: Map<string, number[]>, text: string, i: number): void {
  for (const w of wordsOf(text)) {
    const list = index.get(w);
    if (!list) index.set(w, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  }
}

export function atomsOf(v: JsonValue | undefined, out: string[] = [], depth = 0): string[] {
  if (v === undefined || v === null || depth > 12) return out;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t.length >= 3) out.push(t);
  } else if (typeof v === 'number') {
    if (Number.isFinite(v) && String(v).replace(/[-.]/g, '').length >= 3) out.push(String(v));
  } else if (Array.isArray(v)) {
    for (const x of v) atomsOf(x as JsonValue, out, depth + 1);
  } else if (typeof v === 'object') {
    for (const x of Object.values(v)) atomsOf(x, out, depth + 1);
  }
  return out;
}

function textOf(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function dataFlow(r: Rebuilt): FlowFacts {
  const n = r.tools.length;
  const preds: number[][] = Array.from({ length: n }, () => []);
  const actualStep = new Int32Array(n).fill(-1);
  const earliestStep = new Int32Array(n).fill(-1);
  const retryOf = new Int32Array(n).fill(-1);
  for (const t of r.tools) if (t.turn >= 0) actualStep[t.index] = r.turns[t.turn].step;

  // Retries: the same call (name + arguments) after a failure of it, in the same lane.
  const failedBySig = new Map<string, number>();
  const order = r.tools.map((t) => t.index).sort((a, b) => r.tools[a].startedAt - r.tools[b].startedAt || a - b);
  for (const i of order) {
    const t = r.tools[i];
    if (t.arguments === undefined) continue;
    const sig = `${t.turn >= 0 ? r.turns[t.turn].lane : ''}\u0000${t.name}\u0000${t.argsKey ?? canonical(t.arguments)}`;
    const prev = failedBySig.get(sig);
    if (prev !== undefined && r.tools[prev].endedAt <= t.startedAt + 5) {
      retryOf[i] = prev;
      preds[i].push(prev);
    }
    if (t.status !== 'succeeded') failedBySig.set(sig, i);
    else failedBySig.delete(sig);
  }

  if (!r.contentCaptured) {
    for (let i = 0; i < n; i++) earliestStep[i] = actualStep[i];
    return { preds, earliestStep, actualStep, retryOf };
  }

  // Index of result words → producing tools, and each result's text.
  const resultText: string[] = r.tools.map((t) => textOf(t.result).toLowerCase());
  const byWord = new Map<string, number[]>();
  for (let i = 0; i < n; i++) if (resultText[i].length >= 3) indexWords(byWord, resultText[i], i);
  // Turn inputs (the model's prompt: the user's words, tool results fed back), indexed by word on
  // first use: word → the turns whose input has it, in order.
  let inputIndex: Map<string, number[]> | undefined;
  const inputText: string[] = [];
  const inputWords = (): Map<string, number[]> => {
    if (inputIndex) return inputIndex;
    inputIndex = new Map();
    for (const turn of r.turns) {
      const text = textOf(turn.span?.input).toLowerCase();
      inputText[turn.index] = text;
      indexWords(inputIndex, text, turn.index);
    }
    return inputIndex;
  };
  const hasInputs = r.turns.some((t) => t.span?.input !== undefined);

  for (const i of order) {
    const t = r.tools[i];
    if (t.turn < 0) continue;
    const turn = r.turns[t.turn];
    const step = turn.step;
    let earliest = 0;
    for (const p of preds[i]) earliest = Math.max(earliest, earliestStep[p] >= 0 ? earliestStep[p] + 1 : step);
    const atoms = atomsOf(t.arguments);
    for (const atom of atoms) {
      if (earliest >= step) break;
      const lower = atom.toLowerCase();
      // The rarest word of the value picks the candidate producers.
      const words = wordsOf(lower);
      let best: number[] | undefined;
      for (const w of words) {
        const list = byWord.get(w);
        if (!list) {
          best = [];
          break;
        }
        if (!best || list.length < best.length) best = list;
      }
      let availableAt = Infinity;
      for (const p of best ?? []) {
        const pt = r.tools[p];
        if (p === i || pt.turn < 0 || r.turns[pt.turn].lane !== turn.lane || actualStep[p] >= step) continue;
        if (!resultText[p].includes(lower)) continue;
        if (!preds[i].includes(p)) preds[i].push(p);
        availableAt = Math.min(availableAt, earliestStep[p] + 1);
      }
      if (availableAt === Infinity && hasInputs && words.length > 0) {
        // Not from a tool: from the model's input (the user's words) at the first turn that had it.
        const index = inputWords();
        let cands: number[] | undefined;
        for (const w of words) {
          const list = index.get(w);
          if (!list) {
            cands = [];
            break;
          }
          if (!cands || list.length < cands.length) cands = list;
        }
        for (const k of cands ?? []) {
          const kt = r.turns[k];
          if (kt.lane !== turn.lane) continue;
          if (kt.step >= step) break;
          if (inputText[k].includes(lower)) {
            availableAt = kt.step;
            break;
          }
        }
      }
      // Found nowhere: the model wrote it, so it needs nothing.
      earliest = Math.max(earliest, availableAt === Infinity ? 0 : availableAt);
    }
    earliestStep[i] = Math.min(step, earliest);
  }
  return { preds, earliestStep, actualStep, retryOf };
}

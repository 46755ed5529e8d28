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

/**
 * Word → the texts that have it, in increasing order: a number while it is one text (most words
 * of a large trace's results are: ids, items), a list from the second. A list per word was 100k
 * small arrays for the garbage collector to copy.
 */
type WordIndex = Map<string, number | number[]>;

/** Adds `i` to the entry of each word of `text`; texts are indexed in increasing `i`, so a repeat is the entry's last. */
function indexWords(index: WordIndex, text: string, i: number): void {
  for (const w of wordsOf(text)) {
    const e = index.get(w);
    if (e === undefined) index.set(w, i);
    else if (typeof e === 'number') {
      if (e !== i) index.set(w, [e, i]);
    } else if (e[e.length - 1] !== i) e.push(i);
  }
}

const NONE: readonly number[] = [];

/** The entry of the rarest word of `words` (NONE when one of them is in no text, or there are none). */
function rarest(index: WordIndex, words: readonly string[]): number | readonly number[] {
  let best: number | readonly number[] | undefined;
  let size = Infinity;
  for (const w of words) {
    const e = index.get(w);
    if (e === undefined) return NONE; // a word in no text: no text has the value
    const n = typeof e === 'number' ? 1 : e.length;
    if (n < size) {
      best = e;
      size = n;
    }
  }
  return best ?? NONE;
}

/**
 * Retries' signatures, lane → tool name → canonical arguments → the last failed call: nested maps
 * rather than one joined string per call.
 */
class FailedCalls {
  private readonly byLane = new Map<string, Map<string, Map<string, number>>>();
  private slot(lane: string, name: string): Map<string, number> {
    let byName = this.byLane.get(lane);
    if (!byName) this.byLane.set(lane, (byName = new Map()));
    let byArgs = byName.get(name);
    if (!byArgs) byName.set(name, (byArgs = new Map()));
    return byArgs;
  }
  get(lane: string, name: string, args: string): number | undefined {
    return this.byLane.get(lane)?.get(name)?.get(args);
  }
  set(lane: string, name: string, args: string, i: number): void {
    this.slot(lane, name).set(args, i);
  }
  delete(lane: string, name: string, args: string): void {
    this.byLane.get(lane)?.get(name)?.delete(args);
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
  const failed = new FailedCalls();
  const order = r.tools.map((t) => t.index).sort((a, b) => r.tools[a].startedAt - r.tools[b].startedAt || a - b);
  for (const i of order) {
    const t = r.tools[i];
    if (t.arguments === undefined) continue;
    const lane = t.turn >= 0 ? r.turns[t.turn].lane : '';
    const args = t.argsKey ?? canonical(t.arguments);
    const prev = failed.get(lane, t.name, args);
    if (prev !== undefined && r.tools[prev].endedAt <= t.startedAt + 5) {
      retryOf[i] = prev;
      preds[i].push(prev);
    }
    if (t.status !== 'succeeded') failed.set(lane, t.name, args, i);
    else failed.delete(lane, t.name, args);
  }

  if (!r.contentCaptured) {
    for (let i = 0; i < n; i++) earliestStep[i] = actualStep[i];
    return { preds, earliestStep, actualStep, retryOf };
  }

  // Index of result words → producing tools, and each result's text.
  const resultText: string[] = r.tools.map((t) => textOf(t.result).toLowerCase());
  const byWord: WordIndex = new Map();
  for (let i = 0; i < n; i++) if (resultText[i].length >= 3) indexWords(byWord, resultText[i], i);
  // Turn inputs (the model's prompt: the user's words, tool results fed back), indexed by word on
  // first use: word → the turns whose input has it, in order.
  let inputIndex: WordIndex | undefined;
  const inputText: string[] = [];
  const inputWords = (): WordIndex => {
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
      const best = rarest(byWord, words);
      const one = typeof best === 'number';
      const count = one ? 1 : best.length;
      let availableAt = Infinity;
      for (let c = 0; c < count; c++) {
        const p = one ? best : best[c];
        const pt = r.tools[p];
        if (p === i || pt.turn < 0 || r.turns[pt.turn].lane !== turn.lane || actualStep[p] >= step) continue;
        if (!resultText[p].includes(lower)) continue;
        if (!preds[i].includes(p)) preds[i].push(p);
        availableAt = Math.min(availableAt, earliestStep[p] + 1);
      }
      if (availableAt === Infinity && hasInputs && words.length > 0) {
        // Not from a tool: from the model's input (the user's words) at the first turn that had it.
        const cands = rarest(inputWords(), words);
        for (const k of typeof cands === 'number' ? [cands] : cands) {
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

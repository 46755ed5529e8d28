// What the race says when it ends (pure: unit-tested without a DOM). The virtual clock knows
// durations, dependencies, caps and CPU contention, not rate limits or lost writes, so a lane
// whose plan has problems is never called the faster one: the verdict names its problems instead.
// A `wait-for-end` lane's flag is not such a problem: the clock charges for waiting, so it is
// timed like any lane and the verdict says what the waiting did.
// Lanes are named by their labels, never "first"/"second" or "left"/"right": the view stacks them
// in a narrow column and puts them side by side in a wide one.
import { formatMs, formatSpeedup } from '../../core/render/format';
import type { RaceLane } from '../../protocol/lessons';

/** The short name of a lane: its label up to " — " (the file name and cap follow it). */
export function laneName(l: RaceLane): string {
  const i = l.label.indexOf(' — ');
  return i > 0 ? l.label.slice(0, i) : l.label;
}

// The one duration formatter of the CLI, the host and the plan view (1500 ms → "1.5 s").
const ms = formatMs;
// A `wait-for-end` lane's problem is its own policy (src/extension/lessons/race.ts), a cost this
// clock does charge: the verdict says what the lane does, never "also has wait-for-end". The
// details (when the calls had closed) are in the problem's message, shown under the lane.
const POLICY_CODE = 'wait-for-end';
const codes = (l: RaceLane) => l.problems.filter((p) => p.code !== POLICY_CODE).map((p) => p.code).join(', ');
const hasCodes = (l: RaceLane) => l.problems.some((p) => p.code !== POLICY_CODE);
const policySentence = (l: RaceLane) => (!l.problems.some((p) => p.code === POLICY_CODE) ? ''
  : l.stream ? ` ${laneName(l)} starts no call before the stream ends at ${ms(l.stream.endMs)}.`
    : ` ${laneName(l)} starts no call before the stream ends.`);

export function raceVerdict(lanes: readonly [RaceLane, RaceLane]): string {
  const [a, b] = lanes;
  // A tie is what the reader would see as one: the same figure once formatted.
  if (ms(a.makespanMs) === ms(b.makespanMs)) {
    const tail = lanes.map((l) => (hasCodes(l) ? ` ${laneName(l)} has ${codes(l)}.` : '') + policySentence(l)).join('');
    return `Both end at ${ms(a.makespanMs)}.${tail}`;
  }
  const [fast, slow] = a.makespanMs < b.makespanMs ? [a, b] : [b, a];
  const times = `${ms(fast.makespanMs)} vs ${ms(slow.makespanMs)}`;
  if (hasCodes(fast)) {
    return `${laneName(fast)} ends first on the virtual clock (${times}), but its plan has ${codes(fast)}: a cost this clock does not show.`
      + (hasCodes(slow) ? ` ${laneName(slow)} has ${codes(slow)} too.` : ` ${laneName(slow)} has no such problem.`)
      + policySentence(fast) + policySentence(slow);
  }
  const ratio = fast.makespanMs > 0 ? slow.makespanMs / fast.makespanMs : Infinity;
  const faster = Number.isFinite(ratio) ? `${formatSpeedup(ratio)} faster than` : 'faster than';
  return `${laneName(fast)} is ${faster} ${laneName(slow)}: ${times}.`
    + (hasCodes(slow) ? ` ${laneName(slow)} also has ${codes(slow)}.` : '')
    + policySentence(fast) + policySentence(slow);
}

// The one scheduler (DESIGN §4). A synchronous state machine: it owns the ready set, slot
// accounting (the global cap and per-resource limits) and priority. The async executor (on the
// real or the virtual clock) and the synchronous makespan prediction both drive it, which is why a
// simulated run and a real run of the same plan dispatch in the same order.
//
// Cost: every event is O(log n) (binary heaps), with no scans over all tools.
import type { Plan } from '../plan/types';
import type { DagView } from '../graph';
import { IntHeap } from './heap';
import { ProcessorSharing } from './processorSharing';

export const enum ToolState {
  Pending = 0,
  Ready = 1,
  Running = 2,
  Done = 3,
}

/** What the scheduler needs to know about a plan, as flat arrays indexed by tool (plan order). */
export interface SchedulerSpec {
  readonly preds: readonly (readonly number[])[];
  readonly succs: readonly (readonly number[])[];
  /** Dispatch order among ready tools: lower first. Ties go to the lower index. */
  readonly rank: ArrayLike<number>;
  /** Global cap on tools running at once (Infinity = unbounded). */
  readonly maxConcurrency: number;
  /** Capped resource group per tool, or -1 when the tool's resource has no limit. */
  readonly group: Int32Array;
  /** Cap per group. */
  readonly groupCaps: readonly number[];
}

/** Slot caps of a plan: the effective global cap and one group per limited resource. */
export interface Caps {
  readonly maxConcurrency: number;
  readonly group: Int32Array;
  readonly groupCaps: readonly number[];
  readonly groupNames: readonly string[];
}

/** A cap from plan text or a flag: a positive integer, else unbounded. */
export function normalizeCap(value: number | undefined): number {
  if (value === undefined || !Number.isFinite(value) || value < 1) return Infinity;
  return Math.floor(value);
}

export function planCaps(plan: Plan, maxConcurrency?: number): Caps {
  const cap = normalizeCap(maxConcurrency ?? plan.maxConcurrency);
  const group = new Int32Array(plan.tools.length).fill(-1);
  const groupOf = new Map<string, number>();
  const groupCaps: number[] = [];
  const groupNames: string[] = [];
  if (hasNoKeys(plan.limits)) return { maxConcurrency: cap, group, groupCaps, groupNames }; // nothing can be limited
  for (const t of plan.tools) {
    if (t.resource === undefined) continue;
    const limit = Object.prototype.hasOwnProperty.call(plan.limits, t.resource) ? plan.limits[t.resource] : undefined;
    const c = normalizeCap(limit);
    if (c === Infinity || c >= cap) continue; // a limit at or above the global cap never binds
    let g = groupOf.get(t.resource);
    if (g === undefined) {
      g = groupCaps.length;
      groupOf.set(t.resource, g);
      groupCaps.push(c);
      groupNames.push(t.resource);
    }
    group[t.index] = g;
  }
  return { maxConcurrency: cap, group, groupCaps, groupNames };
}

/** An object without own keys: no resource can have a limit. */
function hasNoKeys(o: object | null | undefined): boolean {
  return typeof o === 'object' && o !== null && Object.getOwnPropertyNames(o).length === 0;
}

export function schedulerSpec(graph: DagView, caps: Caps, rank: ArrayLike<number>): SchedulerSpec {
  return { preds: graph.preds, succs: graph.succs, rank, maxConcurrency: caps.maxConcurrency, group: caps.group, groupCaps: caps.groupCaps };
}

/**
 * Ready set and slots. Tools become ready when their last dependency completes successfully;
 * `next()` hands out the best-ranked ready tool that fits the global cap and its resource's
 * limit, skipping over ready tools whose resource is full (they never block others).
 *
 * Resource handling: each limited resource keeps its own ready heap; a shared "candidates" heap
 * holds every ready tool without a limited resource plus the top of each resource heap that has a
 * free slot. Stale candidates (no longer a top, resource full, already dispatched) are dropped
 * lazily when they surface, so every operation is O(log n) amortized.
 */
export class Scheduler {
  readonly size: number;
  private readonly state: Uint8Array;
  private readonly waiting: Int32Array;
  private readonly holding: Uint8Array;
  private readonly candidates: IntHeap;
  private readonly groupHeaps: IntHeap[];
  private groupRunning: Int32Array;
  /**
   * The scheduler's own copies of the groups: a group can be added during a run (a resource that
   * got rate-limited, an adaptive limit) and a cap can change (adaptive limits), while the spec
   * stays the plan's caps (the record's lower bound reads them).
   */
  private readonly group: Int32Array;
  private readonly groupCaps: number[];
  /** Groups paused by a rate limit: none of their tools starts until resumed. */
  private paused: Uint8Array;
  private runningCount = 0;
  private doneCount = 0;
  private readonly fresh: number[] = [];
  /** Tools that must pass a gate (approval) once ready before they can be dispatched. */
  private readonly gated: Uint8Array | undefined;
  private readonly gateFresh: number[] = [];

  /**
   * `trackReady: false` skips the list behind takeNewlyReady() (the synchronous simulation never reads it).
   * `held`: tools that have not arrived yet (a growing plan): each waits for `arrive(i)` as for one more dependency.
   * `gated`: tools that, once ready, wait at a gate (approval) without holding a slot: they are
   * listed by takeAtGate() and dispatched only after openGate(i); remove(i) takes them out.
   */
  constructor(private readonly spec: SchedulerSpec, private readonly trackReady = true, held?: ArrayLike<boolean>, gated?: ArrayLike<boolean>) {
    const n = spec.preds.length;
    this.size = n;
    if (gated) {
      this.gated = new Uint8Array(n);
      for (let i = 0; i < n; i++) if (gated[i]) this.gated[i] = 1;
    }
    this.state = new Uint8Array(n);
    this.waiting = new Int32Array(n);
    this.holding = new Uint8Array(n);
    this.candidates = new IntHeap(spec.rank, Math.min(n, 1024));
    this.groupHeaps = spec.groupCaps.map(() => new IntHeap(spec.rank));
    this.groupRunning = new Int32Array(spec.groupCaps.length);
    this.group = spec.group.slice();
    this.groupCaps = spec.groupCaps.slice();
    this.paused = new Uint8Array(spec.groupCaps.length);
    for (let i = 0; i < n; i++) {
      this.waiting[i] = spec.preds[i].length + (held?.[i] ? 1 : 0);
      if (this.waiting[i] === 0) this.makeReady(i);
    }
  }

  /** Tools holding a slot now. */
  get running(): number {
    return this.runningCount;
  }

  /** Tools in a final state (completed or removed). */
  get done(): number {
    return this.doneCount;
  }

  get finished(): boolean {
    return this.doneCount === this.size;
  }

  stateOf(i: number): ToolState {
    return this.state[i] as ToolState;
  }

  /** Tools that became ready since the last call, in the order they became ready. */
  takeNewlyReady(): number[] {
    return this.fresh.length === 0 ? [] : this.fresh.splice(0, this.fresh.length);
  }

  /** Whether takeNewlyReady() has anything to give. */
  get anyNewlyReady(): boolean {
    return this.fresh.length > 0;
  }

  /** Gated tools that became ready since the last call (they wait at their gate), in order. */
  takeAtGate(): number[] {
    return this.gateFresh.length === 0 ? [] : this.gateFresh.splice(0, this.gateFresh.length);
  }

  get anyAtGate(): boolean {
    return this.gateFresh.length > 0;
  }

  /**
   * Whether next() or takeAtGate() may have anything to give: false when no tool is ready (every
   * tool is running, done or waiting on a dependency), so a pump would only find nothing.
   */
  get mayDispatch(): boolean {
    return this.candidates.size > 0 || this.gateFresh.length > 0;
  }

  /** Lets a gated tool through: from now on it is dispatched like any ready tool. */
  openGate(i: number): void {
    if (!this.gated?.[i]) return;
    this.gated[i] = 0;
    if (this.state[i] === ToolState.Ready) this.enqueue(i);
  }

  /** The best dispatchable tool (it now holds its slots), or -1 when none fits. */
  next(): number {
    if (this.runningCount >= this.spec.maxConcurrency) return -1;
    const { group, groupCaps } = this;
    for (;;) {
      const t = this.candidates.pop();
      if (t < 0) return -1;
      if (this.state[t] !== ToolState.Ready) continue;
      const g = group[t];
      if (g >= 0) {
        const gh = this.groupHeaps[g];
        if (gh.peek() !== t || this.groupRunning[g] >= groupCaps[g] || this.paused[g]) continue;
        gh.pop();
        this.groupRunning[g]++;
        if (gh.size > 0 && this.groupRunning[g] < groupCaps[g]) this.candidates.push(gh.peek());
      }
      this.state[t] = ToolState.Running;
      this.holding[t] = 1;
      this.runningCount++;
      return t;
    }
  }

  /**
   * A held tool arrived: it is ready once its dependencies are done (at once if they are).
   * `announce: false` keeps it out of takeNewlyReady() (a tool back from a rate-limit wait was
   * queued before).
   */
  arrive(i: number, announce = true): void {
    if (this.state[i] === ToolState.Pending && --this.waiting[i] === 0) this.makeReady(i, announce);
  }

  /**
   * A running tool gives its slots back and waits again, held until `arrive(i)` (a call waiting
   * out a Retry-After: the slot goes to other calls meanwhile). Its dependencies are done.
   */
  hold(i: number): void {
    if (this.state[i] !== ToolState.Running) throw new Error(`scheduler: tool #${i} held while not running`);
    this.release(i);
    this.state[i] = ToolState.Pending;
    this.waiting[i] = 1;
  }

  /** The capped group of a tool, or -1. */
  groupOf(i: number): number {
    return this.group[i];
  }

  /**
   * Adds a group for tools that had none (a resource without a limit, now rate-limited or
   * adaptive). Tools already holding a slot count against it. Returns the group.
   */
  addGroup(members: readonly number[], cap: number): number {
    const g = this.groupCaps.length;
    const gh = new IntHeap(this.spec.rank);
    this.groupHeaps.push(gh);
    this.groupCaps.push(cap);
    const running = new Int32Array(g + 1);
    running.set(this.groupRunning);
    this.groupRunning = running;
    const paused = new Uint8Array(g + 1);
    paused.set(this.paused);
    this.paused = paused;
    for (const t of members) {
      if (this.group[t] >= 0) throw new Error(`scheduler: tool #${t} already has a group`);
      this.group[t] = g;
      if (this.holding[t]) this.groupRunning[g]++;
      // A ready member is in the candidates heap already; from now on only the group's top counts
      // there (next() drops the others when they surface), so the group heap gets every one.
      if (this.state[t] === ToolState.Ready) gh.push(t);
    }
    if (gh.size > 0) this.candidates.push(gh.peek());
    return g;
  }

  /** A tool holding a slot whose group is now over its cap or paused (it would not be started now). */
  overLimit(i: number): boolean {
    const g = this.group[i];
    return g >= 0 && (this.paused[g] === 1 || this.groupRunning[g] > this.groupCaps[g]);
  }

  groupCap(g: number): number {
    return this.groupCaps[g];
  }

  /** Changes a group's cap (adaptive limits); tools already running keep their slots. */
  setGroupCap(g: number, cap: number): void {
    this.groupCaps[g] = cap;
    this.offerTop(g);
  }

  /** Rate-limited: no tool of the group starts until resumeGroup (running ones go on). */
  pauseGroup(g: number): void {
    this.paused[g] = 1;
  }

  resumeGroup(g: number): void {
    if (!this.paused[g]) return;
    this.paused[g] = 0;
    this.offerTop(g);
  }

  /** Puts the group's best ready tool among the candidates if the group has room. */
  private offerTop(g: number): void {
    const gh = this.groupHeaps[g];
    if (gh.size > 0 && this.groupRunning[g] < this.groupCaps[g] && !this.paused[g]) this.candidates.push(gh.peek());
  }

  /** Frees the slots of a running tool before it completes (a deduplicated call waiting for its twin). */
  release(i: number): void {
    if (!this.holding[i]) return;
    this.holding[i] = 0;
    this.runningCount--;
    const g = this.group[i];
    if (g >= 0) {
      const wasFull = this.groupRunning[g] >= this.groupCaps[g];
      this.groupRunning[g]--;
      const gh = this.groupHeaps[g];
      if (wasFull && gh.size > 0 && !this.paused[g]) this.candidates.push(gh.peek());
    }
  }

  /**
   * A running tool finished. On success its dependents may become ready; on failure they stay
   * pending (the caller decides: `removeDependents` or `removeAll`).
   */
  complete(i: number, succeeded: boolean): void {
    if (this.state[i] !== ToolState.Running) throw new Error(`scheduler: tool #${i} completed while not running`);
    this.release(i);
    this.state[i] = ToolState.Done;
    this.doneCount++;
    if (!succeeded) return;
    for (const s of this.spec.succs[i]) {
      if (--this.waiting[s] === 0 && this.state[s] === ToolState.Pending) this.makeReady(s);
    }
  }

  /**
   * Marks every not-yet-final transitive dependent of `i` final (it can never run). `visit` gets
   * each one with the dependency through which it was reached, dependencies first.
   */
  removeDependents(i: number, visit: (tool: number, via: number) => void): void {
    const stack = [i];
    while (stack.length > 0) {
      const v = stack.pop() as number;
      for (const s of this.spec.succs[v]) {
        if (this.state[s] !== ToolState.Pending) continue;
        this.state[s] = ToolState.Done;
        this.doneCount++;
        visit(s, v);
        stack.push(s);
      }
    }
  }

  /** Marks one pending or ready tool final without running it (cancellation, fail-fast). */
  remove(i: number): boolean {
    const s = this.state[i];
    if (s !== ToolState.Pending && s !== ToolState.Ready) return false;
    this.state[i] = ToolState.Done;
    this.doneCount++;
    return true;
  }

  private makeReady(i: number, announce = true): void {
    this.state[i] = ToolState.Ready;
    if (this.trackReady && announce) this.fresh.push(i);
    if (this.gated?.[i]) {
      this.gateFresh.push(i);
      return;
    }
    this.enqueue(i);
  }

  /** Puts a ready tool where next() can find it. */
  private enqueue(i: number): void {
    const g = this.group[i];
    if (g < 0) {
      this.candidates.push(i);
      return;
    }
    const gh = this.groupHeaps[g];
    gh.push(i);
    if (gh.peek() === i && this.groupRunning[g] < this.groupCaps[g] && !this.paused[g]) this.candidates.push(i);
  }
}

export interface ScheduleResult {
  readonly makespan: number;
  readonly start: Float64Array;
  readonly end: Float64Array;
}

/**
 * CPU contention for simulateSchedule: the tools marked `isCpu` share `cores` cores by processor
 * sharing (processorSharing.ts), exactly as simulate() charges them on the virtual clock.
 */
export interface CpuContention {
  readonly cores: number;
  readonly isCpu: ArrayLike<number | boolean>;
}

/**
 * Runs the scheduler on an idealized time line: every tool takes exactly its duration and
 * succeeds. All completions at one instant are processed before new tools are dispatched, exactly
 * as the executor does on the virtual clock (via Clock.defer). With `cpu`, the cpu tools' durations
 * are work on one core and stretch while more of them run than there are cores.
 */
export function simulateSchedule(spec: SchedulerSpec, durations: ArrayLike<number>, keepTimes = false, cpu?: CpuContention): ScheduleResult {
  const n = spec.preds.length;
  const sched = new Scheduler(spec, false);
  const endAt = new Float64Array(n);
  const start = keepTimes ? new Float64Array(n) : new Float64Array(0);
  const events = new IntHeap(endAt, Math.min(n, 1024));
  const share = cpu ? new ProcessorSharing<number>(cpu.cores) : undefined;
  let now = 0;
  const dispatch = (): void => {
    for (let t = sched.next(); t >= 0; t = sched.next()) {
      const d = durations[t];
      if (keepTimes) start[t] = now;
      if (share && cpu?.isCpu[t] && d > 0) {
        share.add(t, d, now);
        continue;
      }
      endAt[t] = now + (d > 0 ? d : 0);
      events.push(t);
    }
  };
  dispatch();
  while (events.size > 0 || (share && share.size > 0)) {
    const cpuAt = share ? share.nextFinishAt : Infinity;
    now = Math.min(events.size > 0 ? endAt[events.peek()] : Infinity, cpuAt);
    while (events.size > 0 && endAt[events.peek()] === now) sched.complete(events.pop(), true);
    if (share && cpuAt === now) {
      for (const t of share.takeDone(now)) {
        endAt[t] = now;
        sched.complete(t, true);
      }
    }
    dispatch();
  }
  if (!sched.finished) throw new Error('scheduler: the plan has a dependency cycle');
  return { makespan: now, start, end: keepTimes ? endAt : new Float64Array(0) };
}

// What a run does about its resources while it runs (README "Rate limits", "Adaptive limits"):
// - a resource that answered 429/503 with Retry-After is paused that long (no call of it starts;
//   the ones running go on);
// - an adaptive limit is AIMD, as TCP's congestion window (RFC 5681 §3.1): halved on a 429/503
//   (once per congestion event: a rejection of an attempt that started before the last cut is
//   the same event), and one more slot after as many successes as the limit has slots (one
//   "window" of successes), between `min` and the stated limit.
// The scheduler holds the slots and the groups; this keeps the timers and decides.
import type { Plan } from '../plan/types';
import type { Clock, RunEvent } from './types';
import type { Scheduler } from './scheduler';

interface Pause {
  readonly until: number;
  readonly timer: AbortController;
}

/** An adaptive limit as it stands. */
interface Aimd {
  readonly resource: string;
  readonly min: number;
  readonly max: number;
  limit: number;
  /** When the limit was last cut: rejections of attempts started before it are the same event. */
  cutAt: number;
  successes: number;
}

/** ExecuteOptions.adaptiveLimits: resources whose plan limit adapts, with their floor. */
export type AdaptiveLimits = Readonly<Record<string, { readonly min?: number }>>;

export class ResourceControl {
  private readonly pauses = new Map<number, Pause>();
  private readonly aimd = new Map<number, Aimd>();

  constructor(
    private readonly plan: Plan,
    private readonly sched: Scheduler,
    private readonly clock: Clock,
    /** Called when a paused or grown resource may start calls again (the run dispatches). */
    private readonly onResume: () => void,
    private readonly emit: (e: RunEvent) => void,
    /** The run's clock origin, for event times. */
    private readonly t0: () => number,
    adaptive?: AdaptiveLimits,
  ) {
    if (!adaptive) return;
    for (const [resource, spec] of Object.entries(adaptive)) {
      const max = Object.prototype.hasOwnProperty.call(plan.limits, resource) ? plan.limits[resource] : undefined;
      if (max === undefined || !Number.isFinite(max) || max < 1) continue; // nothing to adapt from
      const first = plan.tools.find((t) => t.resource === resource);
      if (!first) continue;
      const g = this.groupOf(first.index);
      const cap = Math.floor(max);
      sched.setGroupCap(g, cap);
      const min = Math.min(cap, Math.max(1, Math.floor(spec.min ?? 1)));
      this.aimd.set(g, { resource, min, max: cap, limit: cap, cutAt: -Infinity, successes: 0 });
    }
  }

  /** Some resource adapts: the run reports successes and rate limits here. */
  get adapts(): boolean {
    return this.aimd.size > 0;
  }

  /** A 429/503 on an attempt of tool `i` that started at `startedAt` (clock time). */
  limited(i: number, startedAt: number): void {
    const g = this.sched.groupOf(i);
    const a = g >= 0 ? this.aimd.get(g) : undefined;
    if (!a || startedAt <= a.cutAt) return;
    a.cutAt = this.clock.now();
    a.successes = 0;
    this.setLimit(g, a, Math.max(a.min, Math.floor(a.limit / 2)), 'rate-limited');
  }

  /** An attempt of tool `i` succeeded. */
  succeeded(i: number): void {
    const g = this.sched.groupOf(i);
    const a = g >= 0 ? this.aimd.get(g) : undefined;
    if (!a || a.limit >= a.max || ++a.successes < a.limit) return;
    a.successes = 0;
    this.setLimit(g, a, a.limit + 1, 'successes');
    this.onResume();
  }

  private setLimit(g: number, a: Aimd, limit: number, why: 'rate-limited' | 'successes'): void {
    if (limit === a.limit) return;
    const previous = a.limit;
    a.limit = limit;
    this.sched.setGroupCap(g, limit);
    this.emit({ type: 'limit-changed', at: this.clock.now() - this.t0(), resource: a.resource, limit, previous, why });
  }

  /**
   * The capped group of tool `i`'s resource, made (uncapped) if the resource had none; -1 for a
   * tool without a resource.
   */
  groupOf(i: number): number {
    const g = this.sched.groupOf(i);
    if (g >= 0) return g;
    const resource = this.plan.tools[i]?.resource;
    if (resource === undefined) return -1;
    const members: number[] = [];
    for (const t of this.plan.tools) if (t.resource === resource) members.push(t.index);
    return this.sched.addGroup(members, Infinity);
  }

  /** No call of tool `i`'s resource starts for `ms` (a longer pause already running is kept). */
  pause(i: number, ms: number): void {
    const g = this.groupOf(i);
    if (g < 0 || !(ms > 0)) return;
    const until = this.clock.now() + ms;
    const current = this.pauses.get(g);
    if (current && current.until >= until) return;
    current?.timer.abort();
    this.sched.pauseGroup(g);
    const timer = new AbortController();
    this.pauses.set(g, { until, timer });
    this.clock.sleep(ms, timer.signal).then(
      () => {
        if (this.pauses.get(g)?.timer !== timer) return;
        this.pauses.delete(g);
        this.sched.resumeGroup(g);
        this.onResume();
      },
      () => undefined, // replaced by a longer pause, or the run ended
    );
  }

  /** The run ended: no timer may keep the process alive. */
  stop(): void {
    for (const p of this.pauses.values()) p.timer.abort();
    this.pauses.clear();
  }
}

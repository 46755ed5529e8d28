// What a run does about its resources while it runs (README "Rate limits"): a resource that
// answered 429/503 with Retry-After is paused that long (no call of it starts; the ones running go
// on). The scheduler holds the slots and the groups; this keeps the timers and decides.
import type { Plan } from '../plan/types';
import type { Clock } from './types';
import type { Scheduler } from './scheduler';

interface Pause {
  readonly until: number;
  readonly timer: AbortController;
}

export class ResourceControl {
  private readonly pauses = new Map<number, Pause>();

  constructor(
    private readonly plan: Plan,
    private readonly sched: Scheduler,
    private readonly clock: Clock,
    /** Called when a paused resource may start calls again (the run dispatches). */
    private readonly onResume: () => void,
  ) {}

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

// The plan view: receives HostToView messages, keeps one RunModel, and redraws at most once per
// animation frame however many batches arrive in between.
import type { HostToView, ViewAnalysis, ViewAudit, ViewSection, ViewToHost } from '../../protocol/planView';
import { auditCaption, AuditHeaderView, AuditSummaryView, turnLanesOf, type AuditSchedule } from './audit';
import { DiagnosticsView } from './diagnostics';
import { el, replaceChildren } from './dom';
import { GraphView, themeKindOf, type ThemeKind } from './graph';
import { HeaderView } from './header';
import { HistoryView } from './history';
import { RunModel } from './runModel';
import { SummaryView } from './summary';
import { TimelineView, type RowInfo } from './timeline';
import type { VsCodeApi } from './vscodeApi';

/** While a real run is live, spans of running tools grow between batches at this pace. */
const LIVE_TICK_MS = 200;
/** A timeline whose top is at least this far above the bottom of the view shows its first rows. */
const REVEAL_MARGIN_PX = 120;

export class PlanViewApp {
  private analysis: ViewAnalysis | null = null;
  private readonly model = new RunModel();
  private readonly header: HeaderView;
  private readonly summary = new SummaryView();
  private readonly graph: GraphView;
  private readonly timeline: TimelineView;
  private readonly diagnostics: DiagnosticsView;
  private readonly history: HistoryView;
  /** An audited trace (message 'audit'): the view shows it instead of a plan. */
  private audit: ViewAudit | null = null;
  private auditShown: AuditSchedule = 'actual';
  private auditHeader: AuditHeaderView | null = null;
  private auditSummary: AuditSummaryView | null = null;
  private theme: ThemeKind;
  private frame = 0;
  private frameTimer = 0;
  private dirtyChrome = true;
  /** performance.now() minus run time at the last batch: extrapolates "now" during a real run. */
  private clockAnchor: number | null = null;
  private lastTick = 0;
  private firstRowMarked = false;
  /** A 'reveal' that came before the first analysis: the page has no layout to scroll yet. */
  private pendingReveal: { readonly section: ViewSection; readonly focus: boolean } | null = null;
  /** Shown in the painted frame until the first analysis arrives (never a blank panel). */
  private readonly loading = el('p', { class: 'fo-loading fo-app-loading', role: 'status' }, 'Analysing the plan…');

  constructor(private readonly root: HTMLElement, private readonly api: VsCodeApi) {
    this.theme = themeKindOf(document.body);
    const post = (m: ViewToHost): void => api.postMessage(m);
    this.header = new HeaderView({
      run: () => post({ type: 'run', mode: 'run' }),
      simulate: () => post({ type: 'run', mode: 'simulate' }),
      cancel: () => post({ type: 'cancel' }),
      exportTrace: () => post({ type: 'export-trace' }),
    });
    this.graph = new GraphView({
      onReveal: (t) => post({ type: 'reveal', line: t.line, column: t.column ?? 1 }),
      onError: (message) => post({ type: 'error', message }),
      statusOf: (id) => {
        const i = this.model.indexOf(id);
        return i === undefined ? 'pending' : this.model.tools[i].status;
      },
    });
    this.timeline = new TimelineView({
      onReveal: (r) => post({ type: 'reveal', line: r.line, column: r.column }),
      onSelect: (id) => this.graph.setSelected(id),
    });
    this.diagnostics = new DiagnosticsView({
      learn: (lesson, code) => post({ type: 'open-lesson', lesson, code }),
      reveal: (line, column) => post({ type: 'reveal', line, column }),
    });
    this.history = new HistoryView((runId) => post({ type: 'open-run', runId }));
    replaceChildren(root,
      this.header.element,
      el('main', { class: 'fo-main' },
        this.loading,
        this.summary.element,
        this.graph.element,
        this.timeline.element,
        el('div', { class: 'fo-columns' }, this.diagnostics.element, this.history.element)));
    root.setAttribute('aria-busy', 'true');
  }

  start(): void {
    window.addEventListener('message', (ev: MessageEvent) => this.guard(() => this.receive(ev.data as HostToView)));
    // VS Code swaps the body class on theme change. The graph takes its colours from CSS variables,
    // so it follows without a redraw; the theme is tracked for the renderer's interface only.
    new MutationObserver(() => this.guard(() => {
      const theme = themeKindOf(document.body);
      if (theme === this.theme) return;
      this.theme = theme;
      if (this.analysis) void this.graph.render(this.analysis, theme).then(() => this.recolourGraph());
    })).observe(document.body, { attributes: true, attributeFilter: ['class'] });
    this.api.postMessage({ type: 'ready' });
    performance.mark('fo-ready-posted');
  }

  /** For tests: resolves when the graph has finished rendering. */
  get graphSettled(): Promise<void> {
    return this.graph.settled;
  }

  private receive(msg: HostToView): void {
    if (!msg || typeof msg !== 'object' || typeof (msg as { type?: unknown }).type !== 'string') return;
    if (performance.getEntriesByName(`fo-${msg.type}`).length === 0) performance.mark(`fo-${msg.type}`);
    switch (msg.type) {
      case 'analysis':
        this.setAnalysis(msg.analysis);
        break;
      case 'run-started':
        this.model.start(msg.runId, msg.mode, msg.tools, msg.slots);
        this.clockAnchor = performance.now();
        this.history.setCurrent(msg.runId);
        this.dirtyChrome = true;
        this.schedule();
        break;
      case 'reveal':
        if (this.analysis === null && this.audit === null) this.pendingReveal = { section: msg.section, focus: msg.focus };
        else this.revealAfterDraw(msg.section, msg.focus);
        break;
      case 'run-events':
        if (msg.runId !== this.model.runId) return;
        this.model.apply(msg.events);
        this.clockAnchor = Math.max(this.clockAnchor ?? 0, performance.now() - this.model.now);
        this.dirtyChrome = true;
        this.schedule();
        break;
      case 'run-ended': {
        if (this.model.runId !== null && msg.runId !== this.model.runId) return;
        this.model.finishWith(msg.runId, this.model.mode, msg.record, this.model.runId === msg.runId ? undefined : null);
        this.clockAnchor = null;
        this.dirtyChrome = true;
        this.schedule();
        break;
      }
      case 'show-record':
        this.model.finishWith(msg.runId, msg.mode, msg.record, null);
        this.history.setCurrent(msg.runId);
        this.clockAnchor = null;
        this.dirtyChrome = true;
        this.schedule();
        break;
      case 'history':
        this.history.setRuns(msg.runs);
        break;
      case 'audit':
        this.setAudit(msg.audit);
        break;
    }
  }

  /**
   * An audited trace: the plan's header, graph and history give way to the trace's header (with the
   * as-it-ran / scheduled-by-Fanout toggle) and summary; the timeline draws the model lanes and the
   * tool calls of the schedule shown, on one axis (the actual length) so the saving is visible.
   */
  private setAudit(a: ViewAudit): void {
    const first = this.audit === null && this.analysis === null;
    this.audit = a;
    this.api.setState({ uri: a.uri });
    document.title = `Fanout: audit of ${a.fileLabel}`;
    if (!this.auditHeader || !this.auditSummary) {
      this.auditHeader = new AuditHeaderView((s) => this.guard(() => this.showAudit(s)), () => this.api.postMessage({ type: 'open-audit-report' }));
      this.auditSummary = new AuditSummaryView();
      this.header.element.replaceWith(this.auditHeader.element);
      this.summary.element.replaceWith(this.auditSummary.element);
      this.graph.element.hidden = true;
      this.history.element.hidden = true;
    }
    this.timeline.setInfos(a.tools.map((t) => ({ id: t.id, label: t.label, line: t.line, column: t.column })));
    this.timeline.setStream(null);
    this.diagnostics.update(a);
    this.auditSummary.update(a);
    this.showAudit(this.auditShown);
    this.root.setAttribute('aria-busy', 'false');
    if (first) {
      this.loading.remove();
      this.root.classList.add('fo-ready');
    }
  }

  private showAudit(shown: AuditSchedule): void {
    const a = this.audit;
    if (!a) return;
    this.auditShown = shown;
    this.auditHeader?.update(a, shown);
    this.timeline.setTurnLanes(turnLanesOf(a, shown), auditCaption(a, shown));
    this.model.finishWith(`audit-${shown}`, 'run', a[shown].record, null);
    this.dirtyChrome = true;
    this.schedule();
  }

  /** Reveals after the next frame's draw (registered later, runs later): the positions are final then. */
  private revealAfterDraw(section: ViewSection, focus: boolean): void {
    this.schedule();
    requestAnimationFrame(() => this.guard(() => this.reveal(section, focus)));
  }

  /**
   * Brings a section up under the sticky header (HostToView 'reveal'). The summary comes first, so
   * in a side column (≈276 px at 900×700) Show Graph opened on the summary with the graph below the
   * fold, and a newcomer pressing Run saw only "Run in progress…". A section already showing its
   * top (for the graph: in the upper half) is left where the reader put it. With `focus` the graph
   * also takes keyboard focus (zoom and pan keys). Smooth unless the reader asked for reduced motion.
   */
  private reveal(section: ViewSection, focus: boolean): void {
    const target = section === 'graph' ? this.graph.element : section === 'timeline' ? this.timeline.element : this.diagnostics.element;
    if (target.hidden) return;
    const header = this.audit ? this.auditHeader?.element ?? this.header.element : this.header.element;
    const top = target.getBoundingClientRect().top;
    const headerBottom = header.getBoundingClientRect().bottom;
    // The graph needs room to be read, a timeline's first rows show in the last 120 px.
    const margin = section === 'graph' ? Math.max(REVEAL_MARGIN_PX, window.innerHeight / 2) : REVEAL_MARGIN_PX;
    if (top < headerBottom || top > window.innerHeight - margin) {
      const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
      window.scrollBy({ top: top - headerBottom - 8, behavior: reduced ? 'auto' : 'smooth' });
    }
    if (section === 'graph' && focus) this.graph.focus();
  }

  private setAnalysis(a: ViewAnalysis): void {
    const first = this.analysis === null;
    this.analysis = a;
    this.api.setState({ uri: a.uri });
    document.title = `Fanout: ${a.planName || a.fileLabel}`;
    const infos: RowInfo[] = a.tools.map((t) => ({ id: t.id, label: t.label === t.id ? t.id : `${t.label} (${t.id})`, line: t.line, column: t.column ?? 1, ...(t.args !== undefined ? { args: t.args } : {}) }));
    this.timeline.setInfos(infos);
    this.timeline.setStream(a.stream ?? null, a.tools.map((t) => t.durationMs));
    // Before any run, the timeline lists the plan's tools as pending (and follows edits).
    if (this.model.phase === 'idle') this.model.reset(a.tools.map((t) => t.id));
    else this.model.allDirty = true;
    this.diagnostics.update(a);
    this.dirtyChrome = true;
    this.schedule();
    this.root.setAttribute('aria-busy', 'false');
    void this.graph.render(a, this.theme).then(() => this.recolourGraph());
    if (first) {
      this.loading.remove();
      this.root.classList.add('fo-ready');
    }
    if (this.pendingReveal !== null) {
      this.revealAfterDraw(this.pendingReveal.section, this.pendingReveal.focus);
      this.pendingReveal = null;
    }
  }

  private recolourGraph(): void {
    for (const t of this.model.tools) this.graph.setStatus(t.id, t.status);
  }

  /** One redraw per frame; the timer covers pages where requestAnimationFrame is paused. */
  private schedule(): void {
    if (this.frame !== 0) return;
    const run = (): void => this.guard(() => this.draw());
    this.frame = requestAnimationFrame(run);
    this.frameTimer = window.setTimeout(run, 100);
  }

  private draw(): void {
    cancelAnimationFrame(this.frame);
    clearTimeout(this.frameTimer);
    this.frame = 0;
    const dirty = this.model.takeDirty();
    const now = this.liveNow();
    // An audit keeps the actual length as the axis for both schedules: the shorter one ends early.
    // A streamed plan's prediction is its stream simulated under fanout.streamPolicy (the summary's
    // Stream line): estimate.parallelMs ignores when the calls close, and wait-for-end or a cap
    // ends later than that, so the bars would reach the axis end and rescale it mid-run.
    const a = this.analysis;
    const predicted = this.audit ? this.audit.actualMs : a?.stream?.predicted?.makespanMs ?? a?.estimate.parallelMs ?? 0;
    this.timeline.update(this.model, now, dirty, predicted);
    if (!this.firstRowMarked && this.model.tools.length > 0) {
      // When the first timeline rows are in the DOM, and the frame after: the firstRun scenario's breakdown.
      this.firstRowMarked = true;
      performance.mark('fo-first-row');
      requestAnimationFrame(() => performance.mark('fo-first-row-painted'));
    }
    if (dirty.all) this.recolourGraph();
    else for (const i of dirty.rows) {
      const t = this.model.tools[i];
      if (t) this.graph.setStatus(t.id, t.status);
    }
    if (this.dirtyChrome && this.audit) this.dirtyChrome = false;
    if (this.dirtyChrome) {
      this.header.update(this.analysis, this.model);
      this.summary.update(this.analysis, this.model);
      this.dirtyChrome = false;
    }
    if (this.model.phase === 'running' && this.model.mode === 'run') this.scheduleTick();
  }

  /** Keeps running bars growing between batches during a real (not simulated) run. */
  private scheduleTick(): void {
    requestAnimationFrame((t) => this.guard(() => {
      if (this.model.phase !== 'running') return;
      if (t - this.lastTick >= LIVE_TICK_MS) {
        this.lastTick = t;
        this.timeline.tick(this.liveNow());
      }
      if (this.frame === 0) this.scheduleTick();
    }));
  }

  private liveNow(): number {
    if (this.model.phase !== 'running' || this.model.mode !== 'run' || this.clockAnchor === null) return this.model.now;
    return Math.max(this.model.now, performance.now() - this.clockAnchor);
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      const message = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
      this.api.postMessage({ type: 'error', message });
    }
  }
}

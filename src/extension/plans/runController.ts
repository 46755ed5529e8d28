// fanout.run / fanout.simulate / fanout.cancelRun: parse + analyze, refuse invalid plans, bind
// imported calls, check trust, then run the core engine with progress, a status-bar item, a log,
// coalesced events on the RunBus, and a history record at the end.
import * as path from 'node:path';
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { RunEvent, RunRecord } from '../../core/engine/types';
import type { Plan } from '../../core/plan/types';
import { Disposable } from '../disposable';
import { availableLmToolNames, vscodeRunners } from '../runners';
import { COMMANDS, type RunMode, type Services } from '../runBus';
import { getSettings } from '../settings';
import type { AnalysisService } from './analysisService';
import { Batcher } from './batcher';
import { bindableCalls, bindCalls } from './binding';
import type { DiagnosticsPublisher } from './diagnostics';
import { fileLabel, NO_PLAN_MESSAGE, resolveTarget, toUri } from './documents';
import { runPlan } from './engine';
import type { EstimateStore } from './estimates';
import { countSeverities, plural } from './format';
import type { HistoryStore } from './history';
import { makeEntry, newRunId } from './historyIndex';
import { endNotice, isFinalToolEvent, startLine, summaryLines, toolLine } from './runLog';
import { approveSideEffects } from './trust';
import { askBatchInVsCode } from './approvalPrompt';
import { createApprover } from '../../core/tools/approval';
import { mergeServers, readWorkspaceMcpServers, startMcpHost, wantsMcp } from '../runners/mcp';
import type { McpHost } from '../mcpHost';

interface ActiveRun {
  readonly runId: string;
  readonly uri: string;
  readonly mode: RunMode;
  readonly planName: string;
  readonly total: number;
  done: number;
  readonly abort: AbortController;
}

export interface RunControllerDeps {
  readonly services: Services;
  readonly analyses: AnalysisService;
  readonly publisher: DiagnosticsPublisher;
  readonly history: HistoryStore;
  readonly estimates: EstimateStore;
  /** Learned estimates changed: re-analyse open plans. */
  readonly onEstimatesChanged: () => void;
  /** Whether the plan view of this document (URI string) is on screen: it then shows the run's progress and Cancel itself. */
  readonly planViewVisible?: (uri: string) => boolean;
}

export class RunController extends Disposable {
  private readonly active = new Map<string, ActiveRun>();

  constructor(private readonly deps: RunControllerDeps) {
    super();
    // Runs still going when the extension is disposed end cancelled, with every tool's outcome recorded.
    this.onDispose(() => {
      for (const r of this.active.values()) r.abort.abort(new Error('VS Code is shutting down.'));
    });
  }

  /** Resolves with the run's record, or undefined when the run did not start (invalid, refused, declined). */
  async start(arg: unknown, mode: RunMode): Promise<RunRecord | undefined> {
    const target = await resolveTarget(arg);
    if (!target) {
      // With an argument, resolveTarget has already said what went wrong.
      if (arg === undefined) void vscode.window.showInformationMessage(NO_PLAN_MESSAGE);
      return undefined;
    }
    const { doc } = target;
    const src = this.deps.analyses.forDocument(doc);
    // Problems shows exactly what this run was refused for, whatever the document is.
    this.deps.publisher.publish(doc, src);
    const a = src.analysis;
    const verb = mode === 'run' ? 'run' : 'simulate';
    if (!a || !a.valid) {
      const errors = countSeverities(src.diagnostics).errors;
      const what = a ? `"${a.plan.name}" has ${plural(errors, 'error')}` : 'this is not a tool plan';
      const show = 'Show Problems';
      void vscode.window.showErrorMessage(`Fanout cannot ${verb} ${fileLabel(doc.uri)}: ${what}. See the Problems panel.`, show).then((c) => {
        if (c === show) void vscode.commands.executeCommand('workbench.actions.view.problems');
      });
      return undefined;
    }
    const uri = doc.uri.toString();
    const busy = [...this.active.values()].find((r) => r.uri === uri);
    if (busy) {
      const cancel = 'Cancel It';
      void vscode.window.showWarningMessage(`"${busy.planName}" is already running. Wait for it to finish or cancel it.`, cancel).then((c) => {
        if (c === cancel) this.cancel(doc.uri);
      });
      return undefined;
    }

    let plan: Plan = a.plan;
    let mcp: McpHost | undefined;
    let confirmedUpFront = false;
    if (mode === 'run') {
      const bound = await this.offerBinding(plan);
      if (!bound) return undefined;
      plan = bound;
      // MCP servers (the plan's and the workspace's .vscode/mcp.json): confirmed with the rest,
      // started only after that (and only in a trusted workspace), then listed to bind and check.
      const workspace = vscode.workspace.isTrusted ? await readWorkspaceMcpServers() : undefined;
      const servers = workspace && wantsMcp(plan, workspace) ? mergeServers(plan, workspace) : undefined;
      const decision = await approveSideEffects(plan, doc.uri, servers);
      if (decision !== 'allowed' && decision !== 'confirmed') return undefined;
      confirmedUpFront = decision === 'confirmed';
      if (workspace && servers) {
        const started = await startMcpHost(plan, workspace, workingDirectory(doc));
        if (!started) return undefined;
        if ('error' in started) {
          void vscode.window.showErrorMessage(`Fanout cannot run ${fileLabel(doc.uri)}: ${started.error}`);
          return undefined;
        }
        mcp = started.host;
        plan = started.plan;
      }
    }
    return this.execute(plan, a.durations, doc, mode, mcp, confirmedUpFront);
  }

  /** Cancels the runs of one document, or all of them. Returns how many were cancelled. */
  cancel(arg?: unknown): number {
    const uri = toUri(arg)?.toString();
    let n = 0;
    for (const r of this.active.values()) {
      if (uri !== undefined && r.uri !== uri) continue;
      if (!r.abort.signal.aborted) {
        r.abort.abort(new Error('Cancelled by the user.'));
        n++;
      }
    }
    if (n === 0 && arg === undefined) void vscode.window.showInformationMessage('Fanout: no plan is running.');
    return n;
  }

  get running(): number {
    return this.active.size;
  }

  /**
   * Imported calls run as simulations unless a vscode.lm tool has their name and the user binds
   * them. Undefined when the user dismissed the choice (no run).
   */
  private async offerBinding(plan: Plan): Promise<Plan | undefined> {
    const calls = bindableCalls(plan, availableLmToolNames());
    if (calls.length === 0) return plan;
    type Item = vscode.QuickPickItem & { readonly id: string };
    const items: Item[] = calls.map((t) => ({ label: t.label, description: t.id, detail: `vscode.lm.invokeTool('${t.label}', …)`, picked: true, id: t.id }));
    const picked = await vscode.window.showQuickPick(items, {
      canPickMany: true,
      title: `Bind ${plural(calls.length, 'call')} to vscode.lm tools?`,
      placeHolder: 'Checked calls run for real through the language-model tool of the same name; unchecked ones are simulated. Esc cancels the run.',
      ignoreFocusOut: true,
    });
    if (!picked) return undefined;
    return bindCalls(plan, new Set(picked.map((p) => p.id)));
  }

  private async execute(plan: Plan, durations: readonly number[], doc: vscode.TextDocument, mode: RunMode, mcp?: McpHost, confirmedUpFront = false): Promise<RunRecord> {
    const { runBus, output } = this.deps.services;
    const settings = getSettings(doc.uri);
    const uri = doc.uri.toString();
    const overrideCap = plan.maxConcurrency === undefined && settings.maxConcurrency !== null ? settings.maxConcurrency : undefined;
    const slots = plan.maxConcurrency ?? settings.maxConcurrency ?? null;
    const runId = newRunId(new Date());
    const startedAt = new Date();
    const run: ActiveRun = { runId, uri, mode, planName: plan.name, total: plan.tools.length, done: 0, abort: new AbortController() };
    this.active.set(runId, run);

    runBus.fireStarted({ runId, uri, mode, tools: plan.tools.map((t) => t.id), slots });
    // Awaited (the panel is created or revealed in a few ms): whether it is on screen decides where
    // the run's progress goes below.
    await Promise.resolve(vscode.commands.executeCommand(COMMANDS.showGraph, doc.uri, { preserveFocus: true, section: 'timeline' })).catch(() => undefined);
    output.info(startLine(mode, plan.name, plan.tools.length, slots, fileLabel(doc.uri)));

    // Progress, the status bar and the RunBus all update once per batch (about every 50 ms), not
    // once per event: a 1,000-tool run would otherwise send thousands of UI messages a second.
    let onProgress: (done: number) => void = () => undefined;
    const batcher = new Batcher<RunEvent>((events) => {
      runBus.fireEvents({ runId, uri, events });
      onProgress(run.done);
    }, 50);
    let runStartWall = performance.now();
    const work = (): Promise<RunRecord> => runPlan({
      plan, mode, durations, cwd: workingDirectory(doc),
      estimates: this.deps.estimates.get(),
      extraRunners: mcp ? { ...vscodeRunners, mcp: mcp.runner } : vscodeRunners,
      signal: run.abort.signal,
      streamPolicy: settings.streamPolicy,
      ...(overrideCap !== undefined ? { maxConcurrency: overrideCap } : {}),
      // Approval lanes: only real runs, which only start in a trusted workspace after the run
      // confirmation (approveSideEffects); the quick pick asks per batch, the rest runs meanwhile.
      // A confirmation the user accepted listed every such call: asking again per batch would be
      // a second prompt for the same calls, so 'prompt' then runs them (read-only still denies).
      ...(mode === 'run' && vscode.workspace.isTrusted
        ? { approve: createApprover({ mode: confirmedUpFront && settings.approveCalls === 'prompt' ? 'all' : settings.approveCalls, askBatch: (calls, signal) => askBatchInVsCode(calls, plan.name, signal), readOnlyReason: 'denied by the fanout.approveCalls setting (read-only)' }) }
        : {}),
      onEvent: (e) => {
        if (e.type === 'run-started') runStartWall = performance.now();
        if (isFinalToolEvent(e)) run.done++;
        batcher.push(e);
      },
    });
    let record: RunRecord | undefined;
    try {
      if (mode === 'run') {
        // With the plan view on screen, a notification would sit over the bottom of its timeline and
        // repeat it: the window's progress (status bar) then, Cancel in the view, in the status-bar
        // item and in the palette (fanout.cancelRun). Without the view, the notification with Cancel.
        const inView = this.deps.planViewVisible?.(uri) === true;
        record = await vscode.window.withProgress({
          location: inView ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification,
          title: `Fanout: running "${plan.name}"`,
          cancellable: !inView,
        }, (progress, token) => {
          token.onCancellationRequested(() => run.abort.abort(new Error('Cancelled by the user.')));
          let shown = 0;
          progress.report({ message: `0/${run.total} tools done` });
          onProgress = (done) => {
            const pct = (100 * done) / Math.max(1, run.total);
            if (pct > shown) progress.report({ increment: pct - shown, message: `${done}/${run.total} tools done` });
            shown = pct;
          };
          return work();
        });
      } else {
        record = await work();
      }
    } catch (err) {
      // The engine resolves for tool failures; a rejection is a bug. Report it, never hang the UI.
      const message = err instanceof Error ? err.message : String(err);
      output.error(`Fanout could not ${mode} "${plan.name}": ${message}`);
      void vscode.window.showErrorMessage(`Fanout could not ${mode} "${plan.name}": ${message}`);
      record = emptyRecord(plan, message);
    } finally {
      // No server outlives its run; its listing before the run is part of the record.
      if (mcp && record) record = mcp.withEarlyConnections(record, runStartWall);
      await mcp?.close().catch(() => undefined);
      batcher.close();
      this.active.delete(runId);
    }
    runBus.fireEnded({ runId, uri, mode, record });
    for (const t of record.tools) output.info(toolLine(t));
    for (const line of summaryLines(mode, record)) output.info(line);
    this.notifyEnd(mode, plan, record, doc.uri);
    await this.remember(runId, startedAt, plan, mode, record, uri);
    return record;
  }

  private async remember(runId: string, startedAt: Date, plan: Plan, mode: RunMode, record: RunRecord, uri: string): Promise<void> {
    const { output } = this.deps.services;
    try {
      await this.deps.history.add(makeEntry({ runId, uri, planName: plan.name, mode, startedAt, record }), record);
    } catch (err) {
      output.warn(`Could not save the run in the history: ${err instanceof Error ? err.message : String(err)}`);
    }
    // Only real runs teach durations: a simulation would only echo the estimates back.
    if (mode === 'run') {
      try {
        if (await this.deps.estimates.learn(plan, record)) this.deps.onEstimatesChanged();
      } catch (err) {
        output.warn(`Could not learn durations from this run: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  private notifyEnd(mode: RunMode, plan: Plan, record: RunRecord, uri: vscode.Uri): void {
    const text = endNotice(mode, plan.name, record);
    const graph = 'Show Graph';
    const log = 'Show Log';
    const buttons = record.status === 'succeeded' ? [graph] : [graph, log];
    const show = record.status === 'failed' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(text, ...buttons).then((c) => {
      if (c === graph) void Promise.resolve(vscode.commands.executeCommand(COMMANDS.showGraph, uri)).catch(() => undefined);
      if (c === log) this.deps.services.output.show(true);
    });
  }

}

/** Shell tools run in the plan's workspace folder, else next to the file, else the home folder. */
function workingDirectory(doc: vscode.TextDocument): string {
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  if (folder && folder.uri.scheme === 'file') return folder.uri.fsPath;
  if (doc.uri.scheme === 'file') return path.dirname(doc.uri.fsPath);
  const first = vscode.workspace.workspaceFolders?.[0];
  return first && first.uri.scheme === 'file' ? first.uri.fsPath : os.homedir();
}

/** A record for a run the engine could not even start: every tool cancelled with the reason. */
function emptyRecord(plan: Plan, message: string): RunRecord {
  return {
    status: 'failed', makespanMs: 0, sequentialMs: 0, criticalPathMs: 0, lowerBoundMs: 0, maxObservedConcurrency: 0,
    tools: plan.tools.map((t) => ({ id: t.id, status: 'cancelled', queuedAt: null, startedAt: null, endedAt: null, attempts: [], output: null, error: message })),
  };
}

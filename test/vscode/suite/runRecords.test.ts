// Open Run Record in the real extension host: a *.fanoutrun.json written by runToolCalls opens in
// the plan view (its run as the view's run), and a file that is not a run record is an error at
// its line, as `fanout show` reports it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { PLAN_VIEW_TYPE } from '../../../src/protocol/planView';
import { api, closeAllEditors, fixture, waitFor } from '../helpers';

interface Outcome {
  readonly planUri?: vscode.Uri;
  readonly tools?: readonly string[];
  readonly error?: string;
}

const planViewTabs = (): vscode.Tab[] => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
  .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(PLAN_VIEW_TYPE));

describe('run records', () => {
  before(async () => {
    await api();
    await closeAllEditors();
  });
  afterEach(closeAllEditors);

  it('Open Run Record shows a runToolCalls record in the plan view, its calls named after their functions', async () => {
    const outcome = (await vscode.commands.executeCommand('fanout.openRunRecord', fixture('trip-turn.fanoutrun.json'))) as Outcome | undefined;
    assert.ok(outcome?.planUri, outcome?.error ?? 'no plan view');
    assert.deepEqual(outcome.tools, ['get_weather', 'get_weather_2', 'search_flights', 'book_hotel']);
    // The view's title is the plan's name once its analysis has arrived.
    await waitFor('the plan view titled after the run', () => planViewTabs().find((t) => /trip agent, turn 3 \(recorded/.test(t.label)));
    // The plan the view analyses: one simulate tool per call, lasting what the call took.
    const doc = await vscode.workspace.openTextDocument(outcome.planUri);
    const plan = JSON.parse(doc.getText()) as { tools: { id: string; kind: string; args: { durationMs: number }; description?: string }[] };
    assert.deepEqual(plan.tools.map((t) => t.kind), ['simulate', 'simulate', 'simulate', 'simulate']);
    assert.ok(plan.tools[2]!.args.durationMs >= 190, `search_flights took ${plan.tools[2]!.args.durationMs} ms`);
    assert.equal(plan.tools[1]!.description, 'get_weather · call toolu_02 · recorded as call1');
    // Opening it again reuses the view.
    await vscode.commands.executeCommand('fanout.openRunRecord', fixture('trip-turn.fanoutrun.json'));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(planViewTabs().length, 1);
  });

  it('a file that is not a run record is an error at its line and column; no view opens', async () => {
    const outcome = (await vscode.commands.executeCommand('fanout.openRunRecord', fixture('broken.fanoutrun.json'))) as Outcome | undefined;
    assert.match(outcome?.error ?? '', /^broken\.fanoutrun\.json is not a run record: line 1, column \d+: "status" must be one of/);
    assert.equal(outcome?.planUri, undefined);
    assert.equal(planViewTabs().length, 0);
  });
});

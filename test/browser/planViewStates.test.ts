// Every live status a plan-view tool can be in is told apart in the graph and the timeline, by a
// reader who sees colour well or not: real Chromium, media/planView.css, one tool per status driven
// by real run events, under the --vscode-* variables of Light Modern, Dark Modern and both
// high-contrast themes. Two states must differ in colour by a clear distance or by a cue that is not
// a colour (an outline's dashes, a glyph); the critical path's mark must be no status colour.
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LiveStatus, ViewAnalysis, ViewRunEvent } from '../../src/protocol/planView';
import { analyzeForView } from '../../src/extension/planView/toView';
import { closeBrowser, openWebview, type WebviewPage } from './helpers/chromium';

const ROOT = join(__dirname, '..', '..');
const SHOTS = process.env.FANOUT_SHOTS_DIR ?? join(ROOT, 'test-results', 'screenshots');
const THEMES = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'lessons-themes.json'), 'utf8')) as Record<string, { bodyClass: string; vars: Record<string, string> }>;

// The fixture holds the variables the lessons use; the plan view's status colours also read these.
// Values from VS Code's colour registry as code-server 4.100.3 ships it (charts.yellow is
// editorWarning.foreground, charts.orange is minimap.findMatchHighlight; no default theme overrides
// them), per theme kind.
const STATUS_VARS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'Light Modern': { '--vscode-charts-orange': '#d18616', '--vscode-charts-green': '#388a34', '--vscode-charts-purple': '#652d90', '--vscode-testing-iconSkipped': '#848484', '--vscode-disabledForeground': '#61616180' },
  'Dark Modern': { '--vscode-charts-orange': '#d18616', '--vscode-charts-green': '#89d185', '--vscode-charts-purple': '#b180d7', '--vscode-testing-iconSkipped': '#848484', '--vscode-disabledForeground': '#cccccc80' },
  'Dark High Contrast': { '--vscode-charts-orange': '#ab5a00', '--vscode-charts-green': '#89d185', '--vscode-charts-purple': '#b180d7', '--vscode-testing-iconSkipped': '#848484', '--vscode-disabledForeground': '#a5a5a5' },
  'Light High Contrast': { '--vscode-charts-orange': '#0f4a85', '--vscode-charts-green': '#374e06', '--vscode-charts-purple': '#652d90', '--vscode-testing-iconSkipped': '#848484', '--vscode-disabledForeground': '#7f7f7f' },
};

/**
 * Least RGB distance (Euclidean, 0–255 per channel, after compositing over the editor background)
 * that counts as "a different colour". Below it are the pairs this lane was filed for: Dark
 * Modern's pending and skipped greys (#767676 and #848484 over the editor: 24 apart) and Light
 * Modern's queued and retrying fills (yellow and orange tints: 34 apart); the charts hues VS Code
 * gives different series are 85 or more apart at the tints the graph uses. 60 sits between.
 */
const MIN_DISTANCE = 60;

const STATES: readonly LiveStatus[] = ['pending', 'queued', 'approval', 'running', 'retrying', 'succeeded', 'failed', 'timed-out', 'skipped', 'cancelled', 'denied'];
const id = (s: LiveStatus): string => `st_${s.replace('-', '_')}`;

/** One run batch that leaves each tool in its status (a status's usual path to it). */
function events(): ViewRunEvent[] {
  const e: ViewRunEvent[] = [];
  const start = (s: LiveStatus): void => {
    e.push({ type: 'queued', at: 0, id: id(s) }, { type: 'started', at: 10, id: id(s), attempt: 1 });
  };
  e.push({ type: 'queued', at: 0, id: id('queued') });
  e.push({ type: 'awaiting-approval', at: 0, id: id('approval') });
  start('running');
  start('retrying');
  e.push({ type: 'attempt-failed', at: 200, id: id('retrying'), attempt: 1, error: 'HTTP 503', timedOut: false }, { type: 'retrying', at: 200, id: id('retrying'), attempt: 2, delayMs: 400 });
  start('succeeded');
  e.push({ type: 'succeeded', at: 300, id: id('succeeded') });
  start('failed');
  e.push({ type: 'failed', at: 250, id: id('failed'), error: 'boom' });
  start('timed-out');
  e.push({ type: 'timed-out', at: 400, id: id('timed-out'), error: 'timed out after 390 ms' });
  e.push({ type: 'skipped', at: 250, id: id('skipped'), reason: "dependency 'st_failed' failed" });
  start('cancelled');
  e.push({ type: 'cancelled', at: 500, id: id('cancelled'), reason: 'cancelled by the user' });
  e.push({ type: 'awaiting-approval', at: 0, id: id('denied') }, { type: 'denied', at: 120, id: id('denied'), reason: 'denied by the user' });
  return e;
}

function analysis(): ViewAnalysis {
  // Independent tools (so no alike-call group forms: no running numbers), and a longer one so the
  // critical path is a tool of its own that the test can find.
  const tools = [...STATES.map((s) => ({ id: id(s), kind: 'simulate', args: { durationMs: 100 } })), { id: 'longest', kind: 'simulate', args: { durationMs: 2000 } }];
  return analyzeForView(JSON.stringify({ tools }), { uri: 'file:///work/states.toolplan.json', fileLabel: 'states.toolplan.json' }, { analyze: { cores: 4 } });
}

interface Look {
  readonly state: string;
  /** Node fill / row icon colour as seen: [r, g, b] over the editor background. */
  readonly fill: readonly number[];
  readonly stroke: readonly number[];
  readonly dash: string;
  /** The glyph shown, '' when none is visible. */
  readonly glyph: string;
  /** The status colour itself (--fo-status), over the editor background. */
  readonly status: readonly number[];
}

interface Reading {
  readonly graph: Look[];
  readonly timeline: Look[];
  readonly critical: { readonly ring: readonly number[]; readonly ringDash: string; readonly edge: readonly number[]; readonly swatch: readonly number[]; readonly swatchStyle: string; readonly focus: readonly number[] };
}

/** Runs in the page: resolves every colour through a canvas (color-mix() gives color(srgb …)). */
function read(states: readonly string[]): Reading {
  const canvas = document.createElement('canvas');
  canvas.width = 1;
  canvas.height = 1;
  const g2 = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
  const bg = getComputedStyle(document.body).backgroundColor;
  const rgb = (css: string, opacity = 1): number[] => {
    g2.globalAlpha = 1;
    g2.fillStyle = bg;
    g2.fillRect(0, 0, 1, 1);
    g2.globalAlpha = opacity;
    g2.fillStyle = '#000000';
    g2.fillStyle = css;
    g2.fillRect(0, 0, 1, 1);
    return Array.from(g2.getImageData(0, 0, 1, 1).data.slice(0, 3));
  };
  const statusOf = (s: string): number[] => {
    const probe = document.createElement('span');
    probe.className = `fo-st-${s}`;
    probe.style.color = 'var(--fo-status)';
    document.body.append(probe);
    const c = getComputedStyle(probe).color;
    probe.remove();
    return rgb(c);
  };
  const graph = states.map((s) => {
    const g = document.querySelector(`.fo-graph-canvas g.node[data-id="st_${s.replace('-', '_')}"]`) as SVGGElement;
    const shape = getComputedStyle(g.querySelector('.fo-node-shape') as Element);
    const opacity = Number(getComputedStyle(g).opacity);
    const badge = g.querySelector('.fo-node-badge') as SVGGElement;
    const shown = getComputedStyle(badge).display !== 'none';
    return { state: s, fill: rgb(shape.fill, opacity), stroke: rgb(shape.stroke, opacity), dash: shape.strokeDasharray, glyph: shown ? (badge.textContent ?? '') : '', status: statusOf(s) };
  });
  const timeline = states.map((s) => {
    const row = document.querySelector(`.fo-row[data-status="${s}"]`) as HTMLElement;
    const icon = row.querySelector('.fo-row-icon') as HTMLElement;
    const c = getComputedStyle(icon);
    return { state: s, fill: rgb(c.color), stroke: rgb(c.color), dash: '', glyph: c.display !== 'none' && c.visibility !== 'hidden' ? (icon.textContent ?? '') : '', status: statusOf(s) };
  });
  const critical = document.querySelector('.fo-graph-canvas g.node.critical') as SVGGElement;
  const ring = getComputedStyle(critical.querySelector('.fo-node-ring') as Element);
  const edge = document.querySelector('.fo-graph-canvas .fo-edge.critical');
  const swatch = getComputedStyle(document.querySelector('.fo-swatch-critical') as Element);
  const focus = document.createElement('span');
  focus.style.color = 'var(--vscode-focusBorder)';
  document.body.append(focus);
  const focusColour = getComputedStyle(focus).color;
  focus.remove();
  return {
    graph, timeline,
    critical: {
      ring: rgb(ring.stroke), ringDash: ring.strokeDasharray,
      edge: edge ? rgb(getComputedStyle(edge).stroke) : rgb(ring.stroke),
      swatch: rgb(swatch.borderTopColor), swatchStyle: swatch.borderTopStyle, focus: rgb(focusColour),
    },
  };
}

const distance = (a: readonly number[], b: readonly number[]): number => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
const hex = (c: readonly number[]): string => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

/** Why two looks can be told apart, or null when they cannot. */
function told(a: Look, b: Look): string | null {
  if (distance(a.fill, b.fill) >= MIN_DISTANCE) return 'fill';
  if (distance(a.stroke, b.stroke) >= MIN_DISTANCE) return 'stroke';
  if (a.dash !== b.dash) return 'dashes';
  if (a.glyph !== b.glyph) return 'glyph';
  return null;
}

async function open(theme: string, width = 1000): Promise<WebviewPage> {
  const t = THEMES[theme];
  const view = await openWebview({ scripts: ['planView.js'], styles: ['planView.css'], themeClass: t.bodyClass, themeVars: { ...t.vars, ...STATUS_VARS[theme] } });
  await view.page.setViewportSize({ width, height: 900 });
  const a = analysis();
  await view.send({ type: 'analysis', analysis: a });
  await view.send({ type: 'run-started', runId: 'r', mode: 'simulate', tools: a.tools.map((x) => x.id), slots: null });
  await view.send({ type: 'run-events', runId: 'r', events: events() });
  await view.page.evaluate(async () => {
    await (window as unknown as { fanoutPlanView: { graphSettled: Promise<void> } }).fanoutPlanView.graphSettled;
    await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  });
  return view;
}

describe('plan view: every status told apart', function () {
  this.timeout(120_000);
  after(closeBrowser);

  for (const theme of Object.keys(STATUS_VARS)) {
    it(`${theme}: graph nodes and timeline rows differ pairwise by colour or a non-colour cue; the critical path's mark is no status colour`, async () => {
      const view = await open(theme);
      // Every tool reached its status (so the test measures what it means to).
      const classes = await view.page.evaluate(() => Array.from(document.querySelectorAll('.fo-graph-canvas g.node[data-id^="st_"]')).map((g) => g.getAttribute('class') ?? ''));
      for (const s of STATES) assert.ok(classes.some((c) => c.split(' ').includes(`fo-st-${s}`)), `${theme}: a node in ${s} (${classes.join('; ')})`);
      // tsx names the page function's inner closures through a helper the page lacks: give it one.
      await view.page.evaluate('window.__name = (f) => f');
      const r = await view.page.evaluate(read, STATES);
      const problems: string[] = [];
      for (const [where, looks] of [['graph', r.graph], ['timeline', r.timeline]] as const) {
        for (let i = 0; i < looks.length; i++) {
          for (let j = i + 1; j < looks.length; j++) {
            const a = looks[i];
            const b = looks[j];
            if (told(a, b) === null) problems.push(`${where}: ${a.state} and ${b.state} look alike (fill ${hex(a.fill)} vs ${hex(b.fill)}, dashes '${a.dash}', glyph '${a.glyph}')`);
          }
        }
      }
      // The critical outline is solid: it must differ in colour from every status's colour and node
      // fill, unless that state's outline is dashed (a shape the critical outline never has).
      const c = r.critical;
      assert.ok(c.ringDash === 'none' || c.ringDash === '', `${theme}: the critical outline is solid (${c.ringDash})`);
      for (const look of r.graph) {
        if (look.dash !== 'none' && look.dash !== '') continue;
        const d = Math.min(distance(c.ring, look.status), distance(c.ring, look.fill));
        if (d < MIN_DISTANCE) problems.push(`critical ${hex(c.ring)} is ${d.toFixed(0)} from ${look.state} (${hex(look.status)}, fill ${hex(look.fill)})`);
      }
      if (distance(c.ring, c.focus) < MIN_DISTANCE) problems.push(`critical ${hex(c.ring)} is too close to the selected node's focus colour ${hex(c.focus)}`);
      // The legend's swatch is the mark itself: the same colour, a double line like the ring.
      assert.deepEqual(c.swatch, c.ring, `${theme}: legend swatch ${hex(c.swatch)} = ring ${hex(c.ring)}`);
      assert.deepEqual(c.edge, c.ring, `${theme}: critical edges ${hex(c.edge)} = ring ${hex(c.ring)}`);
      assert.equal(c.swatchStyle, 'double', `${theme}: the legend swatch is a double outline`);
      assert.deepEqual(problems, [], `${theme}:\n${problems.join('\n')}`);
      // The legend names every state the view shows, with the glyph its nodes carry.
      const legend = await view.page.locator('.fo-graph .fo-legend li:not([hidden])').allTextContents();
      for (const [s, word] of [['approval', '?waiting for approval'], ['denied', '⊗denied'], ['cancelled', '■cancelled'], ['skipped', '↷skipped']] as const) {
        assert.ok(legend.includes(word), `${theme}: legend shows ${s} as '${word}' (${legend.join(', ')})`);
      }
      assert.deepEqual(view.errors, []);
      if (process.env.FANOUT_SHOTS) {
        mkdirSync(SHOTS, { recursive: true });
        await view.page.screenshot({ path: join(SHOTS, `plan-view-states-${theme.toLowerCase().replace(/ /g, '-')}.png`), fullPage: true });
      }
      await view.page.close();
    });
  }
});

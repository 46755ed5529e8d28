#!/usr/bin/env node
// `npm run test:vscode`: the extension inside a real VS Code.
//
// Default runner: code-server (VS Code 1.100.3's server, web workbench and real Node extension
// host, from the npm registry) driven by headless Chromium through playwright-core. Phases:
//   1. suite      mocha inside the extension host, trusted workspace (test/vscode/suite)
//   2. untrusted  mocha inside the extension host, workspace NOT trusted (test/vscode/untrusted)
//   3. scenarios  Playwright drives the workbench UI like a user (test/vscode/scenarios)
// FANOUT_VSCODE_RUNNER=electron runs phases 1–2 with @vscode/test-electron instead (needs internet
// to download VS Code). FANOUT_SKIP_VSCODE=1 skips everything and says so.
//
// Options: --grep PATTERN (tests and scenarios whose full title matches), --no-scenarios,
// --scenarios-only, --keep (leave the temp folders for inspection), --update-screenshots (also
// copy the README screenshots into media/screenshots; otherwise only test-results/screenshots),
// --vsix [FILE] (test the INSTALLED extension: package it as a clean clone would, or take FILE,
// install it with code-server --install-extension into each sandbox, and load no development
// copy; the tests then see exactly what a user installs).
// Env: FANOUT_VSCODE_TIMEOUT_MS (overall, default 900000), FANOUT_CHROMIUM (default /usr/bin/chromium).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, createWriteStream, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { install, HostSetupError, CODE_SERVER_BIN, ROOT } from './install.mjs';
import { buildSuite, OUT } from './build.mjs';

const CHROMIUM = process.env.FANOUT_CHROMIUM ?? '/usr/bin/chromium';
const OVERALL_TIMEOUT_MS = Number(process.env.FANOUT_VSCODE_TIMEOUT_MS ?? 900_000);
const PHASE_TIMEOUT_MS = 240_000;
const RESULTS_DIR = join(ROOT, 'test-results', 'vscode');
const SCREENSHOTS_DIR = join(ROOT, 'test-results', 'screenshots');
const FIXTURES = join(ROOT, 'test', 'vscode', 'fixtures');

const log = (m) => console.log(`vscode: ${m}`);

function parseArgs(argv) {
  const opts = { grep: undefined, scenarios: true, suite: true, keep: false, updateScreenshots: false, vsix: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--grep' || a === '-g') {
      opts.grep = argv[++i];
      if (!opts.grep) fail('--grep needs a pattern');
    } else if (a.startsWith('--grep=')) opts.grep = a.slice(7);
    else if (a === '--no-scenarios') opts.scenarios = false;
    else if (a === '--scenarios-only') opts.suite = false;
    else if (a === '--keep') opts.keep = true;
    else if (a === '--update-screenshots') opts.updateScreenshots = true;
    else if (a === '--vsix') opts.vsix = argv[i + 1]?.endsWith('.vsix') ? argv[++i] : '';
    else if (a.startsWith('--vsix=')) opts.vsix = a.slice(7);
    else fail(`unknown option ${a} (expected --grep PATTERN, --no-scenarios, --scenarios-only, --keep, --update-screenshots, --vsix [FILE])`);
  }
  return opts;
}

function fail(message) {
  console.error(`vscode: FAILED: ${message}`);
  cleanup();
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// Cleanup on every exit path: code-server processes (by their process group, which we created),
// browsers, temp folders.
const children = new Set();
const browsers = new Set();
const tempDirs = new Set();
let keepTemp = false;

function killTree(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL'); // detached: the group is code-server and its extension host
  } catch {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
}

function cleanup() {
  for (const c of children) killTree(c);
  children.clear();
  for (const b of browsers) b.close().catch(() => {});
  browsers.clear();
  if (!keepTemp) for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  tempDirs.clear();
}

process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.error(`vscode: interrupted (${sig}); stopping code-server`);
    cleanup();
    process.exit(130);
  });
}

// ---------------------------------------------------------------------------------------------
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * With --vsix: the packaged extension, installed into a sandbox as a user installs it, and a
 * development folder that holds no extension, so VS Code still runs the suite
 * (extensionTestsPath needs a development launch) while Fanout is the installed copy.
 */
let installedVsix;
function installVsix(sandbox) {
  const r = spawnSync(process.execPath, [CODE_SERVER_BIN, '--extensions-dir', sandbox.extensions, '--user-data-dir', sandbox.userData, '--install-extension', installedVsix],
    { encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: sandbox.xdgConfig, XDG_DATA_HOME: sandbox.xdgData } });
  if (r.status !== 0 || !readdirSync(sandbox.extensions).some((d) => d.startsWith('fanout-dev.fanout-'))) {
    throw new HostSetupError(`code-server --install-extension ${installedVsix} failed (exit ${r.status}): ${(r.stderr || r.stdout || '').trim()}`);
  }
  mkdirSync(sandbox.devStub, { recursive: true });
  writeFileSync(join(sandbox.devStub, 'package.json'), JSON.stringify({ name: 'no-extension', publisher: 'fanout-test', version: '0.0.0', engines: { vscode: '*' } }));
}

/** A fresh set of folders for one VS Code launch; the workspace holds copies of the fixtures. */
function makeSandbox(name, { trusted }) {
  const dir = mkdtempSync(join(tmpdir(), `fanout-vscode-${name}-`));
  tempDirs.add(dir);
  const d = {
    dir,
    userData: join(dir, 'user-data'),
    extensions: join(dir, 'extensions'),
    xdgConfig: join(dir, 'xdg-config'),
    xdgData: join(dir, 'xdg-data'),
    workspace: join(dir, 'workspace'),
    results: join(dir, 'results.json'),
    devStub: join(dir, 'no-extension'),
  };
  for (const p of [d.userData, d.extensions, d.xdgConfig, d.xdgData]) mkdirSync(p, { recursive: true });
  cpSync(FIXTURES, d.workspace, { recursive: true });
  mkdirSync(join(d.userData, 'User'), { recursive: true });
  writeFileSync(join(d.userData, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'git.enabled': false,
    'security.workspace.trust.enabled': !trusted,
    // The real untrusted state (Restricted Mode) without the modal asking the user to decide.
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': 'never',
    // A test cannot click a modal: shell tools run without the confirmation (trusted phase), so in
    // the untrusted phase only the trust check can stop them.
    'fanout.confirmShellAndHttp': false,
  }, null, 2));
  if (installedVsix) installVsix(d);
  return d;
}

async function startCodeServer(name, sandbox, { trusted, env = {} }) {
  const port = await freePort();
  const args = [
    CODE_SERVER_BIN,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override',
    '--user-data-dir', sandbox.userData,
    '--extensions-dir', sandbox.extensions,
    ...(trusted ? ['--disable-workspace-trust'] : []),
    sandbox.workspace,
  ];
  mkdirSync(RESULTS_DIR, { recursive: true });
  const logFile = join(RESULTS_DIR, `code-server-${name}.log`);
  const out = createWriteStream(logFile);
  const child = spawn(process.execPath, args, {
    cwd: sandbox.dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, XDG_CONFIG_HOME: sandbox.xdgConfig, XDG_DATA_HOME: sandbox.xdgData, ...env },
  });
  children.add(child);
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  let exited = null;
  child.on('exit', (code, sig) => { exited = `exit ${code ?? sig}`; });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new HostSetupError(`code-server exited during startup (${exited}); see ${logFile}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new HostSetupError(`code-server did not answer /healthz within 60 s; see ${logFile}`);
    await sleep(150);
  }
  return { child, port, base, logFile, stop: () => { killTree(child); children.delete(child); } };
}

async function launchBrowser() {
  if (!existsSync(CHROMIUM)) throw new HostSetupError(`Chromium not found at ${CHROMIUM} (apt-get install chromium, or set FANOUT_CHROMIUM)`);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  browsers.add(browser);
  return browser;
}

/**
 * A fresh browser context: the web workbench keeps its layout, open editors and webview state in
 * the browser's storage, so each scenario starts from a clean slate instead of the last one's.
 */
function newContext(browser) {
  return browser.newContext({ viewport: { width: 1280, height: 800 } });
}

/** The workbench URL that opens `workspace` with the extension under development (and tests). */
function workbenchUrl(server, workspace, { tests, devStub }) {
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [['extensionDevelopmentPath', remote(installedVsix ? devStub : ROOT)]];
  if (tests) payload.push(['extensionTestsPath', remote(join(OUT, 'index.js'))]);
  return `${server.base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

function readResults(file, phase, exitCode, extra) {
  if (existsSync(file)) {
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      return { phase, tests: [{ title: `${phase}: results file`, state: 'failed', error: `unreadable results: ${e.message}` }] };
    }
  }
  return { phase, tests: [{ title: `${phase}: the suite`, state: 'failed', error: `no results written (exit code ${exitCode}). ${extra}` }] };
}

/** One mocha run inside code-server's extension host. */
async function codeServerPhase(phase, opts) {
  const trusted = phase === 'suite';
  const sandbox = makeSandbox(phase, { trusted });
  const env = { FANOUT_VSCODE_RESULTS: sandbox.results, FANOUT_VSCODE_PHASE: phase, ...(opts.grep ? { FANOUT_VSCODE_GREP: opts.grep } : {}),
    FANOUT_VSCODE_REPO: ROOT, ...(installedVsix ? { FANOUT_VSCODE_INSTALLED: '1' } : {}) };
  const server = await startCodeServer(phase, sandbox, { trusted, env });
  const browser = await launchBrowser();
  const page = await (await newContext(browser)).newPage();
  const consoleLines = [];
  let exitCode;
  const exited = new Promise((resolve) => {
    page.exposeFunction('codeAutomationExit', (code) => { exitCode = code; resolve(code); }).catch(() => {});
    page.on('console', (m) => {
      const text = m.text();
      consoleLines.push(text);
      const hit = /^vscode:exit (\d+)/.exec(text);
      if (hit) { exitCode ??= Number(hit[1]); resolve(exitCode); }
    });
  });
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
  const started = Date.now();
  await page.goto(workbenchUrl(server, sandbox.workspace, { tests: true, devStub: sandbox.devStub }));
  let timer;
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise((resolve) => { timer = setTimeout(() => resolve(true), PHASE_TIMEOUT_MS); }),
  ]);
  clearTimeout(timer);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  writeFileSync(join(RESULTS_DIR, `console-${phase}.log`), consoleLines.join('\n'));
  await browser.close().catch(() => {});
  browsers.delete(browser);
  server.stop();
  const results = readResults(sandbox.results, phase, exitCode,
    timedOut ? `The suite did not finish within ${PHASE_TIMEOUT_MS / 1000} s.` : `See ${server.logFile} and ${join(RESULTS_DIR, `console-${phase}.log`)}.`);
  log(`${phase}: VS Code ${results.vscodeVersion ?? '?'} extension host, ${seconds} s, exit code ${timedOut ? 'none (timeout)' : exitCode}`);
  for (const [name, value] of Object.entries(results.figures ?? {})) log(`${phase}: ${name}: ${value}`);
  return results.tests;
}

/** Workbench scenarios: a user's path through the UI, driven by Playwright. */
async function scenariosPhase(opts) {
  const dir = join(OUT, 'scenarios');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.js')).sort() : [];
  const scenarios = [];
  for (const f of files) {
    const mod = await import(pathToFileURL(join(dir, f)).href);
    for (const s of (mod.default?.scenarios ?? mod.scenarios ?? [])) scenarios.push(s);
  }
  const grep = opts.grep ? new RegExp(opts.grep) : undefined;
  const chosen = scenarios.filter((s) => !grep || grep.test(`workbench ${s.name}`));
  if (chosen.length === 0) return [];
  const sandbox = makeSandbox('scenarios', { trusted: true });
  const server = await startCodeServer('scenarios', sandbox, { trusted: true });
  const browser = await launchBrowser();
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const results = [];
  try {
    for (const s of chosen) {
      const title = `workbench ${s.name}`;
      const context = await newContext(browser);
      const page = await context.newPage();
      const started = Date.now();
      try {
        await page.goto(workbenchUrl(server, sandbox.workspace, { tests: false, devStub: sandbox.devStub }));
        await withTimeout(s.run({ page, workspace: sandbox.workspace, screenshotsDir: SCREENSHOTS_DIR, root: ROOT, log, updateMedia: opts.updateScreenshots }), s.timeoutMs ?? 90_000, title);
        results.push({ title, state: 'passed', durationMs: Date.now() - started });
      } catch (e) {
        await page.screenshot({ path: join(SCREENSHOTS_DIR, `FAILED-${s.name.replace(/\W+/g, '-')}.png`) }).catch(() => {});
        results.push({ title, state: 'failed', durationMs: Date.now() - started, error: e instanceof Error ? e.stack ?? e.message : String(e) });
      } finally {
        await context.close().catch(() => {});
      }
    }
  } finally {
    await browser.close().catch(() => {});
    browsers.delete(browser);
    server.stop();
  }
  return results;
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms / 1000} s`)), ms); }),
  ]);
}

/** The same suite through @vscode/test-electron (downloads VS Code: machines with internet). */
async function electronPhase(phase, opts) {
  const { runTests } = await import('@vscode/test-electron');
  const trusted = phase === 'suite';
  const sandbox = makeSandbox(phase, { trusted });
  let exitCode;
  try {
    exitCode = await runTests({
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: join(OUT, 'index.js'),
      launchArgs: [sandbox.workspace, '--disable-extensions', '--user-data-dir', sandbox.userData, '--extensions-dir', sandbox.extensions,
        ...(trusted ? ['--disable-workspace-trust'] : [])],
      extensionTestsEnv: { FANOUT_VSCODE_RESULTS: sandbox.results, FANOUT_VSCODE_PHASE: phase, ...(opts.grep ? { FANOUT_VSCODE_GREP: opts.grep } : {}) },
    });
  } catch (e) {
    if (!existsSync(sandbox.results)) throw new HostSetupError(`@vscode/test-electron could not run VS Code: ${e instanceof Error ? e.message : e}`);
  }
  return readResults(sandbox.results, phase, exitCode, '').tests;
}

function report(tests) {
  const passed = tests.filter((t) => t.state === 'passed').length;
  const failed = tests.filter((t) => t.state === 'failed');
  const skipped = tests.filter((t) => t.state === 'skipped').length;
  for (const t of tests) {
    const mark = t.state === 'passed' ? '✔' : t.state === 'failed' ? '✖' : '-';
    const ms = t.durationMs ? ` (${t.durationMs} ms)` : '';
    console.log(`  ${mark} ${t.title}${ms}`);
  }
  if (failed.length > 0) {
    console.log('\nFailures:');
    failed.forEach((t, i) => console.log(`\n  ${i + 1}) ${t.title}\n     ${String(t.error ?? '').split('\n').join('\n     ')}`));
    console.log('');
  }
  console.log(`${passed} passed, ${failed.length} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return failed.length === 0 && passed + skipped > 0;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  keepTemp = opts.keep;
  if (process.env.FANOUT_SKIP_VSCODE === '1') {
    console.log('vscode: SKIPPED (FANOUT_SKIP_VSCODE=1): the extension was not tested inside VS Code');
    return 0;
  }
  const overall = setTimeout(() => {
    console.error(`vscode: FAILED: the VS Code suite did not finish within ${OVERALL_TIMEOUT_MS / 1000} s (FANOUT_VSCODE_TIMEOUT_MS)`);
    cleanup();
    process.exit(1);
  }, OVERALL_TIMEOUT_MS);
  const electron = process.env.FANOUT_VSCODE_RUNNER === 'electron';
  const started = Date.now();
  try {
    rmSync(RESULTS_DIR, { recursive: true, force: true });
    mkdirSync(RESULTS_DIR, { recursive: true });
    if (process.env.FANOUT_VSCODE_NO_BUILD !== '1') {
      const b = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
      if (b.status !== 0) throw new Error('npm run build failed');
    }
    if (!existsSync(join(ROOT, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run npm run build');
    await buildSuite();
    if (!electron) install({ log });
    if (opts.vsix !== undefined) {
      if (electron) throw new Error('--vsix needs the code-server runner');
      if (opts.vsix) installedVsix = resolve(opts.vsix);
      else {
        const t = Date.now();
        const { packageVsix } = await import('../package-vsix.mjs');
        installedVsix = packageVsix();
        tempDirs.add(dirname(installedVsix));
        log(`packaged ${installedVsix} from a clean copy of the source tree (${((Date.now() - t) / 1000).toFixed(1)} s)`);
      }
      if (!existsSync(installedVsix)) throw new Error(`--vsix: ${installedVsix} does not exist`);
      log(`testing the INSTALLED extension from ${installedVsix} (no development copy is loaded)`);
    }
    const tests = [];
    if (opts.suite) {
      for (const phase of ['suite', 'untrusted']) {
        if (!existsSync(join(OUT, phase))) continue;
        tests.push(...(electron ? await electronPhase(phase, opts) : await codeServerPhase(phase, opts)));
      }
    }
    if (opts.scenarios) {
      if (electron) log('workbench scenarios need code-server (Playwright drives its web workbench); not run with the electron runner');
      else tests.push(...await scenariosPhase(opts));
    }
    writeFileSync(join(RESULTS_DIR, 'results.json'), JSON.stringify(tests, null, 2));
    log(`${electron ? '@vscode/test-electron' : 'code-server'} run took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return report(tests) ? 0 : 1;
  } catch (e) {
    const reason = e instanceof HostSetupError ? `cannot set up the VS Code test host: ${e.message}` : (e instanceof Error ? e.stack ?? e.message : String(e));
    console.error(`vscode: FAILED: ${reason}`);
    console.error('vscode: (to skip this suite deliberately, set FANOUT_SKIP_VSCODE=1)');
    return 1;
  } finally {
    clearTimeout(overall);
    cleanup();
  }
}

process.exitCode = await main();

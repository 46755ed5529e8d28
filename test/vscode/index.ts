// Entry point VS Code calls inside the extension host (extensionTestsPath): runs the mocha suite and
// writes the results to a JSON file, because mocha's own output reaches the runner only as page
// console lines with unfilled %s placeholders (code-server) or not at all.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIGURES_KEY, type SuiteResults, type TestResult } from './results';

// Loaded from node_modules at run time, not bundled: mocha must be the one instance whose
// describe/it globals the suite files see. Mocha 12 may export { Mocha } instead of the class.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mochaModule = require('mocha') as typeof import('mocha') & { Mocha?: typeof import('mocha') };
const Mocha = mochaModule.Mocha ?? mochaModule;

/** Which folder of test files runs: the trusted workspace (suite/) or the untrusted one (untrusted/). */
function phase(): 'suite' | 'untrusted' {
  return process.env.FANOUT_VSCODE_PHASE === 'untrusted' ? 'untrusted' : 'suite';
}

export function run(): Promise<void> {
  const resultsFile = process.env.FANOUT_VSCODE_RESULTS;
  const grep = process.env.FANOUT_VSCODE_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, ...(grep ? { grep } : {}) });
  const dir = path.join(__dirname, phase());
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort() : [];
  for (const f of files) mocha.addFile(path.join(dir, f));

  const tests: TestResult[] = [];
  const started = Date.now();
  const write = (): void => {
    const results: SuiteResults = {
      phase: phase(),
      vscodeVersion: require('vscode').version as string,
      durationMs: Date.now() - started,
      tests,
      figures: (globalThis as unknown as Record<string, Record<string, string> | undefined>)[FIGURES_KEY] ?? {},
    };
    if (resultsFile) fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2));
  };

  return new Promise((resolve, reject) => {
    let runner: Mocha.Runner;
    try {
      runner = mocha.run((failures) => {
        write();
        if (failures > 0) reject(new Error(`${failures} test(s) failed`));
        else resolve();
      });
    } catch (err) {
      tests.push({ title: `loading ${phase()}/ test files`, state: 'failed', durationMs: 0, error: String(err instanceof Error ? err.stack ?? err.message : err) });
      write();
      reject(err);
      return;
    }
    runner.on('pass', (t) => {
      tests.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration ?? 0 });
      console.log(`[fanout-vscode] ok ${t.fullTitle()}`);
    });
    runner.on('fail', (t, err: Error) => {
      tests.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration ?? 0, error: err.stack ?? err.message });
      console.log(`[fanout-vscode] FAIL ${t.fullTitle()}: ${err.message}`);
    });
    runner.on('pending', (t) => {
      tests.push({ title: t.fullTitle(), state: 'skipped', durationMs: 0 });
    });
  });
}

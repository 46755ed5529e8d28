// The test harnesses written beside the learner's file for each run (one per language). A hidden
// tests file registers tests with `test(name, fn, { timeoutMs })` and imports the learner's code
// as ./submission.<ext>; the harness runs the tests one at a time, each with its own time limit,
// and prints one record per event on stdout as `<marker> <json>`. The marker carries a nonce the
// harness reads (and removes from the environment) before the learner's code is loaded, so what
// the learner prints cannot pass for a result.
//
// Records: { e: 'plan', names } once the tests are loaded, { e: 'start', name } before a test, { e: 'result', name, passed, message, line?, column? }
// after it, { e: 'load', message, line?, column? } when the tests (or the code they import) could
// not be loaded, and { e: 'done', total } at the end. Lines and columns point into the learner's
// file (submission.<ext>) when the failure happened there.

export const RESULT_MARKER_PREFIX = '\u001eFANOUT-TEST';
export const NONCE_ENV = 'FANOUT_TEST_NONCE';
/** How long one test may take unless it says otherwise (hang detection, not a speed target). */
export const DEFAULT_TEST_TIMEOUT_MS = 5000;
/**
 * What the learner's code may print. Past it, the JS harness drops the output and says so (a
 * 'flood' record): a synchronous print loop never lets node flush a full pipe, so the output would
 * pile up in the child's memory unseen; the runner stops the run on that record, or past twice
 * this many bytes received (Python blocks on a full pipe, so the runner sees its flood).
 */
export const MAX_OUTPUT_BYTES = 1024 * 1024;

export const JS_HARNESS_FILE = 'harness.mjs';
/** The entry script: a separate module, as the tests import harness.mjs (a cycle through the entry would deadlock on its top-level await). */
export const JS_MAIN_FILE = 'fanout-main.mjs';
export const PY_HARNESS_FILE = 'fanout_harness.py';
export const PY_MAIN_FILE = 'fanout_main.py';

export interface HarnessRecordPlan { readonly e: 'plan'; readonly names: readonly string[] }
export interface HarnessRecordStart { readonly e: 'start'; readonly name: string }
export interface HarnessRecordResult { readonly e: 'result'; readonly name: string; readonly passed: boolean; readonly message: string; readonly line?: number; readonly column?: number }
export interface HarnessRecordLoad { readonly e: 'load'; readonly message: string; readonly line?: number; readonly column?: number }
export interface HarnessRecordDone { readonly e: 'done'; readonly total: number }
export interface HarnessRecordFlood { readonly e: 'flood' }
export type HarnessRecord = HarnessRecordPlan | HarnessRecordStart | HarnessRecordResult | HarnessRecordLoad | HarnessRecordDone | HarnessRecordFlood;

export const JS_HARNESS = String.raw`// Fanout's test harness (written for this run; see src/core/lessons/code/harness.ts).
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { inspect } from 'node:util';
import { writeSync } from 'node:fs';

const nonce = process.env.${NONCE_ENV} ?? '';
delete process.env.${NONCE_ENV};
const marker = '${RESULT_MARKER_PREFIX}:' + nonce;
// Records are written synchronously, past whatever the learner's prints left queued: a record
// must reach the grader even when the code never yields (and process.exit comes right after).
function emit(r) {
  const buf = Buffer.from(marker + ' ' + JSON.stringify(r) + '\n');
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(1, buf, off);
    } catch (err) {
      if (err.code !== 'EAGAIN') throw err;
    }
  }
}
let printed = 0;
for (const stream of [process.stdout, process.stderr]) {
  const original = stream.write.bind(stream);
  stream.write = (chunk, ...rest) => {
    printed += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk?.length ?? 0;
    if (printed <= ${MAX_OUTPUT_BYTES}) return original(chunk, ...rest);
    // Stop here: a print loop that never yields would otherwise run to the time limit.
    emit({ e: 'flood' });
    process.exit(0);
  };
}
const tests = [];
let current;

export function test(name, fn, options = {}) {
  tests.push({ name, fn, timeoutMs: options.timeoutMs ?? ${DEFAULT_TEST_TIMEOUT_MS} });
}

/** Where in the learner's file an error was thrown: the first stack frame inside submission.*. */
function location(err) {
  const stack = err && typeof err === 'object' && typeof err.stack === 'string' ? err.stack : '';
  const m = /submission\.(?:ts|mjs|js)(?:\?[^:]*)?:(\d+):(\d+)/.exec(stack);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : {};
}

const show = (v) => inspect(v, { depth: 3, breakLength: Infinity, maxArrayLength: 20, maxStringLength: 200 });

/** A failure in one line a learner can read: the test's own message, then what was got and expected. */
function describe(err) {
  if (err && typeof err === 'object' && err.name === 'AssertionError' && typeof err.message === 'string') {
    const compared = ['equal', 'strictEqual', 'deepEqual', 'deepStrictEqual'].includes(err.operator);
    const values = compared ? 'got ' + show(err.actual) + ', expected ' + show(err.expected) : '';
    if (err.generatedMessage) return values ? values.charAt(0).toUpperCase() + values.slice(1) + '.' : err.message.split('\n')[0];
    const head = err.message.split(/\n\+ actual|\n\n/)[0];
    return values ? head + ' (' + values + ')' : head;
  }
  if (err instanceof Error) return err.name + ': ' + err.message;
  return 'threw ' + show(err);
}

// The learner's code may reject a promise nobody awaits, or throw from a timer: that fails the
// test that was running, instead of killing the whole run.
process.on('unhandledRejection', (reason) => { if (current) current.fail(reason); });
process.on('uncaughtException', (err) => { if (current) current.fail(err); else emit({ e: 'load', message: describe(err), ...location(err) }); });

async function runOne(t) {
  emit({ e: 'start', name: t.name });
  let timer;
  const outcome = await new Promise((done) => {
    current = { fail: (err) => done({ ok: false, err }) };
    timer = setTimeout(() => done({ ok: false, timedOut: true }), t.timeoutMs);
    Promise.resolve().then(() => t.fn()).then(() => done({ ok: true }), (err) => done({ ok: false, err }));
  });
  clearTimeout(timer);
  current = undefined;
  if (outcome.ok) emit({ e: 'result', name: t.name, passed: true, message: 'Passed.' });
  else if (outcome.timedOut) emit({ e: 'result', name: t.name, passed: false, message: 'Did not finish within ' + t.timeoutMs / 1000 + ' s: something waits forever (a promise that never settles, a deadline not applied?).' });
  else emit({ e: 'result', name: t.name, passed: false, message: describe(outcome.err), ...location(outcome.err) });
}

/** Called by the entry script (JS_MAIN): loads the tests, runs them, exits. */
export async function runAll(testsPath) {
  let loaded = false;
  try {
    await import(pathToFileURL(resolve(testsPath)).href);
    loaded = true;
  } catch (err) {
    emit({ e: 'load', message: describe(err), ...location(err) });
  }
  if (loaded) {
    emit({ e: 'plan', names: tests.map((t) => t.name) });
    for (const t of tests) await runOne(t);
    emit({ e: 'done', total: tests.length });
  }
  // Timers or sockets the learner's code left behind must not keep the run alive; exit once the
  // learner's own output is flushed (a pipe may be asynchronous).
  process.stdout.write('', () => process.exit(0));
}
`;

export const PY_HARNESS = String.raw`# Fanout's test harness (written for this run; see src/core/lessons/code/harness.ts).
import asyncio
import importlib.util
import inspect
import json
import os
import sys
import traceback

_nonce = os.environ.pop('${NONCE_ENV}', '')
_out = sys.stdout
_marker = '${RESULT_MARKER_PREFIX}:' + _nonce
_tests = []


def _emit(record):
    _out.write(_marker + ' ' + json.dumps(record) + '\n')
    _out.flush()


def test(name, timeout=${DEFAULT_TEST_TIMEOUT_MS / 1000}):
    """Registers a test (a function or a coroutine function) with its own time limit in seconds."""
    def register(fn):
        _tests.append((name, fn, timeout))
        return fn
    return register


def _location(err):
    frames = traceback.extract_tb(err.__traceback__) if err.__traceback__ else []
    for frame in reversed(frames):
        if os.path.basename(frame.filename) == 'submission.py':
            return {'line': frame.lineno, 'column': 1}
    if isinstance(err, SyntaxError) and err.filename and os.path.basename(err.filename) == 'submission.py' and err.lineno:
        return {'line': err.lineno, 'column': err.offset or 1}
    return {}


def _describe(err):
    if isinstance(err, AssertionError) and str(err):
        return str(err)
    text = type(err).__name__ + (': ' + str(err) if str(err) else '')
    if isinstance(err, BaseExceptionGroup):
        text += ': ' + '; '.join(_describe(e) for e in err.exceptions[:3])
    return text


class _TestTimedOut(Exception):
    pass


def _run_one(name, fn, timeout):
    _emit({'e': 'start', 'name': name})
    try:
        if inspect.iscoroutinefunction(fn):
            async def bounded():
                try:
                    async with asyncio.timeout(timeout) as limit:
                        await fn()
                except TimeoutError:
                    if limit.expired():
                        raise _TestTimedOut() from None
                    raise
            asyncio.run(bounded())
        else:
            fn()
    except _TestTimedOut:
        _emit({'e': 'result', 'name': name, 'passed': False, 'message': 'Did not finish within %g s: something waits forever (an await that never returns, a timeout not applied?).' % timeout})
    except BaseException as err:  # a failure of any kind, even a stray CancelledError or SystemExit
        _emit({'e': 'result', 'name': name, 'passed': False, 'message': _describe(err), **_location(err)})
    else:
        _emit({'e': 'result', 'name': name, 'passed': True, 'message': 'Passed.'})


def main():
    path = os.path.abspath(sys.argv[1])
    sys.path.insert(0, os.path.dirname(path))
    try:
        spec = importlib.util.spec_from_file_location('fanout_exercise_tests', path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except BaseException as err:
        _emit({'e': 'load', 'message': _describe(err), **_location(err)})
        return
    _emit({'e': 'plan', 'names': [name for name, _, _ in _tests]})
    for name, fn, timeout in _tests:
        _run_one(name, fn, timeout)
    _emit({'e': 'done', 'total': len(_tests)})
`;

export const JS_MAIN = `import { runAll } from './harness.mjs';\nawait runAll(process.argv[2]);\n`;

export const PY_MAIN = `import sys\nimport fanout_harness\nfanout_harness.main()\nsys.stdout.flush()\nimport os\nos._exit(0)\n`;

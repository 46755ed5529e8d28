import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { createCpuRunner, type CpuRunner } from '../../../src/core/tools/cpu';
import { makeContext, rejection } from './helpers';

const job = (durationMs: number, signal?: AbortSignal) => makeContext('cpu', { durationMs }, signal);

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await work();
  return { ms: performance.now() - t0, value };
}

describe('cpu runner', () => {
  let cpu: CpuRunner;
  beforeEach(() => { cpu = createCpuRunner({ poolSize: 2 }); });
  afterEach(() => cpu.dispose());

  it('starts no worker until a cpu tool runs', async () => {
    assert.equal(cpu.workerCount, 0);
    const out = await cpu.run(job(20));
    assert.equal(cpu.workerCount, 1);
    assert.ok(typeof out === 'object' && out !== null && !Array.isArray(out));
    const { busyMs, waitMs, iterations } = out as { busyMs: number; waitMs: number; iterations: number };
    assert.ok(busyMs >= 20, `busyMs ${busyMs} should cover the requested 20 ms`);
    assert.ok(waitMs >= 0);
    assert.ok(iterations > 0);
  });

  it('runs two jobs truly in parallel on two workers', async function () {
    this.timeout(30000);
    await Promise.all([cpu.run(job(50)), cpu.run(job(50))]); // both workers started: startup is not measured
    assert.equal(cpu.workerCount, 2);
    // Each job busy-loops on the wall clock until its duration has passed, so two jobs run one
    // after the other cannot end before the sum of their durations: that is a hard bound, not a
    // guess about machine speed. Overlapping, they end near one duration; the margin below the
    // sum leaves a loaded machine 900 ms of scheduling delay before the check could fail.
    const pair = await timed(() => Promise.all([cpu.run(job(1000)), cpu.run(job(1000))]));
    assert.ok(pair.ms < 1900, `two 1000 ms jobs took ${pair.ms.toFixed(0)} ms: they ran one after the other (2000 ms or more)`);
  });

  it('queues jobs when every worker is busy, and reports the wait', async () => {
    const one = createCpuRunner({ poolSize: 1 });
    try {
      const contexts = [job(100), job(100), job(100)];
      const { ms, value } = await timed(() => Promise.all(contexts.map((c) => one.run(c))));
      assert.equal(value.length, 3);
      assert.equal(one.workerCount, 1);
      assert.ok(ms >= 300, `three queued 100 ms jobs on one worker finished in ${ms.toFixed(0)} ms`);
      const last = value[2] as { waitMs: number };
      assert.ok(last.waitMs >= 200, `the third job waited ${last.waitMs} ms behind two 100 ms jobs`);
      assert.match(contexts[2]!.lines.join('\n'), /worker threads are busy/);
      assert.doesNotMatch(contexts[0]!.lines.join('\n'), /busy;/);
    } finally {
      await one.dispose();
    }
  });

  it('keeps the caller’s event loop responsive during a job', async () => {
    let ticks = 0;
    const interval = setInterval(() => { ticks++; }, 10);
    try {
      await cpu.run(job(300));
    } finally {
      clearInterval(interval);
    }
    // ~30 expected; a busy loop on this thread would allow none.
    assert.ok(ticks >= 5, `only ${ticks} interval ticks during a 300 ms cpu job`);
  });

  it('terminates the worker on abort, rejects promptly with the reason, and replaces the worker lazily', async () => {
    const controller = new AbortController();
    const result = cpu.run(job(60_000, controller.signal));
    result.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(cpu.workerCount, 1);
    const reason = new Error('Timed out after 100 ms');
    const { ms, value: error } = await timed(() => { controller.abort(reason); return rejection(result); });
    assert.equal(error, reason);
    assert.ok(ms < 2000, `abort took ${ms.toFixed(0)} ms`);
    assert.equal(cpu.workerCount, 0);
    await cpu.run(job(10));
    assert.equal(cpu.workerCount, 1);
  });

  it('drops a queued job on abort without touching the running one', async () => {
    const one = createCpuRunner({ poolSize: 1 });
    try {
      const running = one.run(job(300));
      const controller = new AbortController();
      const queued = one.run(job(300, controller.signal));
      controller.abort(new Error('cancelled'));
      assert.equal((await rejection(queued)).message, 'cancelled');
      await running;
      assert.equal(one.workerCount, 1);
    } finally {
      await one.dispose();
    }
  });

  it('rejects bad durations with a clear message', async () => {
    assert.match((await rejection(cpu.run(makeContext('cpu', {})))).message, /args\.durationMs must be a number of milliseconds ≥ 0 \(got nothing\)/);
    assert.match((await rejection(cpu.run(makeContext('cpu', { durationMs: '100' })))).message, /got the string "100"/);
    assert.match((await rejection(cpu.run(makeContext('cpu', { durationMs: -1 })))).message, /≥ 0/);
    assert.match((await rejection(cpu.run(makeContext('cpu', { durationMs: 3e9 })))).message, /at most|the most/);
    assert.equal(cpu.workerCount, 0);
  });

  it('rejects at once when the signal is already aborted', async () => {
    assert.equal((await rejection(cpu.run(job(100, AbortSignal.abort(new Error('gone')))))).message, 'gone');
    assert.equal(cpu.workerCount, 0);
  });

  it('dispose() rejects running jobs, ends every worker, and refuses later jobs', async () => {
    const running = cpu.run(job(60_000));
    running.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    await cpu.dispose();
    assert.match((await rejection(running)).message, /shut down/);
    assert.equal(cpu.workerCount, 0);
    assert.match((await rejection(cpu.run(job(10)))).message, /shut down/);
  });

  describe('process exit', () => {
    const fixture = join(__dirname, 'fixtures', 'cpuExit.ts');
    const runFixture = (mode: string) => new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--require', 'tsx/cjs', fixture, mode], { timeout: 20000, cwd: join(__dirname, '..', '..', '..') },
        (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }));
    });

    it('lets the process exit after dispose(), even with a job still running', async function () {
      this.timeout(30000);
      const { code, stdout, stderr } = await runFixture('dispose-while-running');
      assert.equal(code, 0, stderr);
      assert.match(stdout, /long job: .*shut down/);
      assert.match(stdout, /done, 0 workers/);
    });

    it('does not keep the process alive with idle workers', async function () {
      this.timeout(30000);
      const { code, stdout, stderr } = await runFixture('idle');
      assert.equal(code, 0, stderr);
      assert.match(stdout, /done, 2 workers/);
    });
  });
});

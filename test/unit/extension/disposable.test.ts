import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Disposable, disposeAll } from '../../../src/extension/disposable';

const HOST = join(__dirname, '..', '..', '..', 'src', 'extension');

/** The host's sources (src/extension), relative path and text. */
function hostSources(): { readonly file: string; readonly text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (dir: string): void => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.ts')) out.push({ file: relative(HOST, p), text: readFileSync(p, 'utf8') });
    }
  };
  walk(HOST);
  return out;
}

class Owner extends Disposable {
  readonly log: string[] = [];
  add(name: string, fail = false): void {
    this.register({ dispose: () => {
      this.log.push(name);
      if (fail) throw new Error(`${name} failed`);
    } });
  }
  cleanup(name: string): void {
    this.onDispose(() => this.log.push(name));
  }
  get gone(): boolean {
    return this.isDisposed;
  }
}

describe('extension: Disposable base', () => {
  it('disposes what it owns newest first, once', () => {
    const o = new Owner();
    o.add('a');
    o.cleanup('b');
    o.add('c');
    o.dispose();
    o.dispose();
    assert.deepEqual(o.log, ['c', 'b', 'a']);
    assert.equal(o.gone, true);
  });

  it('disposes at once what is registered after dispose()', () => {
    const o = new Owner();
    o.dispose();
    o.add('late');
    assert.deepEqual(o.log, ['late']);
  });

  it('one that throws does not stop the rest; the first error is rethrown', () => {
    const o = new Owner();
    o.add('a');
    o.add('b', true);
    o.add('c', true);
    assert.throws(() => o.dispose(), /c failed/);
    assert.deepEqual(o.log, ['c', 'b', 'a']);
  });

  it('disposeAll is one disposable for many, newest first', () => {
    const log: string[] = [];
    const all = disposeAll([{ dispose: () => log.push('1') }, { dispose: () => log.push('2') }]);
    all.dispose();
    all.dispose();
    assert.deepEqual(log, ['2', '1']);
  });

  // Issue 11: "eleven hand-written dispose()s". A class method `dispose(): void {` anywhere but the
  // base means a feature wrote its own release loop again: extend Disposable and register() instead.
  it('no host class writes its own dispose() (they extend the Disposable base)', () => {
    const own = hostSources()
      .filter((s) => s.file !== 'disposable.ts')
      .flatMap((s) => s.text.split('\n').flatMap((line, i) => (/^\s+(?:public\s+|override\s+)?dispose\s*\(\s*\)\s*(?::\s*void\s*)?\{/.test(line) ? [`${s.file}:${i + 1}`] : [])));
    assert.deepEqual(own, [], `hand-written dispose() at ${own.join(', ')}`);
  });

  it('every register*() of a feature returns a vscode.Disposable (or a type extending it)', () => {
    const found: string[] = [];
    const bad: string[] = [];
    for (const s of hostSources()) {
      for (const m of s.text.matchAll(/export (?:async )?function (register\w*)\([^)]*\)\s*:\s*([\w.]+)/g)) {
        found.push(m[1]!);
        const type = m[2]!;
        const extendsDisposable = type === 'vscode.Disposable' || new RegExp(`interface ${type} extends [^{]*vscode\\.Disposable`).test(s.text);
        if (!extendsDisposable) bad.push(`${s.file}: ${m[1]}(): ${type}`);
      }
    }
    assert.ok(found.length >= 4, `found only ${found.join(', ')}`);
    assert.deepEqual(bad, []);
  });
});

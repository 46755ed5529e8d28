import { strict as assert } from 'node:assert';
import { Disposable, disposeAll } from '../../../src/extension/disposable';

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
});

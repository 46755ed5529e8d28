// Binary heaps: O(log n) push/pop, so dispatch stays O(log n) per event on 100k-tool plans.

/** A min-heap ordered by `compare` (negative = a first). */
export class Heap<T> {
  private readonly data: T[] = [];

  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.data.length;
  }

  peek(): T | undefined {
    return this.data[0];
  }

  items(): readonly T[] {
    return this.data;
  }

  push(x: T): void {
    const d = this.data;
    let i = d.length;
    d.push(x);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.compare(x, d[p]) >= 0) break;
      d[i] = d[p];
      i = p;
    }
    d[i] = x;
  }

  pop(): T | undefined {
    const d = this.data;
    if (d.length === 0) return undefined;
    const top = d[0];
    const last = d.pop() as T;
    if (d.length > 0) {
      const n = d.length;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && this.compare(d[r], d[l]) < 0 ? r : l;
        if (this.compare(d[c], last) >= 0) break;
        d[i] = d[c];
        i = c;
      }
      d[i] = last;
    }
    return top;
  }
}

/**
 * A min-heap of small integers (tool indices) ordered by a numeric key per integer, with ties
 * broken by the integer itself. Keys are read at comparison time, so they must not change while
 * an integer is in the heap.
 */
export class IntHeap {
  private data: Int32Array;
  private n = 0;

  constructor(private readonly key: ArrayLike<number>, capacity = 16) {
    this.data = new Int32Array(Math.max(4, capacity));
  }

  get size(): number {
    return this.n;
  }

  /** The top, or -1 when empty. */
  peek(): number {
    return this.n > 0 ? this.data[0] : -1;
  }

  private less(a: number, b: number): boolean {
    const ka = this.key[a];
    const kb = this.key[b];
    return ka < kb || (ka === kb && a < b);
  }

  push(x: number): void {
    if (this.n === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    const d = this.data;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(x, d[p])) break;
      d[i] = d[p];
      i = p;
    }
    d[i] = x;
  }

  /** Removes and returns the top, or -1 when empty. */
  pop(): number {
    if (this.n === 0) return -1;
    const d = this.data;
    const top = d[0];
    const last = d[--this.n];
    const n = this.n;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && this.less(d[r], d[l]) ? r : l;
        if (!this.less(d[c], last)) break;
        d[i] = d[c];
        i = c;
      }
      d[i] = last;
    }
    return top;
  }
}

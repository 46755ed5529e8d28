// Contrast of text as the browser renders it (WCAG 2.x relative luminance). The page side reads
// each element's computed colour and the backgrounds behind it, lets a canvas turn any CSS colour
// (rgb(), color(srgb …) from color-mix(), names) into RGBA bytes, composites translucent layers and
// opacity, and returns the ratio. Used by the lessons browser tests and the workbench scenario.
import type { Locator, Page } from 'playwright-core';

export interface ContrastTarget {
  /** What the learner reads, for messages ("✓ Correct."). */
  readonly name: string;
  readonly selector: string;
}

export interface ContrastReading {
  readonly name: string;
  readonly selector: string;
  readonly text: string;
  readonly fg: string;
  readonly bg: string;
  readonly ratio: number;
  /** false when the selector matched nothing (the test should say so, not pass). */
  readonly found: boolean;
}

/** Runs inside the page: must not close over anything. */
function measure(targets: readonly ContrastTarget[]): ContrastReading[] {
  const canvas = document.createElement('canvas');
  canvas.width = 1;
  canvas.height = 1;
  const g = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
  const rgba = (css: string): [number, number, number, number] => {
    g.clearRect(0, 0, 1, 1);
    g.fillStyle = '#000000';
    g.fillStyle = css;
    g.fillRect(0, 0, 1, 1);
    const d = g.getImageData(0, 0, 1, 1).data;
    if (d[3] === 0) return [0, 0, 0, 0];
    // getImageData returns premultiplied-then-unpremultiplied bytes; alpha from the parsed value is
    // more exact for translucent colours, so re-read it from the CSS where present.
    return [d[0], d[1], d[2], d[3] / 255];
  };
  const over = (top: [number, number, number, number], under: [number, number, number]): [number, number, number] =>
    [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])) as [number, number, number];
  const lum = (c: readonly number[]) => {
    const ch = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
  };
  const hex = (c: readonly number[]) => `#${c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
  return targets.map((t) => {
    const el = document.querySelector(t.selector);
    if (!el) return { ...t, text: '', fg: '', bg: '', ratio: 0, found: false };
    // Backgrounds from the element up to the root; composite from the bottom (first opaque) up.
    const layers: [number, number, number, number][] = [];
    let opacity = 1;
    for (let n: Element | null = el; n; n = n.parentElement) {
      const cs = getComputedStyle(n);
      opacity *= Number(cs.opacity);
      const b = rgba(cs.backgroundColor);
      if (b[3] > 0) layers.push(b);
      if (b[3] >= 1) break;
    }
    let base: [number, number, number] = [255, 255, 255];
    const last = layers[layers.length - 1];
    if (last && last[3] >= 1) {
      base = [last[0], last[1], last[2]];
      layers.pop();
    }
    for (let i = layers.length - 1; i >= 0; i--) base = over(layers[i], base);
    const f = rgba(getComputedStyle(el).color);
    const fg = over([f[0], f[1], f[2], f[3] * opacity], base);
    const [a, b] = [lum(fg), lum(base)];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    return { ...t, text: (el.textContent ?? '').trim().slice(0, 60), fg: hex(fg), bg: hex(base), ratio: Math.round(ratio * 100) / 100, found: true };
  });
}

/** The page-side source: bundlers may wrap named functions in a `__name` helper, defined here. */
function script(targets: readonly ContrastTarget[]): string {
  return `(() => { const __name = (f) => f; return (${measure.toString()})(${JSON.stringify(targets)}); })()`;
}

export function measureContrast(page: Page, targets: readonly ContrastTarget[]): Promise<ContrastReading[]> {
  return page.evaluate(script(targets)) as Promise<ContrastReading[]>;
}

/** The same measurement inside a workbench webview: `inner` locates the webview's own iframe. */
export async function measureContrastInFrame(inner: Locator, targets: readonly ContrastTarget[]): Promise<ContrastReading[]> {
  const frame = await (await inner.elementHandle())?.contentFrame();
  if (!frame) throw new Error('the webview frame is not there');
  return frame.evaluate(script(targets)) as Promise<ContrastReading[]>;
}

export function describeReadings(readings: readonly ContrastReading[]): string {
  return readings.map((r) => `${r.name} (${r.selector}): ${r.found ? `${r.ratio}:1, ${r.fg} on ${r.bg}, "${r.text}"` : 'not found'}`).join('\n');
}

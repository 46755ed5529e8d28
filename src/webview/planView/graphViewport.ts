// Zoom and pan for the graph: a transform on one <g> inside an SVG that fills the canvas. Mouse:
// drag or wheel to pan, Ctrl/⌘ + wheel (or a trackpad pinch) to zoom at the pointer. Keyboard on
// the focused canvas: + and − zoom, 0 fits, arrows pan. A plain wheel over a graph that has nowhere
// left to pan scrolls the page, so the graph never traps the reader.

export interface ViewState {
  readonly k: number;
  readonly tx: number;
  readonly ty: number;
}

export const MIN_ZOOM = 0.05;
export const MAX_ZOOM = 4;
const ZOOM_STEP = 1.25;
const DRAG_THRESHOLD_PX = 4;

export class Viewport {
  private k = 1;
  private tx = 0;
  private ty = 0;
  private contentW = 0;
  private contentH = 0;
  /** The SVG's size in CSS pixels, told by the owner (reading it back would force a layout). */
  private viewW = 0;
  private viewH = 0;
  /** The reader zoomed or panned: a resize keeps their view instead of refitting. */
  touched = false;
  private drag: { x: number; y: number; tx: number; ty: number; id: number; moved: boolean } | null = null;
  private swallowClick = false;

  constructor(
    private readonly svg: SVGSVGElement,
    private readonly world: SVGGElement,
    private readonly onChange: (s: ViewState) => void,
  ) {
    svg.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    svg.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    svg.addEventListener('pointermove', (e) => this.onPointerMove(e));
    svg.addEventListener('pointerup', (e) => this.onPointerUp(e));
    svg.addEventListener('pointercancel', (e) => this.onPointerUp(e));
    // A drag ends in a click on whatever is under the pointer: it must not reveal a tool.
    svg.addEventListener('click', (e) => {
      if (!this.swallowClick) return;
      this.swallowClick = false;
      e.stopPropagation();
      e.preventDefault();
    }, true);
  }

  get state(): ViewState {
    return { k: this.k, tx: this.tx, ty: this.ty };
  }

  setViewSize(width: number, height: number): void {
    this.viewW = width;
    this.viewH = height;
  }

  setContent(width: number, height: number): void {
    this.contentW = width;
    this.contentH = height;
  }

  /** The scale at which the whole content fits the viewport (never above `cap`). */
  fitScale(cap = 1): number {
    const { w, h } = this.size();
    if (this.contentW <= 0 || this.contentH <= 0 || w <= 0 || h <= 0) return cap;
    return Math.min(cap, w / this.contentW, h / this.contentH);
  }

  /** Whole graph in view, centred. */
  fit(): void {
    this.touched = false;
    this.show(Math.max(MIN_ZOOM, this.fitScale()));
  }

  /** Shows the content at scale k, centred where it fits, from its top-left corner where it does not. */
  show(k: number): void {
    this.k = clamp(k, MIN_ZOOM, MAX_ZOOM);
    this.tx = 0;
    this.ty = 0;
    this.apply();
  }

  /** Zooms by `factor` keeping the content point under (px, py) (viewport pixels) in place. */
  zoomBy(factor: number, px?: number, py?: number): void {
    const { w, h } = this.size();
    const cx = px ?? w / 2;
    const cy = py ?? h / 2;
    const k = clamp(this.k * factor, MIN_ZOOM, MAX_ZOOM);
    this.tx = cx - ((cx - this.tx) * k) / this.k;
    this.ty = cy - ((cy - this.ty) * k) / this.k;
    this.k = k;
    this.touched = true;
    this.apply();
  }

  /** Pans by (dx, dy) viewport pixels (content moves the other way); false when nothing moved. */
  panBy(dx: number, dy: number): boolean {
    const before = [this.tx, this.ty];
    this.tx -= dx;
    this.ty -= dy;
    this.apply();
    const moved = Math.abs(before[0] - this.tx) > 0.5 || Math.abs(before[1] - this.ty) > 0.5;
    if (moved) this.touched = true;
    return moved;
  }

  /** Keyboard: true when the key was one of ours. */
  handleKey(e: KeyboardEvent): boolean {
    if (e.altKey || e.ctrlKey || e.metaKey) return false;
    const { w, h } = this.size();
    const step = e.shiftKey ? 0.5 : 0.15;
    switch (e.key) {
      case '+': case '=': this.zoomBy(ZOOM_STEP); return true;
      case '-': case '_': case '−': this.zoomBy(1 / ZOOM_STEP); return true;
      case '0': this.fit(); return true;
      case 'ArrowLeft': this.panBy(-w * step, 0); return true;
      case 'ArrowRight': this.panBy(w * step, 0); return true;
      case 'ArrowUp': this.panBy(0, -h * step); return true;
      case 'ArrowDown': this.panBy(0, h * step); return true;
      default: return false;
    }
  }

  zoomIn(): void {
    this.zoomBy(ZOOM_STEP);
  }

  zoomOut(): void {
    this.zoomBy(1 / ZOOM_STEP);
  }

  private onWheel(e: WheelEvent): void {
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? this.size().h : 1;
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      const r = this.svg.getBoundingClientRect();
      this.zoomBy(Math.exp(-e.deltaY * unit * 0.0025), e.clientX - r.left, e.clientY - r.top);
      return;
    }
    const dx = (e.shiftKey ? e.deltaY : e.deltaX) * unit;
    const dy = (e.shiftKey ? 0 : e.deltaY) * unit;
    if (this.panBy(dx, dy)) e.preventDefault();
  }

  private onPointerDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    this.drag = { x: e.clientX, y: e.clientY, tx: this.tx, ty: this.ty, id: e.pointerId, moved: false };
  }

  private onPointerMove(e: PointerEvent): void {
    const d = this.drag;
    if (!d || d.id !== e.pointerId) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (!d.moved) {
      if (Math.hypot(dx, dy) < DRAG_THRESHOLD_PX) return;
      d.moved = true;
      this.svg.setPointerCapture(e.pointerId);
      this.svg.classList.add('fo-dragging');
    }
    this.tx = d.tx + dx;
    this.ty = d.ty + dy;
    this.touched = true;
    this.apply();
  }

  private onPointerUp(e: PointerEvent): void {
    const d = this.drag;
    if (!d || d.id !== e.pointerId) return;
    this.drag = null;
    if (d.moved) {
      this.swallowClick = true;
      this.svg.classList.remove('fo-dragging');
      if (this.svg.hasPointerCapture(e.pointerId)) this.svg.releasePointerCapture(e.pointerId);
      // No click follows a cancelled pointer: do not swallow the next real one.
      setTimeout(() => { this.swallowClick = false; }, 0);
    }
  }

  /** Centres the content on an axis where it fits; elsewhere keeps the viewport inside the content. */
  private apply(): void {
    const { w, h } = this.size();
    const cw = this.contentW * this.k;
    const ch = this.contentH * this.k;
    this.tx = cw <= w ? (w - cw) / 2 : clamp(this.tx, w - cw, 0);
    this.ty = ch <= h ? (h - ch) / 2 : clamp(this.ty, h - ch, 0);
    this.world.setAttribute('transform', `translate(${round(this.tx)} ${round(this.ty)}) scale(${round(this.k, 4)})`);
    this.onChange(this.state);
  }

  private size(): { w: number; h: number } {
    return { w: this.viewW, h: this.viewH };
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

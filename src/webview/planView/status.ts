// Words and glyphs for live statuses. Colour is never the only signal: each status has an icon
// and a word, for colour-blind users and screen readers.
import { LIVE_GLYPH } from '../../core/render/statusGlyphs';
import type { LiveStatus } from '../../protocol/planView';

const TEXT: Readonly<Record<LiveStatus, string>> = {
  pending: 'pending', queued: 'queued', approval: 'waiting for approval', running: 'running', retrying: 'retrying', succeeded: 'succeeded',
  failed: 'failed', 'timed-out': 'timed out', skipped: 'skipped', cancelled: 'cancelled', denied: 'denied',
};

const ICON: Readonly<Record<LiveStatus, string>> = LIVE_GLYPH;

export function statusText(s: LiveStatus): string {
  return TEXT[s] ?? s;
}

export function statusIcon(s: LiveStatus): string {
  return ICON[s] ?? '?';
}

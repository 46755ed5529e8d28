// What a tool's `writes` entry names, for comparing writers: `./notes.md`, `notes.md` and
// `docs/../notes.md` are one file, so they must be one resource to write-conflict (and to the
// lessons grader's mergedWrites), or spelling a path differently hides a race.

/** A scheme prefix (`https:`, `db:`, `s3:`): the entry is not a local path, so it is compared as written. */
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/**
 * The key two `writes` entries share when they name the same file: relative segments resolved the
 * way a POSIX filesystem does (`.` and empty segments dropped, `x/..` cancelled, a trailing slash
 * ignored; `..` above the start of a relative path kept, above `/` dropped). Case is kept: most
 * filesystems tell `Notes.md` from `notes.md`. Entries with a scheme are returned unchanged.
 */
export function writeTargetKey(entry: string): string {
  if (SCHEME.test(entry) || !entry.includes('/')) return entry;
  const absolute = entry.startsWith('/');
  const out: string[] = [];
  for (const seg of entry.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const joined = out.join('/');
  return absolute ? `/${joined}` : joined === '' ? '.' : joined;
}

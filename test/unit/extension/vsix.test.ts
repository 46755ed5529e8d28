// The VSIX as a user installs it (issue 11): `npm run package` works in a source tree with no git
// remote (scripts/package-vsix.mjs copies the tree without .git and packages it there), and the
// package holds what the extension needs and nothing else: no sources, tests, source maps,
// node_modules, build scripts or the CLI. Slow (a production build and vsce): about a minute.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
/** The VSIX today is ≈ 2 MB (Mermaid's 3.5 MB browser build compresses to ≈ 1 MB). */
const MAX_VSIX_BYTES = 3 * 1024 * 1024;

interface ZipEntry {
  readonly name: string;
  readonly size: number;
}

/** The entries of a zip file from its central directory (APPNOTE.TXT 4.3.12, 4.3.16). */
export function zipEntries(zip: Buffer): ZipEntry[] {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65_535); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, 'not a zip file: no end of central directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let k = 0; k < count; k++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, `central directory entry ${k} is malformed`);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    entries.push({ name: zip.toString('utf8', at + 46, at + 46 + nameLength), size });
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

describe('VSIX package', function () {
  this.timeout(600_000);
  let vsix = '';
  let names: string[] = [];
  before(() => {
    vsix = execFileSync(process.execPath, [join(ROOT, 'scripts', 'package-vsix.mjs')], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    names = zipEntries(readFileSync(vsix)).map((e) => e.name);
  });
  after(() => {
    if (vsix) rmSync(dirname(vsix), { recursive: true, force: true });
  });

  it('is built by `npm run package` in a source tree without git (no remote)', () => {
    assert.ok(statSync(vsix).size > 0);
    assert.ok(names.includes('extension.vsixmanifest'), names.slice(0, 5).join(' '));
  });

  it('holds the bundles, the webviews, media, the course, README, LICENSE and the manifest', () => {
    const needed = [
      'extension/package.json', 'extension/readme.md', 'extension/LICENSE.txt',
      'extension/dist/extension.js', 'extension/dist/engineHost.js', 'extension/dist/lessonsHost.js', 'extension/dist/auditHost.js', 'extension/dist/mcpHost.js',
      'extension/dist/toolplan.schema.json', 'extension/dist/webview/planView.js', 'extension/dist/webview/lessons.js', 'extension/dist/webview/mermaid.min.js',
      'extension/media/planView.css', 'extension/media/lessons.css', 'extension/lessons/course.yaml', 'extension/lessons/quiz.yaml',
      // Code exercises: starting files, hidden tests (TypeScript, JavaScript, Python).
      'extension/lessons/exercises/bounded-settle/start.ts', 'extension/lessons/exercises/bounded-settle/tests.mjs', 'extension/lessons/exercises/tool-result-messages/start.mjs', 'extension/lessons/exercises/bounded-taskgroup/tests.py',
    ];
    assert.deepEqual(needed.filter((n) => !names.includes(n)), []);
    assert.ok(names.some((n) => n.startsWith('extension/lessons/samples/') && n.endsWith('.toolplan.json')), 'the samples are packaged');
    assert.ok(names.some((n) => n.startsWith('extension/media/walkthrough/')), 'the walkthrough media are packaged');
    // Everything the manifest points at is in the package.
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };
    assert.ok(names.includes(`extension/${manifest.main.replace(/^\.\//, '')}`), manifest.main);
  });

  it('leaves out sources, tests, source maps, node_modules, scripts and the CLI', () => {
    // TypeScript under lessons/exercises/ is course content (a code exercise's starting file, solution, wrong ones), not source.
    const courseCode = (n: string) => /^extension\/lessons\/exercises\/[^/]+\/[^/]+\.ts$/.test(n);
    const unwanted = names.filter((n) => !courseCode(n) && /\.map$|\.tsx?$|^extension\/(src|test|node_modules|scripts|out|examples)\/|^extension\/dist\/(cli\.js|lib\/|bundles\.json|schema-gen\.cjs)|\.vsix$|^extension\/\.|tsconfig/.test(n));
    assert.deepEqual(unwanted, []);
  });

  it('holds every file the README links to, so its images and links work in the installed extension', () => {
    // vsce leaves the links relative (--no-rewrite-relative-links); VS Code resolves them inside the
    // installed extension. Folder links (examples/: the library's, not the extension's) are not files.
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1].split('#')[0])
      .filter((t) => t !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(t) && /\.[a-z0-9]+$/i.test(t));
    assert.ok(targets.length >= 5, `README links found: ${targets.join(' ')}`);
    assert.deepEqual([...new Set(targets)].filter((t) => !names.includes(`extension/${t.replace(/^\.\//, '')}`)), []);
  });

  it(`stays under ${MAX_VSIX_BYTES / 1048576} MB`, () => {
    const bytes = statSync(vsix).size;
    assert.ok(bytes < MAX_VSIX_BYTES, `the VSIX is ${(bytes / 1048576).toFixed(2)} MB`);
  });
});

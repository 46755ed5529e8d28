// Installs the VS Code test host (code-server, VS Code's own server + web workbench with the real
// extension host) into .test-host/, outside the product's package-lock.json: it is ~300 MB and a
// test tool, not a dependency. Idempotent: returns in milliseconds when the pinned version is there.
//
// Quirks (see ../shared/TESTING-IN-VSCODE.md): native modules need the Debian packages listed in
// scripts/ci-apt-packages.txt; its postinstall refuses root without npm_config_unsafe_perm; node-pty
// runs `npx node-gyp`, which npm_config_yes=false cancels; @vscode/ripgrep downloads rg from GitHub
// unless its cache already holds the tarball, so we seed it with Debian's rg.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, copyFileSync, mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CODE_SERVER_VERSION = '4.100.3';
export const HOST_DIR = process.env.FANOUT_TEST_HOST_DIR ?? join(ROOT, '.test-host');
export const CODE_SERVER_BIN = join(HOST_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const MARKER = join(HOST_DIR, 'installed.json');
// The ripgrep release @vscode/ripgrep 1.15.x fetches; the cache folder is named after its version.
const RG_CACHE_VERSIONS = ['1.15.11', '1.15.10', '1.15.9'];
const RG_TARBALL = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

export class HostSetupError extends Error {}

function readMarker() {
  try {
    return existsSync(MARKER) ? JSON.parse(readFileSync(MARKER, 'utf8')) : undefined;
  } catch {
    return undefined;
  }
}

/** True when the pinned code-server is installed, complete, and built for this Node. */
export function isInstalled() {
  const m = readMarker();
  // Native modules are built for one Node ABI: another Node needs them rebuilt.
  return existsSync(CODE_SERVER_BIN) && m?.version === CODE_SERVER_VERSION && m?.nodeAbi === process.versions.modules;
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function seedRipgrepCache(log) {
  const rg = which('rg');
  if (!rg) {
    throw new HostSetupError('ripgrep (rg) is not installed: code-server needs it and cannot download it here. ' +
      'Install the Debian packages in scripts/ci-apt-packages.txt (apt-get install ripgrep).');
  }
  if (process.arch !== 'x64') {
    log(`note: ${process.arch} is not x64; not seeding the ripgrep cache (@vscode/ripgrep will try to download)`);
    return;
  }
  const staging = mkdtempSync(join(tmpdir(), 'fanout-rg-'));
  try {
    copyFileSync(rg, join(staging, 'rg'));
    chmodSync(join(staging, 'rg'), 0o755);
    for (const v of RG_CACHE_VERSIONS) {
      const dir = join(tmpdir(), `vscode-ripgrep-cache-${v}`);
      const tarball = join(dir, RG_TARBALL);
      if (existsSync(tarball)) continue;
      mkdirSync(dir, { recursive: true });
      const r = spawnSync('tar', ['-czf', tarball, '-C', staging, 'rg'], { stdio: 'inherit' });
      if (r.status !== 0) throw new HostSetupError(`could not write the ripgrep cache ${tarball}`);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Installs code-server unless present. Throws HostSetupError with the reason when it cannot. */
export function install({ log = (m) => console.log(`vscode-test: ${m}`) } = {}) {
  if (isInstalled()) {
    log(`code-server ${CODE_SERVER_VERSION} already installed in ${HOST_DIR}`);
    return;
  }
  const started = Date.now();
  if (process.platform !== 'linux') {
    log(`note: the install quirks here are for Debian; on ${process.platform} prefer FANOUT_VSCODE_RUNNER=electron`);
  } else {
    seedRipgrepCache(log);
  }
  mkdirSync(HOST_DIR, { recursive: true });
  const pkg = join(HOST_DIR, 'package.json');
  if (!existsSync(pkg)) {
    writeFileSync(pkg, JSON.stringify({ name: 'fanout-test-host', private: true, description: 'VS Code test host for Fanout (not shipped)' }, null, 2) + '\n');
  }
  if (existsSync(join(HOST_DIR, 'node_modules'))) {
    // Another version, another Node ABI, or a broken install: start clean (code-server's own
    // postinstall builds a second tree in lib/vscode that `npm rebuild` does not reach).
    log('removing the previous test host install');
    rmSync(join(HOST_DIR, 'node_modules'), { recursive: true, force: true });
    rmSync(MARKER, { force: true });
  }
  log(`installing code-server@${CODE_SERVER_VERSION} into ${HOST_DIR} (1–4 minutes cold)…`);
  const npmArgs = ['install', '--no-audit', '--no-fund', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`];
  const r = spawnSync('npm', npmArgs, {
    cwd: HOST_DIR,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' },
  });
  if (r.error) throw new HostSetupError(`could not run npm: ${r.error.message}`);
  if (r.status !== 0 || !existsSync(CODE_SERVER_BIN)) {
    throw new HostSetupError(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${r.status}). ` +
      'It builds native modules: install the Debian packages in scripts/ci-apt-packages.txt ' +
      '(libkrb5-dev libxkbfile-dev libsecret-1-dev ripgrep) and make sure the npm registry is reachable.');
  }
  writeFileSync(MARKER, JSON.stringify({ version: CODE_SERVER_VERSION, nodeAbi: process.versions.modules, installedAt: new Date().toISOString() }) + '\n');
  log(`installed code-server ${CODE_SERVER_VERSION} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    install();
  } catch (e) {
    console.error(`vscode-test: cannot set up the VS Code test host: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLibOnce, ROOT } from './buildLib';

// The package as a user gets it (DESIGN §8): build the library, `npm pack` it, unpack the tarball
// into a fresh project's node_modules and use it through require() and import. The tarball is
// unpacked as npm would (tests reach no registry, and the package.json still lists the extension's
// dependencies); the library bundle needs none of them, which is what this proves.
const root = ROOT;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('library: the npm package', function () {
  this.timeout(180_000);
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fanout-pack-'));
    buildLibOnce();
    execFileSync(npm, ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: root, stdio: 'pipe' });
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    assert.ok(tgz, 'npm pack wrote a tarball');
    const project = join(dir, 'project');
    execFileSync('mkdir', ['-p', project]);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'agent', version: '1.0.0', private: true }));
    const target = join(project, 'node_modules', 'fanout');
    execFileSync('mkdir', ['-p', target]);
    execFileSync('tar', ['-xzf', join(dir, tgz), '-C', target, '--strip-components=1']);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const script = `
    const calls = fanout.fromOpenAI({ choices: [{ message: { role: 'assistant', tool_calls: [
      { id: 'call_1', type: 'function', function: { name: 'add', arguments: '{"a":2,"b":3}' } },
      { id: 'call_2', type: 'function', function: { name: 'nope', arguments: '{}' } } ] } }] });
    fanout.runToolCalls(calls, { add: async ({ a, b }) => a + b }, { maxConcurrency: 2 }).then((batch) => {
      console.log(JSON.stringify(fanout.toOpenAIToolMessages(batch)));
    });`;
  const expected = [
    { role: 'tool', tool_call_id: 'call_1', content: '5' },
    { role: 'tool', tool_call_id: 'call_2', content: 'Error: the tool nope failed: no handler for the tool "nope"; handlers are given for "add". Add "nope": async (args, { signal }) => … to the handlers.' },
  ];

  it('require("fanout") works from another project', () => {
    const out = execFileSync(process.execPath, ['-e', `const fanout = require('fanout');${script}`], { cwd: join(dir, 'project'), encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), expected);
  });

  it('import … from "fanout" works from another project', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', `import * as fanout from 'fanout';${script}`], { cwd: join(dir, 'project'), encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), expected);
  });

  it('ships type declarations and only the library', () => {
    const files = execFileSync('find', ['.', '-type', 'f'], { cwd: join(dir, 'project/node_modules/fanout'), encoding: 'utf8' }).split('\n').filter(Boolean);
    assert.ok(files.includes('./dist/lib/index.d.ts') && files.includes('./dist/lib/types/index.d.ts'), files.join(' '));
    assert.ok(files.every((f) => f.startsWith('./dist/lib/') || /^\.\/(package\.json|README\.md|LICENSE[^/]*|dist\/cli\.js)$/.test(f)), `unexpected files: ${files.filter((f) => !f.startsWith('./dist/lib/')).join(' ')}`);
  });
});

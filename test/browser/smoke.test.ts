import { strict as assert } from 'node:assert';
import { closeBrowser, openWebview } from './helpers/chromium';

describe('browser harness', () => {
  after(closeBrowser);

  it('runs a nonce script under the strict CSP and blocks an injected inline handler', async () => {
    const view = await openWebview({
      scripts: [],
      body: '<div id="x"><img src="x" onerror="document.body.dataset.pwned=\'1\'"></div>',
    });
    await view.page.evaluate(() => acquireVsCodeApi().postMessage({ type: 'ready' }));
    assert.deepEqual(await view.posted(), [{ type: 'ready' }]);
    assert.equal(await view.page.evaluate(() => document.body.dataset.pwned ?? null), null, 'inline handler must be blocked by the CSP');
    await view.page.close();
  });
});

declare function acquireVsCodeApi(): { postMessage(m: unknown): void };

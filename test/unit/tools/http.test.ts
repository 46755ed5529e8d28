import { strict as assert } from 'node:assert';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpRunner, httpRunner } from '../../../src/core/tools/http';
import { makeContext, rejection } from './helpers';

/** Bytes the /endless route may send before it gives up on its own (the test bound). */
const ENDLESS_LIMIT = 64 * 1024 * 1024;

describe('http runner', () => {
  let server: Server;
  let base: string;
  let hanging: ServerResponse[] = [];
  let requestArrived: (path: string) => void = () => undefined;
  let endlessSent = 0;

  function route(req: IncomingMessage, res: ServerResponse, body: string): void {
    const url = req.url ?? '/';
    requestArrived(url);
    switch (url) {
      case '/json':
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        return void res.end(JSON.stringify({ hello: 'world', n: [1, 2] }));
      case '/problem':
        res.writeHead(200, { 'content-type': 'application/problem+json' });
        return void res.end('{"title":"ok"}');
      case '/text':
        res.writeHead(200, { 'content-type': 'text/plain' });
        return void res.end('plain text\n');
      case '/bad-json':
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end('{oops');
      case '/echo':
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ method: req.method, contentType: req.headers['content-type'] ?? null, token: req.headers['x-token'] ?? null, body }));
      case '/missing':
        res.writeHead(404, { 'content-type': 'text/plain' });
        return void res.end('no such thing here');
      case '/broken':
        res.writeHead(500, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ error: 'database exploded' }));
      case '/hang':
        hanging.push(res); // never answers; closed by the test's teardown
        return;
      case '/slow-body':
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first part…');
        hanging.push(res);
        return;
      case '/endless': {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const chunk = Buffer.alloc(64 * 1024, 'x');
        const pump = (): void => {
          while (endlessSent < ENDLESS_LIMIT && !res.destroyed) {
            endlessSent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        return pump();
      }
      default:
        res.writeHead(404);
        res.end();
    }
  }

  before(async () => {
    server = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => route(req, res, Buffer.concat(parts).toString('utf8')));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(() => {
    for (const res of hanging) res.destroy();
    hanging = [];
    requestArrived = () => undefined;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const get = (args: Parameters<typeof makeContext>[1], signal?: AbortSignal) => httpRunner.run(makeContext('http', args, signal));

  describe('responses', () => {
    it('parses a JSON body (GET by default)', async () => {
      assert.deepEqual(await get({ url: `${base}/json` }), { hello: 'world', n: [1, 2] });
    });

    it('parses +json media types', async () => {
      assert.deepEqual(await get({ url: `${base}/problem` }), { title: 'ok' });
    });

    it('passes text through as text, logging the status', async () => {
      const ctx = makeContext('http', { url: `${base}/text` });
      assert.equal(await httpRunner.run(ctx), 'plain text\n');
      assert.match(ctx.lines.join('\n'), /GET .*\/text → 200/);
    });

    it('falls back to text when a JSON content-type carries invalid JSON', async () => {
      const ctx = makeContext('http', { url: `${base}/bad-json` });
      assert.equal(await httpRunner.run(ctx), '{oops');
      assert.match(ctx.lines.join('\n'), /does not parse/);
    });

    it('sends a JSON value as a JSON body with its content-type, and headers', async () => {
      const out = await get({ url: `${base}/echo`, method: 'post', headers: { 'x-token': 'abc' }, body: { a: 1, list: ['x'] } });
      assert.deepEqual(out, { method: 'POST', contentType: 'application/json', token: 'abc', body: '{"a":1,"list":["x"]}' });
    });

    it('sends a string body as is, keeping an explicit content-type', async () => {
      const out = await get({ url: `${base}/echo`, method: 'PUT', headers: { 'content-type': 'text/csv' }, body: 'a,b\n1,2' });
      assert.deepEqual(out, { method: 'PUT', contentType: 'text/csv', token: null, body: 'a,b\n1,2' });
    });
  });

  describe('failures', () => {
    it('fails on 404 with the status and a snippet of the body', async () => {
      const error = await rejection(get({ url: `${base}/missing` }));
      assert.match(error.message, /GET http:\/\/127\.0\.0\.1:\d+\/missing returned HTTP 404 Not Found: no such thing here/);
    });

    it('fails on 500 with the status and the body', async () => {
      const error = await rejection(get({ url: `${base}/broken` }));
      assert.match(error.message, /HTTP 500 Internal Server Error/);
      assert.match(error.message, /database exploded/);
    });

    it('names the network error when nothing listens', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const error = await rejection(get({ url: `http://127.0.0.1:${port}/` }));
      assert.match(error.message, /failed: .*ECONNREFUSED/);
    });
  });

  describe('arguments', () => {
    it('rejects a missing or non-string url', async () => {
      assert.match((await rejection(get({}))).message, /args\.url must be a non-empty string \(got nothing\)/);
      assert.match((await rejection(get({ url: 42 }))).message, /args\.url must be a non-empty string \(got number 42\)/);
      assert.match((await rejection(get({ url: ['http://x'] }))).message, /got an array/);
    });

    it('rejects text that is not an absolute URL', async () => {
      assert.match((await rejection(get({ url: 'example.com/api' }))).message, /not an absolute URL/);
    });

    it('allows only http: and https:', async () => {
      for (const url of ['file:///etc/passwd', 'ftp://example.com/x', 'javascript:alert(1)', 'data:text/plain,hi']) {
        assert.match((await rejection(get({ url }))).message, /only http: and https: URLs are allowed/, url);
      }
    });

    it('rejects credentials in the URL without echoing them', async () => {
      const error = await rejection(get({ url: `${base.replace('http://', 'http://user:s3cret@')}/json` }));
      assert.match(error.message, /must not contain a user name or password/);
      assert.doesNotMatch(error.message, /s3cret/);
    });

    it('treats a null body as no body', async () => {
      assert.deepEqual(await get({ url: `${base}/json`, body: null }), { hello: 'world', n: [1, 2] });
    });

    it('rejects a bad method, bad headers, and a body on GET', async () => {
      assert.match((await rejection(get({ url: `${base}/json`, method: 'GE T' }))).message, /is not an HTTP method/);
      assert.match((await rejection(get({ url: `${base}/json`, method: 7 }))).message, /args\.method must be a string/);
      assert.match((await rejection(get({ url: `${base}/json`, headers: ['a'] }))).message, /args\.headers must be an object/);
      assert.match((await rejection(get({ url: `${base}/json`, headers: { 'bad name': 'x' } }))).message, /invalid header/);
      assert.match((await rejection(get({ url: `${base}/json`, body: 'x' }))).message, /GET request cannot have a body/);
    });
  });

  describe('limits and cancellation', () => {
    it('aborts a request the server never answers, rejecting with the abort reason', async () => {
      const controller = new AbortController();
      const arrived = new Promise<void>((resolve) => { requestArrived = (p) => { if (p === '/hang') resolve(); }; });
      const result = get({ url: `${base}/hang` }, controller.signal);
      result.catch(() => undefined);
      await arrived;
      const reason = new Error('Timed out after 5000 ms');
      const t0 = performance.now();
      controller.abort(reason);
      assert.equal(await rejection(result), reason);
      assert.ok(performance.now() - t0 < 2000, 'the abort should take effect promptly');
    });

    it('aborts while the body is still arriving', async () => {
      const controller = new AbortController();
      const arrived = new Promise<void>((resolve) => { requestArrived = (p) => { if (p === '/slow-body') resolve(); }; });
      const result = get({ url: `${base}/slow-body` }, controller.signal);
      result.catch(() => undefined);
      await arrived;
      await new Promise((r) => setTimeout(r, 50));
      controller.abort(new Error('cancelled'));
      assert.equal((await rejection(result)).message, 'cancelled');
    });

    it('rejects at once when the signal is already aborted', async () => {
      assert.equal((await rejection(get({ url: `${base}/json` }, AbortSignal.abort(new Error('gone'))))).message, 'gone');
    });

    it('stops reading at the body cap (default 1 MiB) instead of downloading everything', async () => {
      endlessSent = 0;
      const ctx = makeContext('http', { url: `${base}/endless` });
      const out = await httpRunner.run(ctx);
      assert.equal(out, `${'x'.repeat(1024 * 1024)}\n…[truncated by fanout: the body passed the 1 MiB an http tool keeps; the rest was not downloaded]`);
      assert.match(ctx.lines.join('\n'), /truncated/);
      assert.ok(endlessSent < ENDLESS_LIMIT, `the server sent all ${endlessSent} bytes: the body was not cancelled`);
    });

    it('honours a smaller cap, and does not parse a truncated JSON body', async () => {
      const small = createHttpRunner({ maxBodyBytes: 10 });
      assert.equal(await small.run(makeContext('http', { url: `${base}/json` })), '{"hello":"\n…[truncated by fanout: the body passed the 10 B an http tool keeps; the rest was not downloaded]');
    });
  });
});

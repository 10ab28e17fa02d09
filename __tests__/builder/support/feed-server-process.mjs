/**
 * A local HTTP server of fixture feeds for the planet tests, run as its own process (so the build under test
 * cannot slow it down, nor it the build), on 127.0.0.1 only. Good feeds of each format carry an ETag and a
 * Last-Modified and answer 304 to matching conditional requests; there is also a malformed feed, a slow one,
 * a 404, a 64 MiB one and a hostile one. Control paths under /_test/ report the requests seen and how much of
 * the big feed was sent, and make a feed fail. Prints its origin on the first line of stdout.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/planet');
const LAST_MODIFIED = 'Wed, 05 Mar 2025 08:00:00 GMT';
const BIG_FEED_BYTES = 64 * 1024 * 1024; // as feed-server.ts

const STATIC = {
  '/ann.atom': { file: 'ann.atom.xml', type: 'application/atom+xml' },
  '/bob.rss': { file: 'bob.rss.xml', type: 'application/rss+xml; charset=utf-8' },
  '/cleo.json': { file: 'cleo.feed.json', type: 'application/feed+json' },
  '/mallory.rss': { file: 'mallory.rss.xml', type: 'application/rss+xml' },
  '/malformed.xml': { file: 'malformed.xml', type: 'application/xml' },
};

const requests = [];
const failing = new Set();
let bigBytesSent = 0;

const server = http.createServer((request, response) => {
  const url = request.url ?? '/';
  if (url.startsWith('/_test/')) return control(url, response);
  const record = (status) =>
    requests.push({
      path: url,
      status,
      ...(request.headers['user-agent'] ? { userAgent: request.headers['user-agent'] } : {}),
      ...(request.headers['if-none-match'] ? { ifNoneMatch: request.headers['if-none-match'] } : {}),
      ...(request.headers['if-modified-since'] ? { ifModifiedSince: request.headers['if-modified-since'] } : {}),
    });
  if (failing.has(url)) {
    record(500);
    response.writeHead(500).end('broken');
    return;
  }
  const fixture = STATIC[url];
  if (fixture) {
    const body = readFileSync(path.join(FIXTURES, fixture.file));
    const etag = `"${url.slice(1)}-v1"`;
    if (request.headers['if-none-match'] === etag || request.headers['if-modified-since'] === LAST_MODIFIED) {
      record(304);
      response.writeHead(304, { etag, 'last-modified': LAST_MODIFIED }).end();
      return;
    }
    record(200);
    response.writeHead(200, { 'content-type': fixture.type, etag, 'last-modified': LAST_MODIFIED }).end(body);
    return;
  }
  if (url === '/slow.xml') {
    record(200);
    // Answers long after any sane timeout.
    const timer = setTimeout(() => response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(readFileSync(path.join(FIXTURES, 'bob.rss.xml'))), 60_000);
    request.on('close', () => clearTimeout(timer));
    return;
  }
  if (url === '/big.xml') {
    record(200);
    // 64 MiB, chunked (no Content-Length), so that only the size cap on the body can stop it.
    response.writeHead(200, { 'content-type': 'application/rss+xml' });
    response.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>');
    const chunk = Buffer.from(`<item><title>x</title><link>https://big.example/</link><description>${'y'.repeat(64 * 1024 - 100)}</description></item>`);
    let sent = 0;
    const pump = () => {
      while (sent < BIG_FEED_BYTES && !response.destroyed) {
        sent += chunk.length;
        bigBytesSent += chunk.length;
        if (!response.write(chunk)) {
          response.once('drain', pump);
          return;
        }
      }
      if (!response.destroyed) response.end('</channel></rss>');
    };
    response.on('close', () => response.removeAllListeners('drain'));
    pump();
    return;
  }
  record(404);
  response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
});

function control(url, response) {
  const [, , action, ...rest] = url.split('/');
  const feed = `/${rest.join('/')}`;
  if (action === 'state') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ requests, bigBytesSent }));
    return;
  }
  if (action === 'fail') failing.add(feed);
  else if (action === 'heal') failing.delete(feed);
  else {
    response.writeHead(400).end();
    return;
  }
  response.writeHead(204).end();
}

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => process.exit(0));

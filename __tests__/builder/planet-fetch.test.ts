/** Fetching feeds: the size cap on a declared length, charsets, refreshMinutes (real HTTP on 127.0.0.1). */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gatherFeeds } from '../../lib/builder/load/planet/gather-feeds.js';
import { decodeBody, fetchFeed } from '../../lib/builder/load/planet/fetch-feed.js';
import { parsePlanetConfig } from '../../lib/builder/load/planet/planet-config.js';
import { startFeedServer, type FeedServer } from './support/feed-server.js';
import { tempDir } from './support/temp-site.js';

let feeds: FeedServer;
let declared: http.Server;
let declaredUrl: string;
let bodyBytesWritten = 0;

beforeAll(async () => {
  feeds = await startFeedServer();
  // Declares a 40 MB body and then sends it slowly: the cap must refuse it from the header alone.
  declared = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': String(40 * 1024 * 1024) });
    const timer = setInterval(() => {
      bodyBytesWritten += 1024;
      response.write(Buffer.alloc(1024, 32));
    }, 20);
    response.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => declared.listen(0, '127.0.0.1', resolve));
  declaredUrl = `http://127.0.0.1:${(declared.address() as AddressInfo).port}/feed.xml`;
});

afterAll(async () => {
  await feeds.close();
  declared.closeAllConnections();
  await new Promise<void>((resolve) => declared.close(() => resolve()));
});

describe('fetching a feed', () => {
  it('refuses a body whose declared length passes the cap without reading it', async () => {
    await expect(fetchFeed(declaredUrl, { timeoutMs: 5000, maxBytes: 1024 * 1024 })).rejects.toThrow('larger than 1024 KiB (planet.maxFeedKb)');
    expect(bodyBytesWritten).toBeLessThan(1024 * 1024);
  });

  it('decodes the charset the response or the XML declaration names', () => {
    const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><title>Caf\xe9</title></channel></rss>', 'latin1');
    expect(decodeBody(latin1, 'application/rss+xml')).toContain('<title>Café</title>');
    expect(decodeBody(Buffer.from('Café'), 'text/xml; charset=utf-8')).toBe('Café');
    expect(decodeBody(Buffer.from('Café'), 'text/xml; charset=no-such-charset')).toBe('Café');
  });

  it('does not ask a feed again within refreshMinutes, and does after', async () => {
    const cacheFile = path.join(await tempDir('fleuron-planet-fetch-'), 'planet-feeds.json');
    const config = parsePlanetConfig({ refreshMinutes: 30, feeds: [{ url: `${feeds.origin}/cleo.json`, name: 'Cleo' }] }, 'fleuron.yaml')!;
    let now = Date.parse('2025-03-10T12:00:00Z');
    const gather = () => gatherFeeds({ config, cacheFile, offline: false, warn: (line) => { throw new Error(line); }, now: () => now });
    const asked = async () => (await feeds.state()).requests.filter((request) => request.path === '/cleo.json').length;
    const before = await asked();
    expect((await gather())[0]).toMatchObject({ status: 'fetched', entries: [{ title: 'JSON three <not a tag>' }, { title: 'JSON one' }] });
    now += 29 * 60_000;
    expect((await gather())[0]).toMatchObject({ status: 'recent', entries: [{}, {}] });
    expect(await asked()).toBe(before + 1);
    now += 2 * 60_000;
    expect((await gather())[0]).toMatchObject({ status: 'not-modified', entries: [{}, {}] });
    expect(await asked()).toBe(before + 2);
  });
});

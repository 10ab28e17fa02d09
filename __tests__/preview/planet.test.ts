/** `fleuron preview` serves the planet; rebuilds on change use the feed cache and ask no feed again. */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { startPreview, type Preview } from '../../lib/preview/index.js';
import { startFeedServer, type FeedServer } from '../builder/support/feed-server.js';
import { writeSite } from '../builder/support/temp-site.js';
import { fetchRaw, tempFolder } from './support/http.js';

let root: string;
let server: FeedServer;
let preview: Preview;

beforeAll(async () => {
  server = await startFeedServer();
  root = await tempFolder();
  const sourceDir = await writeSite({
    'index.md': '# Home\n',
    'fleuron.yaml': `title: Ruche\nlanguage: fr\nplanet:\n  path: blogs/\n  feeds:\n    - { url: ${server.origin}/bob.rss, name: Bob }\n`,
  }, path.join(root, 'src'));
  preview = await startPreview({ sourceDir, outDir: path.join(root, 'preview'), cacheDir: path.join(root, 'cache'), port: 0, reload: false, watch: false });
});

afterAll(async () => {
  await preview?.close();
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

describe('fleuron preview with a planet', () => {
  it('serves the planet at its folder, in the site language, and rebuilds without fetching', async () => {
    const page = await fetchRaw(preview.url, '/blogs/');
    expect(page.status).toBe(200);
    const html = page.body.toString();
    expect(html).toContain('<h1>Planète</h1>');
    expect(html).toContain('<a href="https://bob.example/four" rel="nofollow ugc noopener">RSS four</a>');
    expect((await fetchRaw(preview.url, '/blogs/members/')).body.toString()).toContain('<h1>Membres</h1>');
    expect((await fetchRaw(preview.url, '/blogs/subscriptions.opml')).headers['content-type']).toBe('text/x-opml; charset=utf-8');
    const requests = (await server.state()).requests.length;
    const rebuilt = await preview.rebuild();
    expect(rebuilt.ok).toBe(true);
    expect((await server.state()).requests.length).toBe(requests);
  });
});

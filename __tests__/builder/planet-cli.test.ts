/** The planet as a user gets it: `fleuron build` in a child process, feeds from a local server on 127.0.0.1. */
import path from 'node:path';
import { runCli } from '../support/run-cli.js';
import { startFeedServer, type FeedServer } from './support/feed-server.js';
import { readTree, tempDir, writeSite } from './support/temp-site.js';

let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(async () => {
  await server.close();
});

const planetOf = (tree: Map<string, Buffer>) => new Map([...tree].filter(([name]) => name.startsWith('planet/')));

describe('fleuron build with a planet', () => {
  it('builds the planet, warns once about a missing feed, rebuilds conditionally, and builds --offline without a request', async () => {
    const cwd = await tempDir('fleuron-planet-cli-');
    const o = server.origin;
    await writeSite({
      'index.md': '# Home\n',
      'fleuron.yaml': `title: Ruche\nbaseUrl: https://ruche.example/\nplanet:\n  path: planet/\n  feeds:\n    - { url: ${o}/ann.atom, name: Ann }\n    - { url: ${o}/cleo.json, name: Cleo }\n    - { url: ${o}/gone.xml, name: Gone }\n`,
    }, path.join(cwd, 'site-src'));

    const first = await runCli(['build'], { cwd });
    expect({ code: first.code, stderr: first.stderr }).toEqual({
      code: 0,
      stderr: `warning: planet: the feed of Gone (${o}/gone.xml): HTTP 404 Not Found — it has no entries yet\n`,
    });
    expect(first.stdout).toContain('1 warning(s)');
    const built = await readTree(path.join(cwd, 'public'));
    expect(built.get('planet/index.html')!.toString()).toContain('>Atom five</a>');
    expect([...planetOf(built).keys()]).toEqual(['planet/feed.xml', 'planet/index.html', 'planet/members/index.html', 'planet/subscriptions.opml']);

    const before = (await server.state()).requests.length;
    const second = await runCli(['build'], { cwd });
    expect(second.code).toBe(0);
    const round = (await server.state()).requests.slice(before);
    expect(round.filter((request) => request.status === 304).map((request) => request.path).sort()).toEqual(['/ann.atom', '/cleo.json']);
    expect(planetOf(await readTree(path.join(cwd, 'public')))).toEqual(planetOf(built));

    const requests = (await server.state()).requests.length;
    const offline = await runCli(['build', '--offline'], { cwd });
    expect(offline.code).toBe(0);
    expect(offline.stderr).toBe(`warning: planet: the feed of Gone (${o}/gone.xml): not in the cache, and this is an offline build — build once without --offline\n`);
    expect((await server.state()).requests.length).toBe(requests);
    expect(planetOf(await readTree(path.join(cwd, 'public')))).toEqual(planetOf(built));
  });

  it('exits 2 with one line on a mistyped planet key', async () => {
    const cwd = await tempDir('fleuron-planet-cli-');
    await writeSite({ 'index.md': 'x', 'fleuron.yaml': 'planet:\n  path: planet/\n  feed: []\n' }, path.join(cwd, 'site-src'));
    const result = await runCli(['build'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`fleuron: ${path.join(cwd, 'site-src', 'fleuron.yaml')}: planet: unknown key "feed" — did you mean "feeds"?\n`);
  });
});

/** Keep replaced files, list deploys, roll back (and roll back the rollback), end to end on the test server. */
import { createHash } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pruneExpired } from '../../lib/archive/archive.js';
import { cliEnv, createTestBucket, headObject, listBucket, testClient } from '../support/test-s3.js';
import { jsonSummary, makeFolder, runCli } from '../support/run-cli.js';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const siteKeys = async (bucket: string) => new Map([...(await listBucket(bucket))].filter(([key]) => !key.startsWith('.fleuron/')).map(([key, object]) => [key, object.etag]));

describe('archive, history and rollback', () => {
  let site: string;
  let archive: string;
  let project: string;
  let dir: string;
  const ids: string[] = [];

  const publish = async () => {
    const result = await runCli(['publish', dir, '--json'], { cwd: project, env: cliEnv(site) });
    expect(result.code).toBe(0);
    return jsonSummary(result) as ReturnType<typeof jsonSummary> & { deployId?: string };
  };

  beforeAll(async () => {
    site = await createTestBucket('site');
    archive = await createTestBucket('archive');
    project = await makeFolder({ 'fleuron.yaml': `publish:\n  archive:\n    bucket: ${archive}\n    retentionDays: 30\n` });
    dir = await makeFolder({ 'index.html': 'v1 home', 'old.html': 'v1 old', 'style.css': 'v1 css' });
  });

  test('each changing publish is a deploy; the versions it replaces or deletes are archived server-side', async () => {
    const first = await publish();
    expect(first.deployId).toMatch(/^\d{8}T\d{9}Z-[0-9a-f]{4}$/);
    ids.push(first.deployId!);
    await writeFile(path.join(dir, 'index.html'), 'v2 home');
    await rm(path.join(dir, 'old.html'));
    await writeFile(path.join(dir, 'new.html'), 'v2 new');
    const second = await publish();
    ids.push(second.deployId!);
    expect(second.requests.byOperation.CopyObject).toBe(2); // index.html and old.html into the archive
    const archived = await listBucket(archive);
    expect(archived.get(`fleuron/${second.deployId}/index.html`)?.etag).toBe(md5('v1 home'));
    expect(archived.get(`fleuron/${second.deployId}/old.html`)?.etag).toBe(md5('v1 old'));
    expect(archived.has(`fleuron/${second.deployId}.deploy.json`)).toBe(true);
    // a deleted page is gone from the website bucket
    expect((await siteKeys(site)).has('old.html')).toBe(false);
  });

  test('a no-op publish is not a deploy', async () => {
    const again = await publish();
    expect(again.deployId).toBeUndefined();
    expect(again.requests.byOperation.CopyObject ?? 0).toBe(0);
  });

  test('fleuron history lists the deploys, newest first', async () => {
    const result = await runCli(['history', '--dir', dir], { cwd: project, env: cliEnv(site) });
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${ids[1]}  .*2 uploaded, 0 headers updated, 1 deleted`));
    expect(lines[1]).toMatch(new RegExp(`^${ids[0]}  .*3 uploaded`));
  });

  test('rollback restores the state before a deploy, headers included, and is itself undoable', async () => {
    const before = await siteKeys(site);
    const dry = await runCli(['rollback', ids[1]!, '--dry-run', '--dir', dir], { cwd: project, env: cliEnv(site) });
    expect(dry.stdout).toMatch(/restore  index\.html/);
    expect(dry.stdout).toMatch(/delete   new\.html/);
    expect(await siteKeys(site)).toEqual(before);

    const result = await runCli(['rollback', ids[1]!, '--json', '--dir', dir], { cwd: project, env: cliEnv(site) });
    expect(result.code).toBe(0);
    const outcome = JSON.parse(result.stdout) as { deployId: string; restored: number; deleted: number };
    expect(outcome).toMatchObject({ restored: 2, deleted: 1 });
    const restored = await siteKeys(site);
    expect(restored).toEqual(new Map([['index.html', md5('v1 home')], ['old.html', md5('v1 old')], ['style.css', md5('v1 css')]]));
    expect((await headObject(site, 'old.html')).ContentType).toBe('text/html; charset=utf-8');

    const undo = await runCli(['rollback', outcome.deployId, '--dir', dir], { cwd: project, env: cliEnv(site) });
    expect(undo.code).toBe(0);
    expect(await siteKeys(site)).toEqual(before);
  });

  test('the next publish from the folder converges, re-checking restored headers without re-uploading', async () => {
    await runCli(['rollback', ids[1]!, '--dir', dir], { cwd: project, env: cliEnv(site) });
    const summary = await publish();
    expect(await siteKeys(site)).toEqual(new Map([['index.html', md5('v2 home')], ['new.html', md5('v2 new')], ['style.css', md5('v1 css')]]));
    expect(summary.uploaded).toBe(2);
  });

  test('an unknown deploy id is a usage error naming the way to list them', async () => {
    const result = await runCli(['rollback', '20200101T000000Z-0000', '--dir', dir], { cwd: project, env: cliEnv(site) });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/there is no deploy 20200101T000000Z-0000 .* — list deploys with: fleuron history/);
  });

  test('the archive cannot be the website bucket', async () => {
    const same = await makeFolder({ 'fleuron.yaml': `publish:\n  archive:\n    bucket: ${site}\n` });
    const result = await runCli(['publish', dir], { cwd: same, env: cliEnv(site) });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/the archive bucket must not be the website bucket/);
  });

  test('expired deploys are pruned whole (archived objects, then the record) and younger ones are kept', async () => {
    const client = testClient();
    const settings = { bucket: archive, retentionDays: 30 };
    const day = 86_400_000;
    const records = (listing: Map<string, unknown>) => [...listing.keys()].filter((key) => key.endsWith('.deploy.json'));
    const before = await listBucket(archive);
    expect(records(before).length).toBeGreaterThanOrEqual(3);
    expect(await pruneExpired(client, settings, new Date(Date.now() + 29 * day))).toBe(0);
    expect((await listBucket(archive)).size).toBe(before.size);
    expect(await pruneExpired(client, settings, new Date(Date.now() + 31 * day))).toBe(records(before).length);
    expect((await listBucket(archive)).size).toBe(0);
    const history = await runCli(['history', '--dir', dir], { cwd: project, env: cliEnv(site) });
    expect(history.code).toBe(0);
    expect(history.stdout).not.toMatch(/\d{8}T\d{6,9}Z-/);
  });
});

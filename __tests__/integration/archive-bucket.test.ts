/** The archive bucket must hold fleuron's archives only: refused otherwise, before anything changes. */
import { GetBucketLifecycleConfigurationCommand, PutBucketLifecycleConfigurationCommand, PutBucketWebsiteCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ARCHIVE_FOLDER } from '../../lib/archive/archive.js';
import { cliEnv, createTestBucket, listBucket, testClient } from '../support/test-s3.js';
import { jsonSummary, makeFolder, runCli } from '../support/run-cli.js';

const projectFor = (archive: string) => makeFolder({ 'fleuron.yaml': `publish:\n  archive:\n    bucket: ${archive}\n` });

describe('the archive bucket', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeFolder({ 'index.html': 'home', 'a.html': 'a' });
  });

  test('one holding another site is refused (exit 2), and nothing changes in either bucket', async () => {
    const site = await createTestBucket('site');
    const other = await createTestBucket('othersite');
    const client = testClient();
    await client.send(new PutObjectCommand({ Bucket: other, Key: 'index.html', Body: 'their home', ContentType: 'text/html' }));
    client.destroy();
    const result = await runCli(['publish', dir, '--json'], { cwd: await projectFor(other), env: cliEnv(site) });
    expect(result.code).toBe(2);
    expect(jsonSummary(result).error?.message).toMatch(new RegExp(`archive bucket "${other}" holds objects fleuron did not write \\(such as "index.html"\\)`));
    expect(result.stderr.trim().split('\n').filter((line) => line.startsWith('fleuron:'))).toHaveLength(1);
    expect([...(await listBucket(other)).keys()]).toEqual(['index.html']);
    expect((await listBucket(site)).size).toBe(0);
  });

  test('one with website hosting is refused (exit 2)', async () => {
    const site = await createTestBucket('site');
    const other = await createTestBucket('webarchive');
    const client = testClient();
    await client.send(new PutBucketWebsiteCommand({ Bucket: other, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } } }));
    client.destroy();
    const result = await runCli(['publish', dir], { cwd: await projectFor(other), env: cliEnv(site) });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`archive bucket "${other}" is served as a website`));
    expect((await listBucket(site)).size).toBe(0);
    expect((await listBucket(other)).size).toBe(0);
  });

  test('the site bucket itself is refused, also through FLEURON_ARCHIVE_BUCKET', async () => {
    const site = await createTestBucket('site');
    const result = await runCli(['publish', dir], { env: cliEnv(site, { FLEURON_ARCHIVE_BUCKET: site }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/the archive bucket must not be the website bucket/);
    expect((await listBucket(site)).size).toBe(0);
  });

  test("an archive of fleuron's own is used; its expiry rule covers fleuron's folder only, other rules kept", async () => {
    const site = await createTestBucket('site');
    const archive = await createTestBucket('archive');
    const client = testClient();
    const lifecycle = await client
      .send(new PutBucketLifecycleConfigurationCommand({ Bucket: archive, LifecycleConfiguration: { Rules: [{ ID: 'theirs', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 3 } }] } }))
      .then(() => true, () => false); // s3rver has no lifecycle configuration: fleuron prunes instead
    const project = await projectFor(archive);
    expect((await runCli(['publish', dir], { cwd: project, env: cliEnv(site) })).code).toBe(0);
    expect((await runCli(['publish', await makeFolder({ 'index.html': 'home 2' }), '--max-deletes', '5'], { cwd: project, env: cliEnv(site) })).code).toBe(0);
    const keys = [...(await listBucket(archive)).keys()];
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((key) => key.startsWith(ARCHIVE_FOLDER))).toBe(true);
    if (lifecycle) {
      const rules = (await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: archive }))).Rules ?? [];
      expect(rules.find((rule) => rule.ID === 'theirs')).toBeDefined();
      const ours = rules.filter((rule) => rule.ID !== 'theirs');
      expect(ours).toHaveLength(1);
      expect(ours[0]!.Filter?.Prefix ?? ours[0]!.Filter?.And?.Prefix).toBe(ARCHIVE_FOLDER);
    }
    client.destroy();
  });
});

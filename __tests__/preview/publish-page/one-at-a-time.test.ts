/**
 * One publish at a time: a second press while the page's publish runs is refused (409, nothing
 * started), the status page refreshes itself until the summary; and the bucket's advisory lock still
 * stops the page when another machine is publishing. `fleuron preview` as a child process.
 */
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { PublishLock } from '../../../lib/publish/publish-lock.js';
import { makeFolder } from '../../support/run-cli.js';
import { startPreviewProcess, type PreviewProcess } from '../../support/preview-process.js';
import { createTestBucket, listBucket, testClient, testS3 } from '../../support/test-s3.js';
import { fetchRaw, waitFor } from '../support/http.js';
import { PAGE, postAsPage, tokenOf } from './support/page-form.js';
import { S3Requests } from '../../../lib/s3/s3-requests.js';

const s3 = testS3();

describe('the publish page runs one publish at a time', () => {
  let project: string;
  let bucket: string;
  let preview: PreviewProcess;
  let token: string;

  const page = async (target = PAGE) => (await fetchRaw(preview.url, target)).body.toString();
  const press = async () => {
    const version = /name="version" value="(\d+)"/.exec(await page())![1]!;
    return postAsPage(preview, 'publish', { token, version });
  };

  beforeAll(async () => {
    bucket = await createTestBucket('once');
    // 24 kB at 8 kB/s: the publish runs for about three seconds.
    project = await makeFolder({
      'site-src/index.md': '# Accueil\n',
      'site-src/donnees.bin': randomBytes(24 * 1024),
      'site-src/fleuron.yaml': 'title: Essai\npublish:\n  bandwidth: 8K\n',
      '.env': `AWS_ENDPOINT_URL=${s3.endpoint}\nAWS_REGION=${s3.region}\nFLEURON_BUCKET=${bucket}\nAWS_ACCESS_KEY_ID=${s3.accessKeyId}\nAWS_SECRET_ACCESS_KEY=${s3.secretAccessKey}\n`,
    });
    preview = await startPreviewProcess(['site-src', '--port', '0', '--no-watch'], { cwd: project });
    token = tokenOf(await page());
  }, 90000);

  afterAll(async () => {
    await preview?.stop();
    if (project) await rm(project, { recursive: true, force: true });
  });

  it('refuses a Publish pressed on a plan older than the build served now (409, nothing published)', async () => {
    const response = await postAsPage(preview, 'publish', { token, version: '999' });
    expect(response.status).toBe(409);
    expect(response.body.toString()).toContain('the site was rebuilt since this plan was shown');
    expect((await listBucket(bucket)).size).toBe(0);
  });

  it('refuses a second press while the first publish runs, and follows the first to its summary', async () => {
    const version = /name="version" value="(\d+)"/.exec(await page())![1]!;
    const post = () => postAsPage(preview, 'publish', { token, version });
    const [first, second] = await Promise.all([post(), post()]);
    expect([first.status, second.status].sort()).toEqual([303, 409]);
    const refused = first.status === 409 ? first : second;
    expect(refused.body.toString()).toContain('a publish is already running');
    const running = await page(`${PAGE}status`);
    expect(running).toContain('<meta http-equiv="refresh" content="1">');
    expect(running).toContain('<h1>Publishing</h1>');
    // While it runs, the main page shows no plan and no button, only the way to the progress.
    expect(await page()).toContain('A publish is running');
    await waitFor('the summary', async () => (await page(`${PAGE}status`)).includes('<h1>Published</h1>'), 30000);
    const done = await page(`${PAGE}status`);
    expect(done).not.toContain('http-equiv="refresh"');
    expect(done).toMatch(/Published s3:\/\/[^:]+: \d+ uploaded/);
    expect((await listBucket(bucket)).has('donnees.bin')).toBe(true);
  });

  it('the advisory lock still applies: another machine’s publish stops the page’s, which says so', async () => {
    // A page removed from the bucket by hand gives the page something to publish again.
    const client = testClient();
    // Another publish holds the lock: taken by the library's own lock, from this (live) test process.
    const other = new PublishLock(S3Requests.over(client), bucket, '');
    try {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'index.html' }));
      expect(await other.acquire()).toBeUndefined();
      const before = await listBucket(bucket);
      expect(await page()).toContain('another publish is running');
      expect((await press()).status).toBe(303);
      await waitFor('the failure', async () => (await page(`${PAGE}status`)).includes('<h1>Publishing failed</h1>'), 30000);
      expect(await page(`${PAGE}status`)).toContain('is running');
      expect(await listBucket(bucket)).toEqual(before);
    } finally {
      await other.release();
      client.destroy();
    }
  });
});

/**
 * The empty-folder refusal is shown before the button: the page's handler over a built folder that is
 * empty while the bucket holds a site (in-process; the target resolved as `fleuron publish` does).
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { checkTarget } from '../../../lib/cli/publish-target.js';
import { resolvePublishSettings } from '../../../lib/config/publish-settings.js';
import { createPublishPage } from '../../../lib/preview/publish-page/publish-page.js';
import { makeFolder } from '../../support/run-cli.js';
import { createTestBucket, listBucket, testClient, testS3 } from '../../support/test-s3.js';
import { fetchRaw } from '../support/http.js';

describe('the publish page over an empty build', () => {
  let root: string;
  let bucket: string;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const s3 = testS3();
    bucket = await createTestBucket('empty');
    const client = testClient();
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'index.html', Body: 'the live site', ContentType: 'text/html' }));
    client.destroy();
    root = await makeFolder({ 'src/index.md': '# Accueil\n' });
    await mkdir(path.join(root, 'built'));
    const dotEnv = { AWS_ENDPOINT_URL: s3.endpoint, AWS_REGION: s3.region, FLEURON_BUCKET: bucket, AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey };
    const page = createPublishPage({
      target: {
        projectDir: root,
        readSettings: async () => resolvePublishSettings({ flags: {}, env: {}, dotEnv }),
        checkTarget,
        readRedirects: async () => ({ redirects: [] }),
      },
      build: { sourceDir: path.join(root, 'src'), builtDir: path.join(root, 'built'), drafts: false, version: () => 1, lastBuildError: () => undefined, exclusive: (task) => task() },
      env: {},
    });
    server = createServer((request, response) => void page.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('shows the library’s refusal instead of the button, and the bucket keeps its site', async () => {
    const html = (await fetchRaw(url, '/.fleuron/publish/')).body.toString();
    expect(html).toContain('Publishing is refused: the folder');
    expect(html).toContain('has nothing to publish, and the bucket holds 1 objects — refusing to empty the site');
    expect(html).not.toContain('action="/.fleuron/publish/publish"');
    expect([...(await listBucket(bucket)).keys()]).toEqual(['index.html']);
  });
});

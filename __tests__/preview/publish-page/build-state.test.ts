/**
 * The page publishes only a build fit to publish: never one with drafts (`--drafts`), never after a
 * failed rebuild (the folder may be half written). `fleuron preview` as a child process.
 */
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeFolder } from '../../support/run-cli.js';
import { startPreviewProcess, type PreviewProcess } from '../../support/preview-process.js';
import { createTestBucket, listBucket, testS3 } from '../../support/test-s3.js';
import { fetchRaw, waitFor } from '../support/http.js';
import { PAGE, postAsPage, tokenOf } from './support/page-form.js';

const s3 = testS3();

async function project(bucket: string): Promise<string> {
  return makeFolder({
    'site-src/index.md': '# Accueil\n',
    'site-src/brouillon.md': '---\ntitle: Brouillon\ndraft: true\n---\n\nPas encore.\n',
    'site-src/fleuron.yaml': 'title: Essai\n',
    '.env': `AWS_ENDPOINT_URL=${s3.endpoint}\nAWS_REGION=${s3.region}\nFLEURON_BUCKET=${bucket}\nAWS_ACCESS_KEY_ID=${s3.accessKeyId}\nAWS_SECRET_ACCESS_KEY=${s3.secretAccessKey}\n`,
  });
}

describe('the publish page publishes only a build fit to publish', () => {
  let bucket: string;
  let folder: string;
  let preview: PreviewProcess | undefined;

  beforeEach(async () => {
    bucket = await createTestBucket('state');
    folder = await project(bucket);
  });
  afterEach(async () => {
    await preview?.stop();
    preview = undefined;
    await rm(folder, { recursive: true, force: true });
  });

  const page = async () => (await fetchRaw(preview!.url, PAGE)).body.toString();
  const press = async (token: string, version: string) => postAsPage(preview!, 'publish', { token, version });

  it('with --drafts: no plan and no button, and a Publish is refused', async () => {
    preview = await startPreviewProcess(['site-src', '--port', '0', '--no-watch', '--drafts'], { cwd: folder });
    expect((await fetchRaw(preview.url, '/brouillon.html')).status).toBe(200);
    const html = await page();
    expect(html).toContain('this preview includes draft pages (--drafts)');
    expect(html).not.toContain('action="/.fleuron/publish/publish"');
    const response = await press(tokenOf(html), '1');
    expect(response.status).toBe(409);
    expect((await listBucket(bucket)).size).toBe(0);
  });

  it('after a failed rebuild: the plan says so, no button, and a Publish is refused until the sources are fixed', async () => {
    preview = await startPreviewProcess(['site-src', '--port', '0'], { cwd: folder });
    const token = tokenOf(await page());
    await writeFile(path.join(folder, 'site-src/casse.md'), '---\ntitle: Cassée\n---\n\n[lien mort](nulle-part.md)\n');
    await waitFor('the failed rebuild', async () => preview!.output().includes('the build failed'));
    const html = await page();
    expect(html).toContain('the last rebuild failed');
    expect(html).not.toContain('action="/.fleuron/publish/publish"');
    expect((await press(token, '1')).status).toBe(409);
    expect((await listBucket(bucket)).size).toBe(0);
    await rm(path.join(folder, 'site-src/casse.md'));
    await waitFor('the good rebuild', async () => (await page()).includes('action="/.fleuron/publish/publish"'));
  });
});

/**
 * The publish page before the button: the delete cap refusal shown with the plan (and no button), and
 * "Test connection" answering in one line with the CLI's own messages. `fleuron preview` as a child process.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeFolder } from '../../support/run-cli.js';
import { startPreviewProcess, type PreviewProcess } from '../../support/preview-process.js';
import { createTestBucket, listBucket, testClient, testS3 } from '../../support/test-s3.js';
import { fetchRaw } from '../support/http.js';
import { PAGE, postAsPage, tokenOf } from './support/page-form.js';

const s3 = testS3();

describe('the publish page shows refusals before the button and tests the connection', () => {
  let project: string;
  let bucket: string;
  let preview: PreviewProcess;
  let token: string;

  const writeEnv = (changes: Record<string, string> = {}) => {
    const values = { AWS_ENDPOINT_URL: s3.endpoint, AWS_REGION: s3.region, FLEURON_BUCKET: bucket, AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey, ...changes };
    return writeFile(path.join(project, '.env'), Object.entries(values).map(([name, value]) => `${name}=${value}\n`).join(''), { mode: 0o600 });
  };
  const page = async () => (await fetchRaw(preview.url, PAGE)).body.toString();
  const testConnection = async () => {
    const response = await postAsPage(preview, 'test', { token });
    expect(response.status).toBe(303);
    const [, kind, line] = /<p role="status" class="(ok|no)">([^<]*)<\/p>/.exec(await page())!;
    return [kind, line!.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')];
  };

  beforeAll(async () => {
    bucket = await createTestBucket('cap');
    const client = testClient();
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'ancien.html', Body: 'old page', ContentType: 'text/html' }));
    client.destroy();
    project = await makeFolder({ 'site-src/index.md': '# Accueil\n', 'site-src/fleuron.yaml': 'title: Essai\npublish:\n  maxDeletes: 0\n' });
    await writeEnv();
    preview = await startPreviewProcess(['site-src', '--port', '0', '--no-watch'], { cwd: project });
    token = tokenOf(await page());
  }, 90000);

  afterAll(async () => {
    await preview?.stop();
    if (project) await rm(project, { recursive: true, force: true });
  });

  it('shows the plan that would exceed the delete cap, the refusal in the CLI’s words, and no Publish button', async () => {
    const html = await page();
    expect(html).toContain('<h3>Deleted pages: 1</h3>');
    expect(html).toContain('ancien.html');
    expect(html).toContain('Publishing is refused: this publish would delete 1 objects, more than the cap of 0; nothing was changed');
    expect(html).not.toContain('action="/.fleuron/publish/publish"');
    expect([...(await listBucket(bucket)).keys()]).toEqual(['ancien.html']);
  });

  it('Test connection: one line, ok for the real bucket', async () => {
    const [kind, line] = (await testConnection())!;
    expect(kind).toBe('ok');
    expect(line).toBe(`Connected: bucket "${bucket}" at ${s3.endpoint} answered (1 object listed).`);
  });

  it('Test connection: an unknown bucket, as the CLI says it', async () => {
    await writeEnv({ FLEURON_BUCKET: 'no-such-bucket-here' });
    const [kind, line] = (await testConnection())!;
    expect(kind).toBe('no');
    expect(line).toContain(`bucket "no-such-bucket-here" at ${s3.endpoint}`);
    expect(line).toContain('— check the bucket name');
  });

  it('Test connection: an unreachable endpoint, as the CLI says it', async () => {
    await writeEnv({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
    const [kind, line] = (await testConnection())!;
    expect(kind).toBe('no');
    expect(line).toMatch(/^cannot reach the S3 endpoint http:\/\/127\.0\.0\.1:9 while testing the connection \(ECONNREFUSED\) — check the endpoint URL/);
  });

  it('Test connection: user name and password in the endpoint never shown', async () => {
    await writeEnv({ AWS_ENDPOINT_URL: 'http://alice:pw-in-url-77@127.0.0.1:9' });
    const [, line] = (await testConnection())!;
    expect(line).toContain('http://***@127.0.0.1:9');
    const html = await page();
    expect(html).not.toContain('pw-in-url-77');
    expect(preview.output()).not.toContain('pw-in-url-77');
  });
});

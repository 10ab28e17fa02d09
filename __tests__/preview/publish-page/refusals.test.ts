/**
 * The publish page can write keys and publish: every state-changing request must be a POST from the
 * page itself (its token, a same-origin Origin or Sec-Fetch-Site, the preview's own Host). Each refusal
 * is proved to change nothing (.env byte for byte, .gitignore, the bucket), against a positive control
 * that does change them. `fleuron preview` runs as a user runs it, a child process.
 */
import { existsSync } from 'node:fs';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTestBucket, listBucket, testS3 } from '../../support/test-s3.js';
import { makeFolder } from '../../support/run-cli.js';
import { startPreviewProcess, type PreviewProcess } from '../../support/preview-process.js';
import { fetchRaw, waitFor } from '../support/http.js';
import { PAGE, tokenOf } from './support/page-form.js';

const s3 = testS3();

describe('the publish page refuses every request that is not its own', () => {
  let project: string;
  let bucket: string;
  let preview: PreviewProcess;
  let own: string;
  let token: string;
  let envBefore: string;

  const page = async (target = PAGE) => {
    const response = await fetchRaw(preview.url, target, { headers: { host: own } });
    return { status: response.status, html: response.body.toString() };
  };
  const post = (action: string, fields: Record<string, string>, headers: Record<string, string>) =>
    fetchRaw(preview.url, `${PAGE}${action}`, {
      method: 'POST',
      headers: { host: own, 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  const newKeys = (secret: string) => ({ endpoint: s3.endpoint, region: 'garage', bucket, accessKeyId: 'GKchanged', secretAccessKey: secret });

  beforeAll(async () => {
    bucket = await createTestBucket('refuse');
    project = await makeFolder({
      'site-src/index.md': '# Accueil\n\nBonjour.\n',
      'site-src/fleuron.yaml': 'title: Essai\n',
    });
    envBefore = `# keys from the bucket admin\nAWS_ENDPOINT_URL=${s3.endpoint}\nAWS_REGION=${s3.region}\nFLEURON_BUCKET=${bucket}\nAWS_ACCESS_KEY_ID=${s3.accessKeyId}\nAWS_SECRET_ACCESS_KEY=${s3.secretAccessKey}\n`;
    await writeFile(path.join(project, '.env'), envBefore, { mode: 0o600 });
    preview = await startPreviewProcess(['site-src', '--port', '0', '--no-watch', '--no-reload'], { cwd: project });
    own = `127.0.0.1:${preview.port}`;
    const first = await page();
    expect(first.status).toBe(200);
    token = tokenOf(first.html);
  }, 90000);

  afterAll(async () => {
    await preview?.stop();
    if (project) await rm(project, { recursive: true, force: true });
  });

  const unchanged = async () => {
    expect(await readFile(path.join(project, '.env'), 'utf8')).toBe(envBefore);
    expect(existsSync(path.join(project, '.gitignore'))).toBe(false);
    expect((await listBucket(bucket)).size).toBe(0);
  };

  const origin = () => `http://${own}`;
  const refusals: [string, () => { fields: Record<string, string>; headers: Record<string, string> }][] = [
    ['a wrong Host (DNS rebinding)', () => ({ fields: { token }, headers: { host: `evil.example:${preview.port}`, origin: `http://evil.example:${preview.port}` } })],
    ['no token', () => ({ fields: {}, headers: { origin: origin() } })],
    ['a wrong token', () => ({ fields: { token: token.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) }, headers: { origin: origin() } })],
    ['a token of another length', () => ({ fields: { token: `${token}00` }, headers: { origin: origin() } })],
    ['a cross-site Origin', () => ({ fields: { token }, headers: { origin: 'http://evil.example' } })],
    ['Origin: null (a sandboxed or file page)', () => ({ fields: { token }, headers: { origin: 'null' } })],
    ['the same host on another port', () => ({ fields: { token }, headers: { origin: `http://127.0.0.1:${preview.port + 1}` } })],
    ['Sec-Fetch-Site: cross-site without Origin', () => ({ fields: { token }, headers: { 'sec-fetch-site': 'cross-site' } })],
    ['same Origin but Sec-Fetch-Site: cross-site', () => ({ fields: { token }, headers: { origin: origin(), 'sec-fetch-site': 'cross-site' } })],
    ['neither Origin nor Sec-Fetch-Site', () => ({ fields: { token }, headers: {} })],
  ];

  it.each(refusals)('saving settings with %s: 403, .env and .gitignore unchanged, no secret echoed', async (_name, make) => {
    const { fields, headers } = make();
    const response = await post('settings', { ...fields, ...newKeys('sekret-should-never-be-written') }, headers);
    expect(response.status).toBe(403);
    expect(response.body.toString()).not.toContain('sekret-should-never-be-written');
    await unchanged();
  });

  it.each(refusals)('publishing with %s: 403, the bucket unchanged', async (_name, make) => {
    const { fields, headers } = make();
    const response = await post('publish', { ...fields, version: '1' }, headers);
    expect(response.status).toBe(403);
    await unchanged();
  });

  it('a GET never publishes: 405, the bucket unchanged', async () => {
    const response = await fetchRaw(preview.url, `${PAGE}publish?token=${token}&version=1`, { headers: { host: own } });
    expect(response.status).toBe(405);
    await unchanged();
  });

  it('an oversized form: 413, nothing changed', async () => {
    const response = await post('settings', { token, ...newKeys('x'.repeat(20000)) }, { origin: origin() });
    expect(response.status).toBe(413);
    await unchanged();
  });

  it('a form that is not urlencoded carries no token: 403', async () => {
    const response = await fetchRaw(preview.url, `${PAGE}publish`, {
      method: 'POST',
      headers: { host: own, origin: origin(), 'content-type': 'text/plain' },
      body: `token=${token}&version=1`,
    });
    expect(response.status).toBe(403);
    await unchanged();
  });

  it('the page never shows the secret, and the settings form never echoes it back', async () => {
    for (const target of [PAGE, `${PAGE}settings`]) expect((await page(target)).html).not.toContain(s3.secretAccessKey);
    const invalid = await post('settings', { token, ...newKeys('typed-secret-1234'), bucket: 'Not A Bucket!' }, { origin: origin() });
    expect(invalid.status).toBe(400);
    expect(invalid.body.toString()).toContain('bucket:');
    expect(invalid.body.toString()).not.toContain('typed-secret-1234');
    await unchanged();
  });

  // Positive controls, last: the same requests from the page itself do change things.
  it('the page itself may publish (Origin, token, Host): the bucket gets the site', async () => {
    const html = (await page()).html;
    const version = /name="version" value="(\d+)"/.exec(html)![1]!;
    const response = await post('publish', { token, version }, { origin: origin(), 'sec-fetch-site': 'same-origin' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`${PAGE}status`);
    const second = await post('publish', { token, version }, { origin: origin() });
    // Pressed again while it runs: refused; or, if it already finished, nothing left to publish.
    expect([409, 303]).toContain(second.status);
    await waitFor('the publish to finish', async () => (await page(`${PAGE}status`)).html.includes('Published'));
    expect((await listBucket(bucket)).has('index.html')).toBe(true);
  });

  it('the page itself may save settings: .env gets them, mode 0600, and .gitignore lists it', async () => {
    const response = await post('settings', { token, ...newKeys('') }, { origin: origin() });
    expect(response.status).toBe(303);
    const env = await readFile(path.join(project, '.env'), 'utf8');
    expect(env).toContain('AWS_ACCESS_KEY_ID=GKchanged');
    expect(env).toContain(`AWS_SECRET_ACCESS_KEY=${s3.secretAccessKey}`); // an empty secret field keeps the secret
    expect(env.startsWith('# keys from the bucket admin\n')).toBe(true);
    expect((await stat(path.join(project, '.env'))).mode & 0o777).toBe(0o600);
    expect((await readFile(path.join(project, '.gitignore'), 'utf8')).split('\n')).toContain('.env');
    expect(preview.output()).not.toContain(s3.secretAccessKey);
  });
});

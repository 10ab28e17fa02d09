/**
 * Publii's flow, in a real browser with JavaScript off: `fleuron preview` (a child process, as a user
 * runs it) → the publish page → server settings → Test connection → the plan → Publish → the summary →
 * the page on the bucket's website endpoint; a changed page listed after a rebuild, published; then
 * the site restored from the history as it was before that deploy. Against the test S3 server.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { makeFolder } from '../support/run-cli.js';
import { startPreviewProcess, type PreviewProcess } from '../support/preview-process.js';
import { createTestBucket, testS3, websiteGet } from '../support/test-s3.js';
import { fetchRaw, REPO_ROOT, waitFor } from '../preview/support/http.js';
import { describeWithBrowser, launchChromium, NARROW } from './support/chromium.js';

const s3 = testS3();
const PAGE = '/.fleuron/publish/';
const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');
const page1 = (words: string) => `---\ntitle: Nouvelles\n---\n\n${words}\n`;

describeWithBrowser('the publish page in a real browser (Chromium, JavaScript off)', () => {
  let bucket: string;
  let archive: string;
  let project: string;
  let preview: PreviewProcess;
  let browser: Browser;
  let context: BrowserContext;
  let tab: Page;
  const seen: string[] = [];

  /** Every page the browser shows is kept, to check that none ever holds the secret. */
  const html = async () => {
    const content = await tab.content();
    seen.push(content);
    return content;
  };
  const waitForHeading = async (heading: string) => {
    // The status page refreshes itself (meta refresh, no script) until the publish is done.
    await waitFor(`the "${heading}" page`, async () => (await tab.locator('h1').textContent().catch(() => '')) === heading, 60000);
    await html();
  };
  const liveBody = async (key: string) => (await websiteGet(bucket, `/${key}`)).body.toString();

  beforeAll(async () => {
    bucket = await createTestBucket('page');
    archive = await createTestBucket('page-archive');
    const siteUrl = s3.websiteHostSuffix ? `http://${bucket}.${s3.websiteHostSuffix}/` : `${s3.websiteEndpoint}/${bucket}/`;
    project = await makeFolder({
      'site-src/index.md': '---\ntitle: Accueil\n---\n\nBienvenue à la Ruche.\n',
      'site-src/nouvelles.md': page1('Première version des nouvelles.'),
      'site-src/fleuron.yaml': `title: La Ruche\nbaseUrl: ${siteUrl}\npublish:\n  archive:\n    bucket: ${archive}\n`,
    });
    preview = await startPreviewProcess(['site-src', '--port', '0'], { cwd: project });
    browser = await launchChromium();
    context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: NARROW, height: 640 } });
    tab = await context.newPage();
  }, 120000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await preview?.stop();
    if (project) await rm(project, { recursive: true, force: true });
  });

  it('opens the preview, then the publish page, which asks for the server settings', async () => {
    await tab.goto(preview.url);
    expect(await tab.locator('body').textContent()).toContain('Bienvenue à la Ruche.');
    await tab.goto(new URL(PAGE, preview.url).href);
    const content = await html();
    expect(content).toContain('Server settings');
    expect(await tab.locator('dt:text("Keys") + dd').textContent()).toBe('not set');
    expect(await tab.locator('#region').inputValue()).toBe('garage');
  });

  it('saves the settings into .env, and Test connection lists the bucket', async () => {
    await tab.fill('#endpoint', s3.endpoint);
    await tab.fill('#region', s3.region);
    await tab.fill('#bucket', bucket);
    await tab.fill('#accessKeyId', s3.accessKeyId);
    await tab.fill('#secretAccessKey', s3.secretAccessKey);
    await tab.getByRole('button', { name: 'Save' }).click();
    await tab.waitForURL(new URL(PAGE, preview.url).href);
    expect(await html()).toContain('Saved in .env.');
    expect(await tab.locator('dt:text("Keys") + dd').textContent()).toBe('set, from .env');
    await tab.getByRole('button', { name: 'Test connection' }).click();
    expect(await tab.locator('p[role=status]').first().textContent()).toContain(`Connected: bucket "${bucket}"`);
    await html();
  });

  it('shows what would change, each page linked to its preview, with the delete cap before the button', async () => {
    const content = await html();
    expect(content).toMatch(/New pages: 3, [\d.]+ KiB/); // index, nouvelles and the error page
    expect(content).toContain('the cap is 256');
    const link = tab.getByRole('link', { name: 'nouvelles.html' });
    expect(await link.getAttribute('href')).toBe('/nouvelles.html');
    expect((await fetchRaw(preview.url, '/nouvelles.html')).body.toString()).toContain('Première version');
    // Usable at 320 px: nothing wider than the screen.
    expect((await tab.evaluate('document.documentElement.scrollWidth')) as number).toBeLessThanOrEqual(NARROW);
    // Within the 14 KB budget as it travels (gzipped, as the site's own pages are measured).
    const wire = await fetchRaw(preview.url, PAGE, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(wire.headers['content-encoding']).toBe('gzip');
    expect(wire.body.length).toBeLessThan(14 * 1024);
    expect(gunzipSync(wire.body).toString()).not.toMatch(/<script/i);
    await mkdir(ARTIFACTS, { recursive: true });
    await tab.screenshot({ path: path.join(ARTIFACTS, 'publish-page-320.png'), fullPage: true });
  });

  it('publishes with the button, shows the summary and a link to the live site, which serves the page', async () => {
    await tab.getByRole('button', { name: `Publish to s3://${bucket}/` }).click();
    await waitForHeading('Published');
    await tab.screenshot({ path: path.join(ARTIFACTS, 'publish-page-published-320.png'), fullPage: true });
    expect(await tab.locator('p[role=status]').textContent()).toMatch(new RegExp(`^Published s3://${bucket}/: \\d+ uploaded`));
    expect(await tab.getByRole('link', { name: 'Open the live site' }).getAttribute('href')).toMatch(new RegExp(`${bucket}/$`));
    const live = await websiteGet(bucket, '/nouvelles.html');
    expect(live.status).toBe(200);
    expect(live.body.toString()).toContain('Première version des nouvelles.');
  });

  it('lists a page changed since, after the watcher rebuilt it, and publishes it', async () => {
    await writeFile(path.join(project, 'site-src/nouvelles.md'), page1('Deuxième version des nouvelles.'));
    await waitFor('the rebuild', async () => (await fetchRaw(preview.url, '/nouvelles.html')).body.toString().includes('Deuxième version'));
    await tab.goto(new URL(PAGE, preview.url).href);
    const content = await html();
    expect(content).toContain('Changed pages: 1');
    expect(await tab.locator('h3:text("Changed pages") + ul a').first().textContent()).toBe('nouvelles.html');
    await tab.getByRole('button', { name: `Publish to s3://${bucket}/` }).click();
    await waitForHeading('Published');
    expect(await liveBody('nouvelles.html')).toContain('Deuxième version');
  });

  it('restores the site as it was before the last deploy, from the history, after a dry-run view', async () => {
    await tab.goto(new URL(PAGE, preview.url).href);
    const history = tab.locator('h2:text("History") ~ ol > li');
    expect(await history.count()).toBe(2);
    await tab.getByRole('link', { name: 'Restore the site as it was before this deploy…' }).first().click();
    const dryRun = await html();
    expect(dryRun).toContain('Dry run, nothing changed yet.');
    expect(await tab.locator('h2:text("Put back") + ul').textContent()).toContain('nouvelles.html');
    expect(await liveBody('nouvelles.html')).toContain('Deuxième version'); // the dry run changed nothing
    await tab.getByRole('button', { name: 'Restore the site as it was before this deploy' }).click();
    await waitForHeading('Restored');
    expect(await liveBody('nouvelles.html')).toContain('Première version des nouvelles.');
    // The restore is a deploy too: the history now has it on top.
    await tab.goto(new URL(PAGE, preview.url).href);
    expect(await tab.locator('h2:text("History") ~ ol > li').count()).toBe(3);
    expect(await html()).toContain('restore of the site as before');
  });

  it('never showed the secret key, and never printed it', () => {
    expect(seen.length).toBeGreaterThan(5);
    for (const content of seen) expect(content).not.toContain(s3.secretAccessKey);
    expect(preview.output()).not.toContain(s3.secretAccessKey);
  });
});

/**
 * Rebuilds trust what an earlier build saw: page files and outputs by their stamps (size, times, inode), the rest by
 * content hashes. Whatever they skip, a rebuild must write exactly what a cold build of the same sources writes.
 */
import { appendFile, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildSite, type BuildOptions } from '../../lib/builder/index.js';
import { readTree, tempDir, writeSite } from './support/temp-site.js';

const CONFIG = 'title: Essai\nbaseUrl: https://ex.org/\nlanguage: fr\n';

/** Files changed more recently than this are "racily clean" and never trusted by their stamp (see file-stamp.ts). */
const PAST_RACY_WINDOW_MS = 250;

async function site() {
  const src = await writeSite({
    'fleuron.yaml': CONFIG,
    'index.md': '---\ntitle: Accueil\n---\nBienvenue. Voir [la FAQ](faq.md#installer).',
    'faq.md': '---\ntitle: FAQ\n---\n## Installer\n\nold text\n\n## Mettre à jour\n\nTexte.',
    'blog/post.md': '---\ntitle: Billet\ndate: 2024-01-02\n---\nold post',
    'blog/autre.md': '---\ntitle: Autre\ndate: 2024-02-03\n---\nAutre billet, vers [la FAQ](../faq.md).',
    'notes/Réunion 2.md': '---\ntitle: Réunion\n---\n| a | b |\n| - | - |\n| 1 | 2 |',
    'images/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
  });
  const root = await tempDir();
  const options: BuildOptions = { sourceDir: src, outDir: path.join(root, 'out'), cacheDir: path.join(root, 'cache') };
  return { src, root, options };
}

/** A cold build of the sources as they are now, into a new folder with a new cache. */
async function coldTree(src: string): Promise<Map<string, Buffer>> {
  const root = await tempDir();
  const result = await buildSite({ sourceDir: src, outDir: path.join(root, 'out'), cacheDir: path.join(root, 'cache') });
  expect(result.cached).toBe(0);
  return readTree(result.outDir);
}

describe('rebuilds', () => {
  it('write exactly what a cold build of the edited sources writes, whether stamps are fresh or trusted', async () => {
    const { src, options } = await site();
    await buildSite(options);

    // Same size as before, right after the build: only the content hash can tell.
    await writeFile(path.join(src, 'faq.md'), '---\ntitle: FAQ\n---\n## Installer\n\nnew text\n\n## Mettre à jour\n\nTexte.');
    const fresh = await buildSite(options);
    expect(fresh.rendered).toBe(1);
    expect(await readTree(options.outDir)).toEqual(await coldTree(src));

    // Past the racy window every stamp is trusted: the rebuild reads only the edited page.
    await sleep(PAST_RACY_WINDOW_MS);
    await buildSite(options);
    await appendFile(path.join(src, 'blog/post.md'), '\n\nEdited.\n');
    const trusted = await buildSite(options);
    expect(trusted.rendered).toBe(1);
    expect(trusted.written).toBe(2); // the post and feed.xml
    expect(await readTree(options.outDir)).toEqual(await coldTree(src));
  });

  it('render nothing for a page whose file was touched but not changed', async () => {
    const { src, options } = await site();
    await buildSite(options);
    await sleep(PAST_RACY_WINDOW_MS);
    await buildSite(options);
    const later = new Date(Date.now() + 60_000);
    await utimes(path.join(src, 'faq.md'), later, later);
    const touched = await buildSite(options);
    expect(touched.rendered).toBe(0);
    expect(touched.written).toBe(0);
  });

  it('see a title edited in the front matter: every page that shows it is rendered again', async () => {
    const { src, options } = await site();
    await buildSite(options);
    await sleep(PAST_RACY_WINDOW_MS);
    await buildSite(options);
    await writeFile(path.join(src, 'faq.md'), '---\ntitle: Questions\n---\n## Installer\n\nold text\n\n## Mettre à jour\n\nTexte.');
    const retitled = await buildSite(options);
    expect(retitled.rendered).toBe(retitled.pages);
    expect((await readFile(path.join(options.outDir, 'index.html'), 'utf8'))).toContain('Questions');
    expect(await readTree(options.outDir)).toEqual(await coldTree(src));
  });

  it('repair an output changed by hand after its stamp was trusted, even to the same size', async () => {
    const { options } = await site();
    await buildSite(options);
    await sleep(PAST_RACY_WINDOW_MS);
    await buildSite(options);
    const pristine = await readTree(options.outDir);
    const page = path.join(options.outDir, 'faq.html');
    const html = await readFile(page, 'utf8');
    await writeFile(page, html.replace('old text', 'OLD TEXT'));
    expect((await stat(page)).size).toBe(Buffer.byteLength(html));
    const repaired = await buildSite(options);
    expect(repaired.rendered).toBe(1);
    expect(await readTree(options.outDir)).toEqual(pristine);
  });

  it('copy a changed image again, and leave unchanged ones alone', async () => {
    const { src, options } = await site();
    await buildSite(options);
    await sleep(PAST_RACY_WINDOW_MS);
    await buildSite(options);
    await writeFile(path.join(src, 'images/logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><g/></svg>');
    const recopied = await buildSite(options);
    expect(recopied.written).toBe(1);
    expect(await readFile(path.join(options.outDir, 'images/logo.svg'), 'utf8')).toContain('<g/>');
    await rm(path.join(options.outDir, 'images/logo.svg'));
    expect((await buildSite(options)).written).toBe(1);
    expect(await readTree(options.outDir)).toEqual(await coldTree(src));
  });

  it('render a page again when an image it shows changes size, though its text did not change', async () => {
    const { src, options } = await site();
    await writeFile(path.join(src, 'faq.md'), '---\ntitle: FAQ\n---\n## Installer\n\n![Logo](images/logo.svg)\n');
    await buildSite(options);
    expect(await readFile(path.join(options.outDir, 'faq.html'), 'utf8')).toContain('<img src="images/logo.svg" alt="Logo" />');
    await writeFile(path.join(src, 'images/logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"/>');
    await buildSite(options);
    expect(await readFile(path.join(options.outDir, 'faq.html'), 'utf8')).toContain('<img src="images/logo.svg" alt="Logo" width="120" height="40" />');
    expect(await readTree(options.outDir)).toEqual(await coldTree(src));
  });

  it('keep working after a build stopped while writing the cache journal', async () => {
    const { src, options } = await site();
    await buildSite(options);
    await sleep(PAST_RACY_WINDOW_MS);
    await buildSite(options);
    await appendFile(path.join(src, 'faq.md'), '\nUne ligne.\n');
    await buildSite(options);
    const cacheDir = options.cacheDir!;
    const journal = (await readdir(cacheDir)).find((name) => name.endsWith('.journal'));
    expect(journal).toBeDefined();
    await appendFile(path.join(cacheDir, journal!), '{"generation":"half a li');
    await appendFile(path.join(src, 'faq.md'), '\nUne autre ligne.\n');
    const after = await buildSite(options);
    expect(after.rendered).toBe(1);
    expect(await readTree(options.outDir)).toEqual(await coldTree(src));
  });
});

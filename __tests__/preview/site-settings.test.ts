/** Which settings the preview reads: publish headers and gzip, index/error documents, redirects and their precedence. */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readPreviewSettings } from '../../lib/preview/site-settings.js';
import { tempFolder } from './support/http.js';

let root: string;
beforeEach(async () => {
  root = await tempFolder('fleuron-preview-settings-');
  await mkdir(path.join(root, 'src'));
  await mkdir(path.join(root, 'built', '.fleuron'), { recursive: true });
});
afterEach(() => rm(root, { recursive: true, force: true }));

const write = (relative: string, text: string) => writeFile(path.join(root, relative), text);
const read = (gzip?: boolean) => readPreviewSettings({ sourceDir: path.join(root, 'src'), builtDir: path.join(root, 'built'), ...(gzip === undefined ? {} : { gzip }) });

describe('readPreviewSettings', () => {
  it('defaults to index.html, 404.html, no gzip and no redirects', async () => {
    await write('src/fleuron.yaml', 'title: Essai\n');
    const settings = await read();
    expect([settings.rules.indexDocument, settings.rules.errorDocument, settings.gzip, settings.rules.redirects.size]).toEqual(['index.html', '404.html', false, 0]);
    expect(settings.policy.headersFor('a.html').cacheControl).toBe('public, max-age=0, must-revalidate');
  });

  it('takes index_page and error_page from deuxfleurs.toml unless fleuron.yaml names them', async () => {
    await write('src/deuxfleurs.toml', 'index_page = "accueil.html"\nerror_page = "/erreur.html"\n');
    await write('src/fleuron.yaml', 'title: Essai\n');
    expect([(await read()).rules.indexDocument, (await read()).rules.errorDocument]).toEqual(['accueil.html', 'erreur.html']);
    await write('src/fleuron.yaml', 'title: Essai\npublish:\n  website:\n    indexDocument: index.htm\n');
    expect([(await read()).rules.indexDocument, (await read()).rules.errorDocument]).toEqual(['index.htm', 'erreur.html']);
  });

  it('merges redirects: aliases, then deuxfleurs.toml, then fleuron.yaml (the last one wins for the same path)', async () => {
    await write('built/.fleuron/aliases.json', JSON.stringify([{ from: 'a.html', to: 'page.html' }, { from: 'b.html', to: 'page.html' }, { from: 'c.html', to: 'page.html' }]));
    await write('src/deuxfleurs.toml', '[[redirects]]\nfrom = "/b.html"\nto = "/dx.html"\n\n[[redirects]]\nfrom = "/c.html"\nto = "/dx.html"\n');
    await write('src/fleuron.yaml', 'title: Essai\nredirects:\n  - { from: /c.html, to: /conf.html, status: 302 }\n  - { from: /old/, to: /new/ }\n');
    const redirects = (await read()).rules.redirects;
    expect(Object.fromEntries([...redirects].map(([key, redirect]) => [key, `${redirect.status} ${redirect.to}`]))).toEqual({
      'a.html': '301 page.html',
      'b.html': '301 dx.html',
      'c.html': '302 conf.html',
      'old/index.html': '301 new/',
    });
  });

  it('takes gzip and header rules from publish:, and --gzip over the file', async () => {
    await write('src/fleuron.yaml', 'title: Essai\npublish:\n  gzip: true\n  headers:\n    - { match: "**/*.css", cacheControl: no-cache }\n');
    const settings = await read();
    expect(settings.gzip).toBe(true);
    expect(settings.policy.headersFor('theme.css')).toEqual({ contentType: 'text/css; charset=utf-8', cacheControl: 'no-cache', contentEncoding: 'gzip' });
    expect((await read(false)).policy.headersFor('theme.css').contentEncoding).toBeUndefined();
  });

  it('ignores the environment: half a key set there does not stop a preview', async () => {
    await write('src/fleuron.yaml', 'title: Essai\npublish:\n  bucket: site\n');
    const saved = process.env.AWS_ACCESS_KEY_ID;
    process.env.AWS_ACCESS_KEY_ID = 'AKIAHALFAKEY';
    try {
      await expect(read()).resolves.toMatchObject({ gzip: false });
    } finally {
      if (saved === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = saved;
    }
  });

  it('does not publish (so does not serve) dotfiles, except .well-known/, and honours exclude', async () => {
    await write('src/fleuron.yaml', 'title: Essai\npublish:\n  exclude: ["drafts/**"]\n');
    const { isPublished } = await read();
    expect(['index.html', '.fleuron/aliases.json', '.well-known/security.txt', 'drafts/a.html'].map(isPublished)).toEqual([true, false, true, false]);
  });

  it('does not serve editor backups, autosaves or merge leftovers, unless include names one', async () => {
    await write('src/fleuron.yaml', 'title: Essai\npublish:\n  include: ["keep.bak"]\n');
    const { isPublished } = await read();
    const paths = ['plan.html~', '#plan.html#', 'docs/plan.html.bak', 'plan.html.orig', 'a.rej', 'a.swp', '.well-known/security.txt~', 'keep.bak', 'a~b.html'];
    expect(paths.filter(isPublished)).toEqual(['keep.bak', 'a~b.html']);
  });
});

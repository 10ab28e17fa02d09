/** One precedence for a site's settings, whoever asks: flags, environment, .env, fleuron.yaml, deuxfleurs.toml, defaults. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readSiteFiles, resolveSiteSettings, siteRedirects } from '../../lib/site-settings/site-settings.js';
import { makeFolder } from '../support/run-cli.js';

test('fleuron.yaml wins over deuxfleurs.toml, which wins over the defaults; a leading / of the error page is dropped', async () => {
  const cwd = await makeFolder({ 'deuxfleurs.toml': 'index_page = "accueil.html"\nerror_page = "/erreur.html"\n[[redirects]]\nfrom = "/a.html"\nto = "/dx.html"\n' });
  const site = path.join(cwd, 'site');
  await mkdir(site);
  const none = await readSiteFiles(site, cwd);
  expect(resolveSiteSettings({ files: none, flags: {}, env: {}, dotEnv: {} }).website).toEqual({ configure: true, indexDocument: 'accueil.html', errorDocument: 'erreur.html' });
  await writeFile(path.join(site, 'fleuron.yaml'), 'publish:\n  website:\n    errorDocument: 404.html\nredirects:\n  - { from: /a.html, to: /yaml.html }\n');
  const files = await readSiteFiles(site, cwd);
  expect(resolveSiteSettings({ files, flags: {}, env: {}, dotEnv: {} }).website).toEqual({ configure: true, indexDocument: 'accueil.html', errorDocument: '404.html' });
  expect(siteRedirects(files, site)).toEqual([{ from: 'a.html', to: 'yaml.html', status: 301 }]);
});

test('a deuxfleurs.toml in the site folder is read before the one in the working directory', async () => {
  const cwd = await makeFolder({ 'deuxfleurs.toml': 'index_page = "cwd.html"\n', 'site/deuxfleurs.toml': 'index_page = "site.html"\n' });
  const files = await readSiteFiles(path.join(cwd, 'site'), cwd);
  expect(resolveSiteSettings({ files, flags: {}, env: {}, dotEnv: {} }).website.indexDocument).toBe('site.html');
});

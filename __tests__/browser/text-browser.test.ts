/**
 * The example site's home page and a page with sections in text browsers (w3m, lynx: Debian packages, installed by
 * .ci/run): the skip link's target is an anchor w3m knows, the skip link has a line of its own, and no heading ends
 * in a bare `#` (the self-links' `#` is drawn by CSS). Skipped, saying so, when neither browser is installed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { buildSite } from '../../lib/builder/index.js';
import { copyExampleSite, tempFolder } from '../preview/support/http.js';

const W3M = '/usr/bin/w3m';
const LYNX = '/usr/bin/lynx';
const browsers = [W3M, LYNX].filter((file) => existsSync(file));
if (browsers.length === 0) console.warn(`SKIPPED: the text-browser test needs w3m (${W3M}) or lynx (${LYNX}) (Debian: apt-get install w3m lynx)`);
const describeWithTextBrowser = browsers.length > 0 ? describe : describe.skip;
const itWithW3m = existsSync(W3M) ? it : it.skip;
if (browsers.length > 0 && !existsSync(W3M)) console.warn(`SKIPPED: the skip-link check needs w3m at ${W3M}`);

/** The page as the text browser shows it (`-dump`), UTF-8. */
function dump(browser: string, file: string): string {
  const args = browser === W3M ? ['-dump', '-cols', '80', '-O', 'UTF-8', '-T', 'text/html', file] : ['-dump', '-nolist', '-width=80', '-display_charset=utf-8', file];
  return execFileSync(browser, args, { encoding: 'utf8', timeout: 20000 });
}

describeWithTextBrowser('the example site in text browsers', () => {
  let root: string;
  let outDir: string;

  beforeAll(async () => {
    root = await tempFolder('fleuron-text-browser-');
    outDir = path.join(root, 'public');
    await buildSite({ sourceDir: await copyExampleSite(root), outDir, cacheDir: path.join(root, 'cache') });
  }, 60000);

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  itWithW3m("w3m: the skip link points at an anchor w3m can jump to, at the start of the page's content", () => {
    const home = path.join(outDir, 'index.html');
    // -halfdump shows w3m's own reading of the page: its link targets are the names of <a> elements (an id on
    // <main> is ignored), written `<a name="…">`.
    const halfdump = execFileSync(W3M, ['-halfdump', '-O', 'UTF-8', '-T', 'text/html', home], { encoding: 'utf8', timeout: 20000 });
    expect(halfdump).toMatch(/<a [^>]*href="#main"[^>]*>/);
    const target = /<a name="main"[^>]*>([\s\S]*)/.exec(halfdump);
    expect(target).not.toBeNull();
    // What follows the target is the page's own heading, not the menu (halfdump's text is in w3m's internal encoding).
    expect(target![1]!.replace(/<[^>]*>/g, '').trim()).toMatch(/^Bienvenue /);
  });

  it.each(browsers.map((browser) => [path.basename(browser), browser]))('%s: the skip link has a line of its own, and no heading ends in a bare #', (_name, browser) => {
    for (const page of ['index.html', 'valeurs.html', 'documentation/installer-garage.html']) {
      const text = dump(browser, path.join(outDir, page));
      const lines = text.split('\n').map((line) => line.trim());
      expect({ page, skipLine: lines.find((line) => line.includes('Aller au contenu')) }).toEqual({ page, skipLine: expect.stringMatching(/^(\[\d+\])?Aller au contenu$/) });
      expect({ page, endingInHash: lines.filter((line) => /(^|\s)#$/.test(line)) }).toEqual({ page, endingInHash: [] });
    }
    // The page with sections does show its headings.
    expect(dump(browser, path.join(outDir, 'valeurs.html'))).toMatch(/^\s*Sobriété\s*$/m);
  });
});
